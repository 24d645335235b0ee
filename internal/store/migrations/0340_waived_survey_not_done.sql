-- A waived survey is not done. Journeys recorded the survey as done when
-- staff waived it, so the funnel counted them under "Survey done"; only a
-- survey the student answered (a survey_responses row) counts. The funnel
-- counters follow through their triggers (0251).
UPDATE journey_view jv SET survey_done_at = NULL
WHERE jv.survey_done_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM survey_responses sr WHERE sr.journey_id = jv.journey_id);
