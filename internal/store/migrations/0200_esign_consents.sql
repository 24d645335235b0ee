-- ESIGN/UETA consent: before anyone signs through a link page they see the
-- disclosure (electronic records, paper copies, withdrawing consent, what
-- they need to open the documents) and press "I agree". The server records
-- that here, with its own clock, before the signature step is offered; the
-- signature row then carries consent_at from this row.
CREATE TABLE esign_consents (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    link_id          uuid NOT NULL UNIQUE REFERENCES action_links(id) ON DELETE CASCADE,
    person_kind      text NOT NULL CHECK (person_kind IN ('student','guardian','supervisor','employer','staff')),
    person_ref       text NOT NULL,
    -- SHA-256 (hex) of the disclosure text exactly as shown, and its language.
    disclosure_sha256 text NOT NULL CHECK (length(disclosure_sha256) = 64),
    language         text NOT NULL CHECK (language IN ('en','es')),
    -- The document version the person was about to sign.
    document_sha256  bytea CHECK (document_sha256 IS NULL OR length(document_sha256) = 32),
    consented_at     timestamptz NOT NULL DEFAULT now(),
    ip               text NOT NULL DEFAULT '',
    user_agent       text NOT NULL DEFAULT ''
);
