-- Links are turned off for a reason the page tells the person: staff
-- turned them off, a newer link for the same step reached the person, or
-- the step the link served is over (see internal/links).
ALTER TABLE action_links ADD COLUMN revoked_reason text
    CHECK (revoked_reason IN ('staff', 'superseded', 'step_closed'));

-- Superseding looks up a person's live links for one action (MOU links
-- carry no journey, so the journey index does not serve them).
CREATE INDEX action_links_person ON action_links(person_ref, action) WHERE revoked_at IS NULL;

-- Closing a step finds the links the messages of its wait carried, sent
-- or not (messages_wait covers only queued rows).
CREATE INDEX messages_wait_link ON messages(wait_key) WHERE link_id IS NOT NULL;
