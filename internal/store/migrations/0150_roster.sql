-- Roster imports: one row per run (dry runs too) with its report, which
-- holds counts, line numbers, source ids and reasons but never names or
-- contact details, so the upload page can show past runs.
CREATE TABLE import_runs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    actor_kind   text NOT NULL CHECK (actor_kind IN ('staff','system')),
    actor_ref    text NOT NULL DEFAULT '',
    format       text NOT NULL CHECK (format IN ('oneroster','csv')),
    dry_run      boolean NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    report       jsonb NOT NULL
);
CREATE INDEX import_runs_district ON import_runs(district_id, started_at DESC);

-- Coordinators list students a roster no longer has.
CREATE INDEX students_missing_from_roster ON students(district_id) WHERE missing_from_roster_at IS NOT NULL;
