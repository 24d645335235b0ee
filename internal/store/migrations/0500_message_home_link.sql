-- The student's first text carries, besides the link for its step, the
-- link to their own page (internal/web home.go). Like link_id, only the
-- id is stored: the URL is derived when the message is rendered.
ALTER TABLE messages ADD COLUMN home_link_id uuid REFERENCES action_links(id) ON DELETE SET NULL;
