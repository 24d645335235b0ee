-- Which action link a file arrived through, so one link's storage can be
-- capped (internal/web: a link may store only so many files and bytes).
-- Files not from a link page (permits, MOUs, staff uploads) have none.
ALTER TABLE documents ADD COLUMN link_id uuid REFERENCES action_links(id) ON DELETE SET NULL;
CREATE INDEX documents_link ON documents(link_id) WHERE link_id IS NOT NULL;
