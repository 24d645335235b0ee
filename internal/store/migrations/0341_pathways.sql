-- One list of pathways: California's 15 CTE industry sectors by their
-- official names (internal/pathways). The survey stored its own shorter
-- names ("Health Sciences") while postings used the sectors' ("Health
-- Science and Medical Technology"), so reports split one pathway in two and
-- students never matched the postings of theirs. Old values take the
-- sector's name; anything else is left as it was.
CREATE TEMPORARY TABLE pathway_names (old text PRIMARY KEY, name text NOT NULL) ON COMMIT DROP;
INSERT INTO pathway_names (old, name) VALUES
    ('health sciences', 'Health Science and Medical Technology'),
    ('health science', 'Health Science and Medical Technology'),
    ('health science and medical technology', 'Health Science and Medical Technology'),
    ('agriculture and natural resources', 'Agriculture and Natural Resources'),
    ('arts media and entertainment', 'Arts, Media, and Entertainment'),
    ('building and construction trades', 'Building and Construction Trades'),
    ('business and finance', 'Business and Finance'),
    ('education child development and family services', 'Education, Child Development, and Family Services'),
    ('energy environment and utilities', 'Energy, Environment, and Utilities'),
    ('engineering and architecture', 'Engineering and Architecture'),
    ('fashion and interior design', 'Fashion and Interior Design'),
    ('hospitality tourism and recreation', 'Hospitality, Tourism, and Recreation'),
    ('information and communication technologies', 'Information and Communication Technologies'),
    ('manufacturing and product development', 'Manufacturing and Product Development'),
    ('marketing sales and services', 'Marketing, Sales, and Service'),
    ('marketing sales and service', 'Marketing, Sales, and Service'),
    ('public services', 'Public Services'),
    ('transportation', 'Transportation');

-- The key folds case, commas and spacing, as pathways.Canonical does.
UPDATE survey_responses sr SET pathway = pn.name FROM pathway_names pn
WHERE pn.old = lower(regexp_replace(trim(replace(sr.pathway, ',', ' ')), '\s+', ' ', 'g')) AND sr.pathway <> pn.name;
UPDATE postings p SET pathway = pn.name FROM pathway_names pn
WHERE pn.old = lower(regexp_replace(trim(replace(p.pathway, ',', ' ')), '\s+', ' ', 'g')) AND p.pathway <> pn.name;
