-- Funnel counts kept current as the read model changes, so a district's
-- funnel is a sum over a few dozen rows instead of an aggregate over every
-- journey (50,000 rows took 35 ms on a small machine; this takes well under 1).
--
-- Milestones in journey_view are set once and never cleared, but a row can
-- also move school or be deleted (a purge), so each statement adds what its
-- new rows count and subtracts what its old rows counted, per key. A write
-- that changes no milestone and no key nets to zero and touches nothing.

CREATE TABLE journey_funnel_counts (
    district_id     uuid NOT NULL,
    school_id       uuid NOT NULL,
    program_id      uuid NOT NULL,
    signed_up       int NOT NULL DEFAULT 0,
    survey_done     int NOT NULL DEFAULT 0,
    intern_ready    int NOT NULL DEFAULT 0,
    applied         int NOT NULL DEFAULT 0,
    placed          int NOT NULL DEFAULT 0,
    permit_done     int NOT NULL DEFAULT 0,
    trainings_done  int NOT NULL DEFAULT 0,
    working         int NOT NULL DEFAULT 0,
    completed       int NOT NULL DEFAULT 0,
    withdrawn       int NOT NULL DEFAULT 0,
    PRIMARY KEY (district_id, school_id, program_id)
);

-- journey_funnel_apply adds, per key, what the statement's new rows count
-- and subtracts what its old rows counted. The transition tables are named
-- in dynamic SQL because an INSERT trigger has no old table (nor a DELETE
-- trigger a new one). Keys are locked in order, so two bulk writes cannot
-- deadlock on the counters.
CREATE FUNCTION journey_funnel_apply() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    none constant text := '(SELECT * FROM journey_view WHERE false)';
    src_new text := 'funnel_new';
    src_old text := 'funnel_old';
BEGIN
    IF TG_OP = 'INSERT' THEN
        src_old := none;
    ELSIF TG_OP = 'DELETE' THEN
        src_new := none;
    END IF;
    EXECUTE format($q$
    INSERT INTO journey_funnel_counts AS c (district_id, school_id, program_id, signed_up, survey_done,
        intern_ready, applied, placed, permit_done, trainings_done, working, completed, withdrawn)
    SELECT district_id, school_id, program_id, sum(n), sum(survey_done), sum(intern_ready), sum(applied),
        sum(placed), sum(permit_done), sum(trainings_done), sum(working), sum(completed), sum(withdrawn)
    FROM (
        SELECT district_id, school_id, program_id, 1 AS n,
            (survey_done_at IS NOT NULL)::int AS survey_done, (intern_ready_at IS NOT NULL)::int AS intern_ready,
            (applied_at IS NOT NULL)::int AS applied, (placed_at IS NOT NULL)::int AS placed,
            (permit_done_at IS NOT NULL)::int AS permit_done, (trainings_done_at IS NOT NULL)::int AS trainings_done,
            (working_at IS NOT NULL)::int AS working, (completed_at IS NOT NULL)::int AS completed,
            (withdrawn_at IS NOT NULL)::int AS withdrawn
        FROM %s s
        UNION ALL
        SELECT district_id, school_id, program_id, -1,
            -(survey_done_at IS NOT NULL)::int, -(intern_ready_at IS NOT NULL)::int, -(applied_at IS NOT NULL)::int,
            -(placed_at IS NOT NULL)::int, -(permit_done_at IS NOT NULL)::int, -(trainings_done_at IS NOT NULL)::int,
            -(working_at IS NOT NULL)::int, -(completed_at IS NOT NULL)::int, -(withdrawn_at IS NOT NULL)::int
        FROM %s s
    ) d
    GROUP BY district_id, school_id, program_id
    HAVING sum(n) <> 0 OR sum(survey_done) <> 0 OR sum(intern_ready) <> 0 OR sum(applied) <> 0
        OR sum(placed) <> 0 OR sum(permit_done) <> 0 OR sum(trainings_done) <> 0 OR sum(working) <> 0
        OR sum(completed) <> 0 OR sum(withdrawn) <> 0
    ORDER BY district_id, school_id, program_id
    ON CONFLICT (district_id, school_id, program_id) DO UPDATE SET
        signed_up = c.signed_up + EXCLUDED.signed_up, survey_done = c.survey_done + EXCLUDED.survey_done,
        intern_ready = c.intern_ready + EXCLUDED.intern_ready, applied = c.applied + EXCLUDED.applied,
        placed = c.placed + EXCLUDED.placed, permit_done = c.permit_done + EXCLUDED.permit_done,
        trainings_done = c.trainings_done + EXCLUDED.trainings_done, working = c.working + EXCLUDED.working,
        completed = c.completed + EXCLUDED.completed, withdrawn = c.withdrawn + EXCLUDED.withdrawn
    $q$, src_new, src_old);
    RETURN NULL;
END $fn$;

CREATE TRIGGER journey_funnel_insert AFTER INSERT ON journey_view
    REFERENCING NEW TABLE AS funnel_new FOR EACH STATEMENT EXECUTE FUNCTION journey_funnel_apply();
CREATE TRIGGER journey_funnel_update AFTER UPDATE ON journey_view
    REFERENCING OLD TABLE AS funnel_old NEW TABLE AS funnel_new FOR EACH STATEMENT EXECUTE FUNCTION journey_funnel_apply();
CREATE TRIGGER journey_funnel_delete AFTER DELETE ON journey_view
    REFERENCING OLD TABLE AS funnel_old FOR EACH STATEMENT EXECUTE FUNCTION journey_funnel_apply();

-- Journeys already in the read model.
INSERT INTO journey_funnel_counts (district_id, school_id, program_id, signed_up, survey_done, intern_ready,
    applied, placed, permit_done, trainings_done, working, completed, withdrawn)
SELECT district_id, school_id, program_id, count(*), count(survey_done_at), count(intern_ready_at), count(applied_at),
    count(placed_at), count(permit_done_at), count(trainings_done_at), count(working_at), count(completed_at),
    count(withdrawn_at)
FROM journey_view GROUP BY district_id, school_id, program_id;
