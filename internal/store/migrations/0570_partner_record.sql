-- The employer partner record. The student's side of a placement: would
-- they recommend it to a friend (1-5; NULL in reflections written before
-- the question was asked) and an optional comment only staff read. Staff
-- may mark a comment a shareable story (who and when, besides the audit
-- entry, so the employer page can say so).
ALTER TABLE reflections
    ADD COLUMN recommend       smallint CHECK (recommend BETWEEN 1 AND 5),
    ADD COLUMN comment         text NOT NULL DEFAULT '',
    ADD COLUMN story_marked_at timestamptz,
    ADD COLUMN story_marked_by uuid REFERENCES staff(id);

-- An MOU's terms (planned interns, worksites, the employer's signatory),
-- written into its document. A returning employer's next MOU starts from
-- its last one: carried_from is that MOU and carried_fields the terms
-- taken from it unchanged, so staff see what to check.
ALTER TABLE mous
    ADD COLUMN terms          jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN carried_from   uuid REFERENCES mous(id) ON DELETE SET NULL,
    ADD COLUMN carried_fields text[] NOT NULL DEFAULT '{}';
