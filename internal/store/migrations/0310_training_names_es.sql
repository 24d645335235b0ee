-- A training's name in Spanish, for texts to Spanish-speaking students
-- ("termina tu capacitación Seguridad en el trabajo"); empty falls back to name.
ALTER TABLE trainings ADD COLUMN name_es text NOT NULL DEFAULT '';
