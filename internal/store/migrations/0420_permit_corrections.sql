-- Corrections to a rejected work permit, made before its next version is
-- drawn: by staff (any field) or the employer (its own fields). A row
-- applies to the version it was made for and every later one, so an
-- earlier version still renders exactly as it was signed.
CREATE TABLE permit_corrections (
    id          bigserial PRIMARY KEY,
    journey_id  uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    version     int NOT NULL CHECK (version > 1),
    field       text NOT NULL CHECK (field IN ('date_of_birth','grade','student_address','supervisor','job_title','hours_per_week','schedule','pay')),
    value       text NOT NULL,
    actor_kind  text NOT NULL,
    actor_ref   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (journey_id, version, field)
);
