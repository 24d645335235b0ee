-- The journey and everything a student, parent, employer or staff member submits along it.

CREATE TABLE journeys (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id      uuid NOT NULL REFERENCES students(id),
    program_id      uuid NOT NULL REFERENCES programs(id),
    program_year    int NOT NULL,
    program_version int NOT NULL DEFAULT 1,
    workflow_id     text NOT NULL UNIQUE,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open','completed','withdrawn')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    closed_at       timestamptz
);
-- One open journey per student per program year.
CREATE UNIQUE INDEX journeys_one_open ON journeys(student_id, program_year) WHERE status = 'open';
CREATE INDEX journeys_student ON journeys(student_id);

-- Every accepted input, with who gave it: the journey's timeline.
CREATE TABLE journey_events (
    id           bigserial PRIMARY KEY,
    journey_id   uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    -- seq is the workflow's own counter, so a retried write is a no-op.
    seq          bigint NOT NULL,
    kind         text NOT NULL,
    stage        text NOT NULL,
    actor_kind   text NOT NULL CHECK (actor_kind IN ('student','guardian','employer','staff','system')),
    actor_ref    text NOT NULL DEFAULT '',
    detail       jsonb NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL,
    UNIQUE (journey_id, seq)
);

CREATE TABLE survey_responses (
    journey_id      uuid PRIMARY KEY REFERENCES journeys(id) ON DELETE CASCADE,
    pathway         text NOT NULL,
    interests       text[] NOT NULL DEFAULT '{}',
    availability    text NOT NULL DEFAULT '',
    transport       text NOT NULL CHECK (transport IN ('transit','walk','bike','car','remote_only','other')),
    languages       text[] NOT NULL DEFAULT '{}',
    contact_consent boolean NOT NULL,
    submitted_at    timestamptz NOT NULL
);

CREATE TABLE documents (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    journey_id    uuid REFERENCES journeys(id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('resume','cover_letter','work_permit','certificate','mou','deliverable','signed_pdf','other')),
    filename      text NOT NULL DEFAULT '',
    content_type  text NOT NULL,
    size_bytes    int NOT NULL CHECK (size_bytes >= 0),
    sha256        bytea NOT NULL CHECK (length(sha256) = 32),
    bytes         bytea,
    blob_key      text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (bytes IS NOT NULL OR blob_key IS NOT NULL)
);
CREATE INDEX documents_journey ON documents(journey_id);

CREATE TABLE applications (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    journey_id    uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    posting_id    uuid NOT NULL REFERENCES postings(id),
    status        text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','reviewing','interview','offer','declined','accepted','withdrawn')),
    note          text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (journey_id, posting_id)
);
CREATE INDEX applications_posting ON applications(posting_id, status);

CREATE TABLE placements (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    journey_id      uuid NOT NULL UNIQUE REFERENCES journeys(id) ON DELETE CASCADE,
    application_id  uuid REFERENCES applications(id),
    posting_id      uuid NOT NULL REFERENCES postings(id),
    employer_id     uuid NOT NULL REFERENCES employers(id),
    funding_source  text NOT NULL CHECK (funding_source IN ('employer_paid','district_cte','city_program')),
    hours_required  numeric(6,2) NOT NULL CHECK (hours_required >= 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX placements_employer ON placements(employer_id);

CREATE TABLE mous (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employer_id         uuid NOT NULL REFERENCES employers(id),
    program_year        int NOT NULL,
    workflow_id         text NOT NULL UNIQUE,
    status              text NOT NULL DEFAULT 'drafted' CHECK (status IN ('drafted','employer_signed','approved','active','expired')),
    implementation_date date,
    document_id         uuid REFERENCES documents(id),
    employer_signed_at  timestamptz,
    approved_by         uuid REFERENCES staff(id),
    approved_at         timestamptz,
    expires_on          date,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (employer_id, program_year)
);

CREATE TABLE work_permits (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    journey_id     uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    -- Each version is a new document; signatures bind to a document's hash.
    version        int NOT NULL CHECK (version > 0),
    document_id    uuid NOT NULL REFERENCES documents(id),
    status         text NOT NULL DEFAULT 'collecting' CHECK (status IN ('collecting','pending_approval','approved','rejected','superseded')),
    decided_by     uuid REFERENCES staff(id),
    decided_at     timestamptz,
    reason         text,
    signed_pdf_id  uuid REFERENCES documents(id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (journey_id, version),
    CHECK (status <> 'rejected' OR (reason IS NOT NULL AND reason <> ''))
);

CREATE TABLE signatures (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    document_id      uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    document_sha256  bytea NOT NULL CHECK (length(document_sha256) = 32),
    signer_role      text NOT NULL CHECK (signer_role IN ('student','guardian','employer','issuer','district_approver')),
    signer_ref       text NOT NULL,
    typed_name       text NOT NULL CHECK (typed_name <> ''),
    consent_at       timestamptz NOT NULL,
    signed_at        timestamptz NOT NULL,
    ip               text NOT NULL DEFAULT '',
    user_agent       text NOT NULL DEFAULT '',
    link_id          uuid,
    CHECK (consent_at <= signed_at),
    -- One signature per signer per document version.
    UNIQUE (document_id, signer_role, signer_ref)
);

CREATE TABLE trainings (
    code         text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]+$'),
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    url          text
);

CREATE TABLE training_completions (
    journey_id     uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    training_code  text NOT NULL REFERENCES trainings(code),
    document_id    uuid REFERENCES documents(id),
    completed_on   date NOT NULL,
    recorded_at    timestamptz NOT NULL,
    waived_reason  text,
    PRIMARY KEY (journey_id, training_code),
    CHECK (document_id IS NOT NULL OR waived_reason IS NOT NULL)
);

CREATE TABLE timesheets (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    journey_id    uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    week_start    date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    status        text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','approved','correction_requested')),
    hours_total   numeric(5,2) NOT NULL CHECK (hours_total >= 0 AND hours_total <= 168),
    -- Hour-rule findings shown to the supervisor before approval.
    flags         jsonb NOT NULL DEFAULT '[]',
    submitted_at  timestamptz NOT NULL,
    reviewed_at   timestamptz,
    reviewer_ref  text,
    review_note   text,
    UNIQUE (journey_id, week_start)
);

CREATE TABLE timesheet_entries (
    timesheet_id  uuid NOT NULL REFERENCES timesheets(id) ON DELETE CASCADE,
    work_date     date NOT NULL,
    hours         numeric(4,2) NOT NULL CHECK (hours >= 0 AND hours <= 24),
    note          text NOT NULL DEFAULT '',
    PRIMARY KEY (timesheet_id, work_date)
);

CREATE TABLE reflections (
    journey_id    uuid PRIMARY KEY REFERENCES journeys(id) ON DELETE CASCADE,
    body          text NOT NULL CHECK (body <> ''),
    submitted_at  timestamptz NOT NULL
);

CREATE TABLE employer_feedback (
    journey_id    uuid PRIMARY KEY REFERENCES journeys(id) ON DELETE CASCADE,
    -- Soft-skill ratings 1..5 keyed by skill.
    ratings       jsonb NOT NULL,
    comment       text NOT NULL DEFAULT '',
    supervisor_id uuid REFERENCES supervisors(id),
    submitted_at  timestamptz NOT NULL
);

-- The read model dashboards query: one row per journey, written only by the
-- workflow's projection activity and only when updated_seq is newer.
CREATE TABLE journey_view (
    journey_id      uuid PRIMARY KEY REFERENCES journeys(id) ON DELETE CASCADE,
    student_id      uuid NOT NULL REFERENCES students(id),
    district_id     uuid NOT NULL REFERENCES districts(id),
    school_id       uuid NOT NULL REFERENCES schools(id),
    program_id      uuid NOT NULL REFERENCES programs(id),
    stage           text NOT NULL CHECK (stage IN ('survey','intern_ready','applying','mou_gate','work_permit','trainings','working','deliverable','completing','completed','withdrawn')),
    waiting_on      text NOT NULL DEFAULT '' CHECK (waiting_on IN ('','student','guardian','employer','coordinator','permit_issuer','mou','district_ops')),
    waiting_detail  text NOT NULL DEFAULT '',
    stage_since     timestamptz NOT NULL,
    overdue         boolean NOT NULL DEFAULT false,
    next_nudge_at   timestamptz,
    hours_approved  numeric(7,2) NOT NULL DEFAULT 0 CHECK (hours_approved >= 0),
    hours_required  numeric(7,2) NOT NULL DEFAULT 0 CHECK (hours_required >= 0),
    unreachable     boolean NOT NULL DEFAULT false,
    stuck_reason    text NOT NULL DEFAULT '',
    project_title   text NOT NULL DEFAULT '',
    -- Funnel milestones: set once, never cleared, so funnels are monotone.
    survey_done_at    timestamptz,
    intern_ready_at   timestamptz,
    applied_at        timestamptz,
    placed_at         timestamptz,
    permit_done_at    timestamptz,
    trainings_done_at timestamptz,
    working_at        timestamptz,
    completed_at      timestamptz,
    withdrawn_at      timestamptz,
    updated_seq     bigint NOT NULL CHECK (updated_seq >= 0),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- The coordinator list: one school, overdue first, then longest waiting.
CREATE INDEX journey_view_list ON journey_view(school_id, overdue DESC, stage_since, journey_id);
CREATE INDEX journey_view_stage ON journey_view(school_id, stage, overdue DESC, stage_since, journey_id);
CREATE INDEX journey_view_waiting ON journey_view(school_id, waiting_on, overdue DESC, stage_since, journey_id);
CREATE INDEX journey_view_district ON journey_view(district_id, school_id);
CREATE INDEX journey_view_stuck ON journey_view(district_id, stuck_reason) WHERE stuck_reason <> '';
