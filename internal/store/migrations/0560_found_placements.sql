-- Internships students found for themselves (issue 19): the report as the
-- student typed it, where its vetting and the supervisor's confirmation
-- stand, and the closed posting that carries its terms once approved.
CREATE TABLE found_placements (
    id          uuid PRIMARY KEY,
    journey_id  uuid NOT NULL REFERENCES journeys(id) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('submitted','changes_requested','awaiting_supervisor','confirmed','declined')),
    details     jsonb NOT NULL,
    comment     text,
    reason      text,
    posting_id  uuid REFERENCES postings(id),
    reported_by_kind text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX found_placements_journey ON found_placements(journey_id);

-- How a student was placed: through a posting, or one they found.
ALTER TABLE placements ADD COLUMN source text NOT NULL DEFAULT 'posting'
    CHECK (source IN ('posting','student_found'));

-- A posting made for a student-found placement is never listed to others.
ALTER TABLE postings ADD COLUMN source text NOT NULL DEFAULT 'staff'
    CHECK (source IN ('staff','student_found'));
