-- The supervisor's inbox: one link per supervisor (or employer contact)
-- listing every pending item across their interns and applicants. A
-- reminder digest points to it instead of carrying one link per item;
-- the lead row records which inbox link it carried, so a retry renders
-- the same address and the staff timeline shows what was sent.
ALTER TABLE messages ADD COLUMN inbox_link_id uuid REFERENCES action_links(id) ON DELETE SET NULL;

-- The inbox lists the open waits a person was asked about.
CREATE INDEX messages_recipient_wait ON messages(recipient_kind, recipient_ref)
    WHERE wait_key IS NOT NULL AND link_id IS NOT NULL;

-- Supervisors without an email get their reminders as one text a day
-- too (messages_digest_pending serves the email digests).
CREATE INDEX messages_digest_pending_sms ON messages(to_address)
    WHERE status = 'queued' AND channel = 'sms' AND recipient_kind IN ('employer', 'supervisor');

-- An inbox item is overdue once the coordinator was told it is stuck
-- (an escalation names the wait and goes to staff).
CREATE INDEX messages_wait_escalated ON messages(wait_key)
    WHERE recipient_kind = 'staff' AND wait_key IS NOT NULL;
