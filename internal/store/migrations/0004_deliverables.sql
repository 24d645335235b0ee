-- Micro-internship deliverables: each submission is a version the employer accepts or returns.
CREATE TABLE deliverables (
    journey_id     uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    version        int NOT NULL CHECK (version > 0),
    document_id    uuid REFERENCES documents(id),
    note           text NOT NULL DEFAULT '',
    hours          numeric(5,2) NOT NULL DEFAULT 0 CHECK (hours >= 0 AND hours <= 200),
    status         text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','accepted','changes_requested')),
    review_comment text,
    submitted_at   timestamptz NOT NULL,
    reviewed_at    timestamptz,
    PRIMARY KEY (journey_id, version)
);

-- Placements remember what the journey needs from the posting at acceptance.
ALTER TABLE placements ADD COLUMN supervisor_id uuid REFERENCES supervisors(id);
ALTER TABLE placements ADD COLUMN worksite_id uuid REFERENCES worksites(id);
ALTER TABLE placements ADD COLUMN title text NOT NULL DEFAULT '';

-- Audit rows written by retried activities carry a key so they are written once.
ALTER TABLE audit_log ADD COLUMN idem_key text;
CREATE UNIQUE INDEX audit_idem ON audit_log(idem_key) WHERE idem_key IS NOT NULL;
