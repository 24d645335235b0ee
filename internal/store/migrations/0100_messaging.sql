-- Messaging: what the dispatcher and the provider webhooks need beyond the
-- outbox of 0003.

-- How far along a message is; status updates only ever move forward, so a
-- late "sent" callback never undoes "delivered".
CREATE FUNCTION messaging_status_rank(status text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE status
        WHEN 'queued' THEN 0
        WHEN 'sending' THEN 1
        WHEN 'sent' THEN 2
        ELSE 3 -- delivered, failed, undeliverable, suppressed: final
    END
$$;

ALTER TABLE messages
    -- The recipient's time zone and SMS quiet hours, resolved at enqueue so
    -- the dispatcher can re-check them when a backlog or a retry runs late.
    ADD COLUMN timezone     text,
    ADD COLUMN quiet_start  smallint,
    ADD COLUMN quiet_end    smallint,
    -- Digest emails: the row whose email carries this one (itself for the lead).
    ADD COLUMN digest_lead  bigint,
    -- Why a message will never be delivered: invalid, unsubscribed,
    -- opted_out, bounced, spamreport, failed.
    ADD COLUMN fail_reason  text,
    -- When OnUndeliverable was told; NULL on a final failure means "tell it".
    ADD COLUMN notified_at  timestamptz;

-- A digest email's provider id is shared by every row it carries.
DROP INDEX messages_provider;
CREATE INDEX messages_provider ON messages(provider, provider_id) WHERE provider_id IS NOT NULL;

CREATE INDEX messages_due_channel ON messages(channel, send_after, id) WHERE status IN ('queued', 'sending');
CREATE INDEX messages_to_notify ON messages(id)
    WHERE notified_at IS NULL AND status IN ('failed', 'undeliverable', 'suppressed');
CREATE INDEX messages_digest_pending ON messages(to_address)
    WHERE status = 'queued' AND channel = 'email' AND recipient_kind IN ('employer', 'supervisor');
CREATE INDEX messages_digest_lead ON messages(digest_lead) WHERE digest_lead IS NOT NULL;

-- One digest email per address per local day; the row also stops two
-- dispatchers from each sending "today's" digest.
CREATE TABLE message_digests (
    address    text NOT NULL,
    local_day  date NOT NULL,
    lead_id    bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (address, local_day)
);

-- Provider status events (Twilio status callbacks, SendGrid events), kept
-- so a redelivered event is ignored and an event that beats the send's own
-- commit is applied when the provider id is recorded.
CREATE TABLE message_events (
    provider     text NOT NULL CHECK (provider IN ('twilio', 'sendgrid')),
    event_id     text NOT NULL,
    provider_id  text NOT NULL DEFAULT '',
    message_id   bigint,
    event        text NOT NULL,
    status       text NOT NULL DEFAULT '',
    fail_reason  text,
    error_code   text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);
CREATE INDEX message_events_provider_id ON message_events(provider, provider_id);

-- Inbound texts are matched to people by phone.
CREATE INDEX messaging_students_phone ON students(phone) WHERE phone IS NOT NULL;
CREATE INDEX messaging_guardians_phone ON guardians(phone) WHERE phone IS NOT NULL;
