-- Supervisors act on journeys too (timesheets, decisions, feedback).
ALTER TABLE journey_events DROP CONSTRAINT journey_events_actor_kind_check;
ALTER TABLE journey_events ADD CONSTRAINT journey_events_actor_kind_check
    CHECK (actor_kind IN ('student','guardian','employer','supervisor','staff','system'));
