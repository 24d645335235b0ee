-- Roster uploads too large to answer at once run in the background; the
-- upload page follows them here (how many students are written of how
-- many) and shows the report when done. A job whose heartbeat stops (the
-- server restarted) reads as stopped; its written batches are complete.
CREATE TABLE import_jobs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    actor_ref    text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now(),
    done         int NOT NULL DEFAULT 0,
    total        int NOT NULL DEFAULT 0,
    finished_at  timestamptz,
    -- The report (counts, lines, reasons: never names) or what stopped it.
    report       jsonb,
    error        text
);
CREATE INDEX import_jobs_district ON import_jobs(district_id, started_at DESC);
