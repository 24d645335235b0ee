-- What people receive is only ever current: every reminder, request and
-- escalation names the wait it serves, and the dispatcher sends it only
-- while that wait is still open for that party (see messaging/claim.go).

-- The waits open right now. A journey replaces its own rows (owner
-- 'journey') with every read-model write; a timesheet week replaces its
-- rows (owner 'week:<monday>') with every write of its own; an MOU
-- workflow uses 'mou:<id>'. Closing a journey removes all of its rows.
CREATE TABLE open_waits (
    wait_key   text PRIMARY KEY,
    owner      text NOT NULL,
    journey_id uuid REFERENCES journeys(id) ON DELETE CASCADE,
    -- Who is being asked: student, guardian, employer, coordinator, ...
    party      text NOT NULL,
    -- When that party was asked (the dashboard's "since").
    asked_at   timestamptz NOT NULL
);
CREATE INDEX open_waits_owner ON open_waits(journey_id, owner);

ALTER TABLE messages
    -- The wait this message serves; NULL for news that stays true
    -- (an offer made, a badge earned).
    ADD COLUMN wait_key   text,
    -- The party the wait must still be on for the message to go (NULL for
    -- an escalation to staff, which only needs the wait still open).
    ADD COLUMN wait_party text,
    -- A reminder (not the first request): only reminders join digests.
    ADD COLUMN reminder   boolean NOT NULL DEFAULT false;

ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
    CHECK (status IN ('queued','sending','sent','delivered','failed','undeliverable','suppressed','cancelled'));

CREATE INDEX messages_wait ON messages(wait_key) WHERE status = 'queued' AND wait_key IS NOT NULL;

-- Since when the party now waited on was asked (not when the stage began).
ALTER TABLE journey_view ADD COLUMN waiting_since timestamptz;
