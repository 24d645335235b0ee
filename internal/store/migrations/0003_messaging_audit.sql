-- Messages (an outbox), contacts' reachability, action links, staff sessions and the audit log.

CREATE TABLE messages (
    id              bigserial PRIMARY KEY,
    -- Deterministic key (journey, step, rung or action id): a retry inserts nothing.
    idem_key        text NOT NULL UNIQUE,
    district_id     uuid REFERENCES districts(id),
    school_id       uuid REFERENCES schools(id),
    journey_id      uuid REFERENCES journeys(id) ON DELETE CASCADE,
    recipient_kind  text NOT NULL CHECK (recipient_kind IN ('student','guardian','supervisor','employer','staff')),
    recipient_ref   text NOT NULL,
    channel         text NOT NULL CHECK (channel IN ('sms','email')),
    to_address      text NOT NULL,
    language        text NOT NULL DEFAULT 'en',
    template        text NOT NULL,
    params          jsonb NOT NULL DEFAULT '{}',
    link_id         uuid,
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sending','sent','delivered','failed','undeliverable','suppressed')),
    send_after      timestamptz NOT NULL DEFAULT now(),
    attempts        int NOT NULL DEFAULT 0,
    lease_until     timestamptz,
    claimed_at      timestamptz,
    provider        text,
    provider_id     text,
    error_code      text,
    error_message   text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_due ON messages(send_after, id) WHERE status IN ('queued','sending');
CREATE INDEX messages_journey ON messages(journey_id, created_at);
CREATE UNIQUE INDEX messages_provider ON messages(provider, provider_id) WHERE provider_id IS NOT NULL;

-- Replies and keywords received from people, attached to the student's timeline.
CREATE TABLE inbound_messages (
    id           bigserial PRIMARY KEY,
    provider_id  text NOT NULL UNIQUE,
    channel      text NOT NULL CHECK (channel IN ('sms','email')),
    from_address text NOT NULL,
    body         text NOT NULL,
    keyword      text,
    student_id   uuid REFERENCES students(id) ON DELETE CASCADE,
    journey_id   uuid REFERENCES journeys(id) ON DELETE CASCADE,
    received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_journey ON inbound_messages(journey_id, received_at);

-- An address that said STOP (or bounced) is never messaged on that channel.
CREATE TABLE contact_optouts (
    channel      text NOT NULL CHECK (channel IN ('sms','email')),
    address      text NOT NULL,
    reason       text NOT NULL CHECK (reason IN ('stop_keyword','unsubscribed','bounced','invalid','spamreport')),
    detail       text NOT NULL DEFAULT '',
    opted_out_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, address)
);

CREATE TABLE action_links (
    id              uuid PRIMARY KEY,
    -- SHA-256 of the token; the token itself is never stored.
    token_hash      bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    journey_id      uuid REFERENCES journeys(id) ON DELETE CASCADE,
    person_kind     text NOT NULL CHECK (person_kind IN ('student','guardian','supervisor','employer','staff')),
    person_ref      text NOT NULL,
    action          text NOT NULL,
    -- For signing: the exact document version this link may sign.
    document_sha256 bytea,
    subject_ref     text NOT NULL DEFAULT '',
    single_use      boolean NOT NULL DEFAULT true,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz,
    revoked_at      timestamptz,
    uses            int NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_links_journey ON action_links(journey_id);

CREATE TABLE staff_login_tokens (
    token_hash  bytea PRIMARY KEY,
    staff_id    uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE staff_sessions (
    id_hash       bytea PRIMARY KEY,
    staff_id      uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);

-- Who did what, when, with before/after. Kept when a student's record is purged.
CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    district_id  uuid,
    school_id    uuid,
    actor_kind   text NOT NULL CHECK (actor_kind IN ('student','guardian','employer','supervisor','staff','system')),
    actor_ref    text NOT NULL DEFAULT '',
    action       text NOT NULL,
    entity_kind  text NOT NULL,
    entity_id    text NOT NULL,
    before       jsonb,
    after        jsonb,
    reason       text,
    ip           text
);
CREATE INDEX audit_entity ON audit_log(entity_kind, entity_id, at);
CREATE INDEX audit_at ON audit_log(at);
