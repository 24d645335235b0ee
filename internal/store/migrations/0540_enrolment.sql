-- Enrolment from the browser or a script: one batch per request (the
-- request key makes a second submit of the same form, or a retried API
-- call, the same batch) and one item per student, worked through by the
-- enrolment runner. An item is claimed with a lease, so a crashed runner's
-- items are picked up again; enrolling itself is idempotent (one open
-- journey per student and year; workflow ids derive from journey ids).
CREATE TABLE enrolment_batches (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    program_id   uuid NOT NULL REFERENCES programs(id),
    request_key  text NOT NULL CHECK (request_key <> ''),
    -- Who asked: a staff member (staff id) or a district API token (token id).
    actor_kind   text NOT NULL CHECK (actor_kind IN ('staff', 'api_token')),
    actor_ref    text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (district_id, request_key)
);

CREATE TABLE enrolment_items (
    batch_id     uuid NOT NULL REFERENCES enrolment_batches(id) ON DELETE CASCADE,
    student_id   uuid NOT NULL REFERENCES students(id),
    -- enrolled: this batch opened the journey; already: the student was in
    -- the program already; skipped: the student has an open journey in
    -- another program that year (one journey per student per year).
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'enrolled', 'already', 'skipped')),
    journey_id   uuid REFERENCES journeys(id) ON DELETE SET NULL,
    lease_until  timestamptz NOT NULL DEFAULT '-infinity',
    attempts     int NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, student_id)
);
CREATE INDEX enrolment_items_pending ON enrolment_items(batch_id, lease_until) WHERE state = 'pending';
CREATE INDEX enrolment_items_student ON enrolment_items(student_id);

-- District API tokens: service accounts for scripts. Only the SHA-256 of
-- a token is kept; the token itself is shown once, when created.
CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    name         text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    token_hash   bytea NOT NULL UNIQUE,
    created_by   uuid NOT NULL REFERENCES staff(id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   uuid REFERENCES staff(id)
);
CREATE INDEX api_tokens_district ON api_tokens(district_id, created_at DESC);
