-- Hour rules for minors are on by default: a district states its state
-- (its programs get the federal rules and that state's), a timesheet keeps
-- the rules it breaks and the hours over them, which count only when staff
-- decide so.
ALTER TABLE districts ADD COLUMN state text NOT NULL DEFAULT 'CA' CHECK (state ~ '^[A-Z]{2}$');

ALTER TABLE timesheets
    -- The breaches as data (internal/hours.Breach), worded for each reader.
    ADD COLUMN breaches jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN hours_withheld numeric(5,2) NOT NULL DEFAULT 0 CHECK (hours_withheld >= 0 AND hours_withheld <= hours_total),
    ADD COLUMN hours_decision text CHECK (hours_decision IN ('count','dont_count')),
    ADD COLUMN hours_decided_by text, -- the staff id
    ADD COLUMN hours_decided_at timestamptz,
    ADD COLUMN hours_decision_reason text,
    ADD CONSTRAINT timesheets_decision_complete CHECK (hours_decision IS NULL
        OR (hours_decided_by IS NOT NULL AND hours_decided_at IS NOT NULL AND hours_decision_reason <> ''));

-- When work ended that day ("21:30"; after midnight reads "00:30"), when
-- the student gave it: checked against the latest hour a minor may work.
ALTER TABLE timesheet_entries ADD COLUMN end_time text CHECK (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');

-- The dashboard's "Hours held" flag: weeks waiting for a staff decision.
CREATE INDEX timesheets_hours_held ON timesheets (journey_id) WHERE hours_withheld > 0 AND hours_decision IS NULL;
