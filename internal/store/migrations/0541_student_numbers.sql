-- The numbers staff know a student by, from the roster: the district's
-- student number (OneRoster users.identifier) and the state student id
-- (users.userIds, e.g. "{StateID:1234567}"). Staff search by either.
ALTER TABLE students ADD COLUMN student_number text CHECK (student_number <> ''),
    ADD COLUMN state_id text CHECK (state_id <> ''),
    -- The SIS's dateLastModified of the row last imported: an older file
    -- never overwrites what a newer one wrote.
    ADD COLUMN roster_modified_at timestamptz;
CREATE INDEX students_number ON students(district_id, lower(student_number)) WHERE student_number IS NOT NULL;
CREATE INDEX students_state_id ON students(district_id, lower(state_id)) WHERE state_id IS NOT NULL;
