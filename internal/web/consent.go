package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/internflow/internflow/internal/store"
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
type consent = store.ESignConsent

// consentFor returns the consent recorded on the link (nil: none yet).
func (p *Pages) consentFor(ctx context.Context, linkID string) (*consent, error) {
	return p.Store.ESignConsent(ctx, linkID)
}

// recordConsent stores the person's agreement with the server's time, the
// disclosure they saw, the document they are about to sign and where they
// agreed from. Agreeing twice keeps the first record.
func (p *Pages) recordConsent(ctx context.Context, c *call) (*consent, error) {
	err := p.Store.RecordESignConsent(ctx, store.NewESignConsent{LinkID: c.link.ID, PersonKind: c.link.PersonKind,
		PersonRef: c.link.PersonRef, DisclosureSHA: c.lang.disclosureSHA(), Language: c.lang.Code,
		DocumentSHA256: c.link.DocumentSHA256, IP: c.ip, UserAgent: c.ua})
	if err != nil {
		return nil, err
	}
	return p.consentFor(ctx, c.link.ID)
}
