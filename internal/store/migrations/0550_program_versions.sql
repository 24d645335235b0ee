-- Every version of a program definition is kept: journeys run the version
-- they started with (or were migrated to), so staff can see what each
-- version said. The trigger records a version whenever a program is made
-- or its definition changes, whoever writes it (CLI, programs page, seed);
-- the writer fills created_by in the same transaction when it knows it.
CREATE TABLE program_versions (
    program_id   uuid NOT NULL REFERENCES programs(id) ON DELETE CASCADE,
    version      int NOT NULL CHECK (version > 0),
    name         text NOT NULL,
    kind         text NOT NULL,
    program_year int NOT NULL,
    definition   jsonb NOT NULL,
    created_by   uuid REFERENCES staff(id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, version)
);

INSERT INTO program_versions (program_id, version, name, kind, program_year, definition, created_at)
SELECT id, version, name, kind, program_year, definition, updated_at FROM programs;

CREATE FUNCTION program_version_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO program_versions (program_id, version, name, kind, program_year, definition)
    VALUES (NEW.id, NEW.version, NEW.name, NEW.kind, NEW.program_year, NEW.definition)
    ON CONFLICT (program_id, version) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
        program_year = EXCLUDED.program_year, definition = EXCLUDED.definition;
    RETURN NEW;
END $$;

CREATE TRIGGER program_version_insert AFTER INSERT ON programs
    FOR EACH ROW EXECUTE FUNCTION program_version_kept();
CREATE TRIGGER program_version_update AFTER UPDATE OF version, definition, name, kind, program_year ON programs
    FOR EACH ROW EXECUTE FUNCTION program_version_kept();
