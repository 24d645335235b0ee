-- Core system of record: who is in the program and where they work.
-- Enumerations are CHECKed text so adding a value is one ALTER, not a type migration.

CREATE TABLE districts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL CHECK (name <> ''),
    timezone      text NOT NULL DEFAULT 'America/Los_Angeles',
    -- SMS quiet hours in the recipient's local time: no texts from quiet_start to quiet_end.
    quiet_start   smallint NOT NULL DEFAULT 21 CHECK (quiet_start BETWEEN 0 AND 23),
    quiet_end     smallint NOT NULL DEFAULT 8 CHECK (quiet_end BETWEEN 0 AND 23),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE schools (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    name         text NOT NULL CHECK (name <> ''),
    source_id    text,
    timezone     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (district_id, source_id)
);
CREATE INDEX schools_district ON schools(district_id);

CREATE TABLE staff (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    name         text NOT NULL CHECK (name <> ''),
    email        text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    phone        text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    source_id    text,
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (district_id, source_id)
);

-- A role is district-wide when school_id is NULL; a coordinator role names its school.
CREATE TABLE staff_roles (
    id         bigserial PRIMARY KEY,
    staff_id   uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('coordinator','permit_issuer','mou_approver','district_ops','district_admin')),
    school_id  uuid REFERENCES schools(id),
    CHECK (role <> 'coordinator' OR school_id IS NOT NULL)
);
CREATE UNIQUE INDEX staff_roles_unique ON staff_roles(staff_id, role, COALESCE(school_id, '00000000-0000-0000-0000-000000000000'));

CREATE TABLE programs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id  uuid NOT NULL REFERENCES districts(id),
    name         text NOT NULL CHECK (name <> ''),
    kind         text NOT NULL CHECK (kind IN ('summer_paid','micro','in_district','virtual')),
    program_year int NOT NULL CHECK (program_year BETWEEN 2000 AND 2100),
    -- The full definition (stages, hours, ladders, trainings); journeys copy the version they start with.
    version      int NOT NULL DEFAULT 1 CHECK (version > 0),
    definition   jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE students (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id     uuid NOT NULL REFERENCES districts(id),
    school_id       uuid NOT NULL REFERENCES schools(id),
    source_id       text,
    first_name      text NOT NULL CHECK (first_name <> ''),
    last_name       text NOT NULL CHECK (last_name <> ''),
    preferred_name  text,
    date_of_birth   date,
    grade           smallint CHECK (grade BETWEEN 6 AND 13),
    phone           text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    email           text CHECK (email = lower(email) AND email LIKE '%_@_%'),
    language        text NOT NULL DEFAULT 'en' CHECK (language IN ('en','es')),
    timezone        text,
    address_line1   text,
    city            text,
    state           text,
    postal_code     text,
    -- Set when a roster re-import no longer lists the student; never a delete.
    missing_from_roster_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (district_id, source_id)
);
CREATE INDEX students_school ON students(school_id);
CREATE INDEX students_name ON students(lower(last_name), lower(first_name));

CREATE TABLE guardians (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id    uuid NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    position      smallint NOT NULL CHECK (position IN (1, 2)),
    name          text NOT NULL CHECK (name <> ''),
    relationship  text,
    phone         text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    email         text CHECK (email = lower(email) AND email LIKE '%_@_%'),
    language      text NOT NULL DEFAULT 'en' CHECK (language IN ('en','es')),
    source_id     text,
    UNIQUE (student_id, position)
);

CREATE TABLE employers (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    district_id    uuid NOT NULL REFERENCES districts(id),
    name           text NOT NULL CHECK (name <> ''),
    -- The district itself hires for in-district placements: no MOU is ever needed.
    is_district    boolean NOT NULL DEFAULT false,
    contact_name   text,
    contact_email  text CHECK (contact_email = lower(contact_email) AND contact_email LIKE '%_@_%'),
    contact_phone  text CHECK (contact_phone ~ '^\+[1-9][0-9]{7,14}$'),
    timezone       text,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE supervisors (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employer_id  uuid NOT NULL REFERENCES employers(id),
    name         text NOT NULL CHECK (name <> ''),
    email        text CHECK (email = lower(email) AND email LIKE '%_@_%'),
    phone        text CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    timezone     text,
    language     text NOT NULL DEFAULT 'en' CHECK (language IN ('en','es')),
    -- In-district placements are supervised by a staff member.
    staff_id     uuid REFERENCES staff(id),
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

CREATE TABLE worksites (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employer_id    uuid NOT NULL REFERENCES employers(id),
    name           text NOT NULL CHECK (name <> ''),
    remote         boolean NOT NULL DEFAULT false,
    address_line1  text,
    city           text,
    state          text,
    postal_code    text,
    safety_notes   text,
    timezone       text,
    CHECK (remote OR (address_line1 IS NOT NULL AND address_line1 <> '' AND city IS NOT NULL))
);

CREATE TABLE postings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employer_id      uuid NOT NULL REFERENCES employers(id),
    program_id       uuid REFERENCES programs(id),
    worksite_id      uuid REFERENCES worksites(id),
    supervisor_id    uuid REFERENCES supervisors(id),
    title            text NOT NULL CHECK (title <> ''),
    description      text NOT NULL DEFAULT '',
    pathway          text,
    hours_per_week   numeric(4,1) CHECK (hours_per_week > 0 AND hours_per_week <= 40),
    schedule         text,
    pay_type         text NOT NULL DEFAULT 'hourly' CHECK (pay_type IN ('hourly','stipend','unpaid')),
    pay_cents        int CHECK (pay_cents >= 0),
    funding_source   text NOT NULL DEFAULT 'employer_paid' CHECK (funding_source IN ('employer_paid','district_cte','city_program')),
    spot_type        text NOT NULL DEFAULT 'competitive' CHECK (spot_type IN ('guaranteed','competitive')),
    spots            int NOT NULL DEFAULT 1 CHECK (spots > 0),
    requirements     text[] NOT NULL DEFAULT '{}',
    required_trainings text[] NOT NULL DEFAULT '{}',
    deliverable      text,
    deadline         date,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','closed')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- A published posting must say where the work happens (a worksite row is an address or remote).
    CHECK (status <> 'published' OR worksite_id IS NOT NULL)
);
CREATE INDEX postings_employer ON postings(employer_id);
CREATE INDEX postings_published ON postings(status, deadline) WHERE status = 'published';
