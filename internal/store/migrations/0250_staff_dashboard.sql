-- Staff sign-in and the staff dashboards.

-- How the session was proven (magic link now; an OIDC provider later), so
-- the audit trail and a future "sign out every session from Google" can
-- tell them apart.
ALTER TABLE staff_sessions ADD COLUMN method text NOT NULL DEFAULT 'magic_link';
-- Sweeping expired sessions.
CREATE INDEX staff_sessions_expires ON staff_sessions(expires_at);

-- District ops and admins list the whole district in the order a
-- coordinator lists one school (overdue first, then longest waiting), and
-- page through it by keyset.
CREATE INDEX journey_view_district_list ON journey_view(district_id, overdue DESC, stage_since, journey_id);
CREATE INDEX journey_view_district_stage ON journey_view(district_id, stage, overdue DESC, stage_since, journey_id);

-- The ops console's causes besides a failing step (journey_view_stuck):
-- waits past their escalation, and people no channel reaches.
CREATE INDEX journey_view_overdue ON journey_view(district_id, stage, waiting_on, stage_since)
    WHERE overdue AND stage NOT IN ('completed', 'withdrawn');
CREATE INDEX journey_view_unreachable ON journey_view(district_id, stage_since)
    WHERE unreachable AND stage NOT IN ('completed', 'withdrawn');

-- Searching students by name prefix (the list's search box); LIKE 'x%'
-- uses these whatever the database's collation.
CREATE INDEX students_last_name_prefix ON students (lower(last_name) text_pattern_ops);
CREATE INDEX students_first_name_prefix ON students (lower(first_name) text_pattern_ops);
CREATE INDEX students_preferred_name_prefix ON students (lower(preferred_name) text_pattern_ops)
    WHERE preferred_name IS NOT NULL;

-- MOU approvers see the MOUs employers have signed.
CREATE INDEX mous_employer_signed ON mous(employer_id) WHERE status = 'employer_signed';
