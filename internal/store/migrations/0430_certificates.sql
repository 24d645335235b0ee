-- Certificates of completion: one per completed journey, issued when the
-- journey completes (internal/certificate). The row keeps what the PDF
-- certifies as it was printed, so a staff member verifying a code sees
-- what the holder shows them even if records are corrected later; a
-- certificate that should no longer stand is revoked, never deleted.
CREATE TABLE certificates (
    journey_id     uuid PRIMARY KEY REFERENCES journeys(id) ON DELETE CASCADE,
    district_id    uuid NOT NULL REFERENCES districts(id),
    -- Printed on the certificate: 12 characters from 32 (no 0/O, 1/I),
    -- about 60 bits, grouped by four.
    code           text NOT NULL UNIQUE CHECK (code ~ '^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$'),
    document_id    uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    language       text NOT NULL CHECK (language IN ('en','es')),
    student_name   text NOT NULL,
    school_name    text NOT NULL,
    program_name   text NOT NULL,
    program_year   int NOT NULL,
    employer_name  text NOT NULL DEFAULT '',
    title          text NOT NULL DEFAULT '',
    hours          numeric(7,2) NOT NULL CHECK (hours >= 0),
    started_on     date,
    completed_on   date NOT NULL,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    revoked_by     uuid REFERENCES staff(id),
    revoked_reason text,
    CHECK (revoked_at IS NULL OR (revoked_reason IS NOT NULL AND revoked_reason <> ''))
);
CREATE INDEX certificates_district ON certificates(district_id);
