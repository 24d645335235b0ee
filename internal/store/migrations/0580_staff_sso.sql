-- Staff sign-in with the district's OpenID Connect provider (Google
-- Workspace, Microsoft Entra ID, any standards-compliant issuer), set by
-- the district admin on the Sign-in page. The client secret is sealed with
-- PAYLOAD_KEYS (AES-256-GCM, the key's id inside the value) and never
-- stored in the clear.
CREATE TABLE district_sso (
    district_id          uuid PRIMARY KEY REFERENCES districts(id) ON DELETE CASCADE,
    provider             text NOT NULL CHECK (provider IN ('google', 'microsoft', 'oidc')),
    -- What the button says after "Sign in with".
    display_name         text NOT NULL CHECK (display_name <> '' AND length(display_name) <= 60),
    issuer_url           text NOT NULL CHECK (issuer_url LIKE 'https://%' OR issuer_url LIKE 'http://127.0.0.1:%' OR issuer_url LIKE 'http://localhost:%'),
    client_id            text NOT NULL CHECK (client_id <> ''),
    client_secret_sealed text NOT NULL CHECK (client_secret_sealed <> ''),
    -- Which claim carries the staff member's address: "email" (only when
    -- email_verified, or Entra's xms_edov, is true) or, when the admin opts
    -- in for an Entra tenant, the tenant-managed preferred_username or upn.
    email_claim          text NOT NULL DEFAULT 'email' CHECK (email_claim IN ('email', 'preferred_username', 'upn')),
    enabled              boolean NOT NULL DEFAULT true,
    -- The emailed sign-in link stays a fallback unless the admin switches
    -- it off (only while SSO is enabled).
    magic_link           boolean NOT NULL DEFAULT true CHECK (magic_link OR enabled),
    updated_by           uuid REFERENCES staff(id) ON DELETE SET NULL,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- The email domains whose staff the district's provider signs in; a
-- domain belongs to one district, so the sign-in page knows where to send
-- an address.
CREATE TABLE district_sso_domains (
    domain      text PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$'),
    district_id uuid NOT NULL REFERENCES district_sso(district_id) ON DELETE CASCADE
);
CREATE INDEX district_sso_domains_district ON district_sso_domains(district_id);

-- Sign-ins under way at a provider: one row per authorization request,
-- keyed by the SHA-256 of its state (the browser holds the state itself in
-- a short-lived cookie), deleted when the callback uses it, so a replayed
-- state finds nothing. The PKCE verifier and nonce never leave the server.
CREATE TABLE oidc_sign_ins (
    state_hash    bytea PRIMARY KEY,
    district_id   uuid NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
    nonce         text NOT NULL,
    code_verifier text NOT NULL,
    next_path     text NOT NULL DEFAULT '/staff',
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX oidc_sign_ins_expires ON oidc_sign_ins(expires_at);
