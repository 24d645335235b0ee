package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Districts' OpenID Connect sign-in settings and the email domains each
// signs in.
const (
	qDistrictSSO = `SELECT provider, display_name, issuer_url, client_id, client_secret_sealed, email_claim, enabled, magic_link,
			ARRAY(SELECT domain FROM district_sso_domains d WHERE d.district_id = s.district_id ORDER BY domain)
		FROM district_sso s WHERE district_id = $1`
	qSSODistrictOfDomain = `SELECT d.district_id::text FROM district_sso_domains d
		JOIN district_sso s ON s.district_id = d.district_id WHERE d.domain = $1 AND s.enabled`
	qMagicLinkAllowed  = `SELECT magic_link OR NOT enabled FROM district_sso WHERE district_id = $1`
	qFirstTwoDistricts = `SELECT id::text FROM districts ORDER BY id LIMIT 2`
	// qUpdateDistrictSSO keeps the stored secret: a blank one updates the
	// other columns of an existing row only.
	qUpdateDistrictSSO = `UPDATE district_sso SET provider = $2, display_name = $3, issuer_url = $4, client_id = $5, email_claim = $7,
				enabled = $8, magic_link = $9, updated_by = $10, updated_at = now()
			WHERE district_id = $1 AND $6 = ''`
	qUpsertDistrictSSO = `INSERT INTO district_sso (district_id, provider, display_name, issuer_url, client_id, client_secret_sealed,
					email_claim, enabled, magic_link, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (district_id) DO UPDATE SET provider = EXCLUDED.provider, display_name = EXCLUDED.display_name,
					issuer_url = EXCLUDED.issuer_url, client_id = EXCLUDED.client_id, client_secret_sealed = EXCLUDED.client_secret_sealed,
					email_claim = EXCLUDED.email_claim, enabled = EXCLUDED.enabled, magic_link = EXCLUDED.magic_link,
					updated_by = EXCLUDED.updated_by, updated_at = now()`
	qClearSSODomains = `DELETE FROM district_sso_domains WHERE district_id = $1`
	qAddSSODomain    = `INSERT INTO district_sso_domains (domain, district_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`
)

// DistrictSSO is a district's sign-in settings row; the client secret is
// sealed (SealedSecret "" on a save keeps the stored one).
type DistrictSSO struct {
	DistrictID               string
	Provider, DisplayName    string
	IssuerURL, ClientID      string
	SealedSecret, EmailClaim string
	Enabled, MagicLink       bool
	EmailDomains             []string
}

// Errors of SaveDistrictSSO.
var (
	// ErrNoSSOSecret: new settings need a client secret.
	ErrNoSSOSecret = errors.New("no client secret stored")
	// ErrSSODomainTaken: another district signs in that domain.
	ErrSSODomainTaken = errors.New("email domain taken by another district")
)

// DistrictSSO reads the district's settings; ErrNotFound when it has none.
func (s *Store) DistrictSSO(ctx context.Context, districtID string) (DistrictSSO, error) {
	d := DistrictSSO{DistrictID: districtID}
	err := s.Pool.QueryRow(ctx, qDistrictSSO, districtID).
		Scan(&d.Provider, &d.DisplayName, &d.IssuerURL, &d.ClientID, &d.SealedSecret, &d.EmailClaim, &d.Enabled, &d.MagicLink, &d.EmailDomains)
	return d, notFound(err)
}

// SSODistrictOfDomain is the district whose enabled settings sign in this
// email domain; ErrNotFound when none.
func (s *Store) SSODistrictOfDomain(ctx context.Context, domain string) (string, error) {
	var district string
	err := s.Pool.QueryRow(ctx, qSSODistrictOfDomain, domain).Scan(&district)
	return district, notFound(err)
}

// MagicLinkAllowed reports whether the district's settings keep emailed
// sign-in links; ErrNotFound when it has no settings.
func (s *Store) MagicLinkAllowed(ctx context.Context, districtID string) (bool, error) {
	var allowed bool
	err := s.Pool.QueryRow(ctx, qMagicLinkAllowed, districtID).Scan(&allowed)
	return allowed, notFound(err)
}

// OnlyDistrict is the install's only district; "" when there are none or
// several.
func (s *Store) OnlyDistrict(ctx context.Context) (string, error) {
	rows, err := s.Pool.Query(ctx, qFirstTwoDistricts)
	if err != nil {
		return "", fmt.Errorf("districts: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(ids) != 1 {
		return "", err
	}
	return ids[0], nil
}

// SaveDistrictSSO writes the district's settings and replaces its
// domains, with the audit entry, in one transaction. ErrNoSSOSecret when
// new settings come without a secret, ErrSSODomainTaken (wrapped, naming
// the domain) when another district has one of the domains.
func (s *Store) SaveDistrictSSO(ctx context.Context, d DistrictSSO, staffID string, entry AuditEntry) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		q := qUpdateDistrictSSO
		if d.SealedSecret != "" {
			q = qUpsertDistrictSSO
		}
		tag, err := tx.Exec(ctx, q, d.DistrictID, d.Provider, d.DisplayName, d.IssuerURL, d.ClientID, d.SealedSecret, d.EmailClaim,
			d.Enabled, d.MagicLink, staffID)
		if err != nil {
			return fmt.Errorf("save sign-in settings: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNoSSOSecret
		}
		if _, err := tx.Exec(ctx, qClearSSODomains, d.DistrictID); err != nil {
			return fmt.Errorf("replace sign-in domains: %w", err)
		}
		for _, domain := range d.EmailDomains {
			tag, err := tx.Exec(ctx, qAddSSODomain, domain, d.DistrictID)
			if err != nil {
				return fmt.Errorf("sign-in domain: %w", err)
			}
			if tag.RowsAffected() == 0 {
				return fmt.Errorf("%w: %s", ErrSSODomainTaken, domain)
			}
		}
		return AuditTx(ctx, tx, entry)
	})
}
