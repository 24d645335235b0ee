-- The SHA-256 of the fields a permit version was drawn from (their JSON),
-- stored with the version. A signer's page shows the fields on screen only
-- when they are still what the PDF says: with this, it compares two hashes
-- instead of drawing the PDF again, which cost the API most of its CPU
-- while a district's permits were being signed. Versions drawn before it
-- are NULL and are checked by drawing, as before.
ALTER TABLE work_permits ADD COLUMN fields_sha256 bytea CHECK (length(fields_sha256) = 32);
