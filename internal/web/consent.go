package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// disclosureKeys are the paragraphs of the ESIGN consumer disclosure shown
// before anyone signs: what signing electronically means, the right to
// paper, how to withdraw consent, what is needed to open the documents,
// and how to keep a copy.
var disclosureKeys = []string{"esign.d1", "esign.d2", "esign.d3", "esign.d4", "esign.d5"}

// disclosure is the disclosure as shown in this language.
func (l Lang) disclosure() []string {
	out := make([]string, len(disclosureKeys))
	for i, k := range disclosureKeys {
		out[i] = l.T(k)
	}
	return out
}

// disclosureSHA identifies the exact disclosure text a person agreed to.
func (l Lang) disclosureSHA() string {
	sum := sha256.Sum256([]byte(strings.Join(l.disclosure(), "\n\n")))
	return hex.EncodeToString(sum[:])
}

// consent is a person's recorded "I agree" on one signing link.
type consent struct {
	At            time.Time
	DisclosureSHA string
	Language      string
}

// consentFor returns the consent recorded on the link (nil: none yet).
func (p *Pages) consentFor(ctx context.Context, linkID string) (*consent, error) {
	var cs consent
	err := p.Store.Pool.QueryRow(ctx, `SELECT consented_at, disclosure_sha256, language FROM esign_consents WHERE link_id = $1`,
		linkID).Scan(&cs.At, &cs.DisclosureSHA, &cs.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &cs, nil
}

// recordConsent stores the person's agreement with the server's time, the
// disclosure they saw, the document they are about to sign and where they
// agreed from. Agreeing twice keeps the first record.
func (p *Pages) recordConsent(ctx context.Context, c *call) (*consent, error) {
	_, err := p.Store.Pool.Exec(ctx, `INSERT INTO esign_consents (link_id, person_kind, person_ref, disclosure_sha256,
			language, document_sha256, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (link_id) DO NOTHING`,
		c.link.ID, c.link.PersonKind, c.link.PersonRef, c.lang.disclosureSHA(), c.lang.Code, c.link.DocumentSHA256, c.ip, c.ua)
	if err != nil {
		return nil, err
	}
	return p.consentFor(ctx, c.link.ID)
}
