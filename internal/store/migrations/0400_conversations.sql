-- A text that is not a keyword is a message to the student's coordinator:
-- who wrote it (the student or a guardian), when staff read it, and when
-- staff answered (which also ends the conversation for the automatic
-- acknowledgement). Staff answers themselves are outbox rows
-- (template staff_reply).
ALTER TABLE inbound_messages
    ADD COLUMN sender_kind text CHECK (sender_kind IN ('student', 'guardian')),
    ADD COLUMN sender_ref  uuid,
    ADD COLUMN read_at     timestamptz,
    ADD COLUMN read_by     uuid REFERENCES staff(id) ON DELETE SET NULL,
    ADD COLUMN answered_at timestamptz;

-- The dashboard's unread Replies, by student (scoped through students).
CREATE INDEX inbound_unread ON inbound_messages(student_id, received_at)
    WHERE read_at IS NULL AND keyword IS NULL AND student_id IS NOT NULL;
-- Is a conversation from this number already open (no second acknowledgement)?
CREATE INDEX inbound_from ON inbound_messages(from_address, received_at);
