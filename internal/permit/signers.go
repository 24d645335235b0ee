package permit

import (
	"context"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/names"
	"github.com/internflow/internflow/internal/store"
)

// Signer is one signature on a permit version as the issuer reviews it:
// the name typed beside the name on record, and whether they differ.
type Signer struct {
	Role         string
	TypedName    string
	NameOnRecord string // "" when the district has no name for the signer
	SignedAt     time.Time
	// Mismatch: the typed name is not the name on record (the signer was
	// asked and confirmed it); the issuer should check before approving.
	Mismatch bool
}

// Signers lists a permit document's signatures in signing order. The name
// on record is read now, so a record corrected since signing shows the
// corrected name: the issuer approves against the record as it stands.
func Signers(ctx context.Context, st *store.Store, documentID string) ([]Signer, error) {
	found, err := st.DocumentSignatures(ctx, documentID)
	if err != nil {
		return nil, err
	}
	out := make([]Signer, 0, len(found))
	for _, f := range found {
		s := Signer{Role: f.Role, TypedName: f.TypedName, SignedAt: f.SignedAt}
		rec, err := st.NameOnRecord(ctx, f.SignerRef)
		if err != nil {
			return nil, fmt.Errorf("name on record: %w", err)
		}
		s.NameOnRecord = rec.Name
		s.Mismatch = rec.Name != "" && !names.Match(s.TypedName, names.Record(rec).Names()...)
		out = append(out, s)
	}
	return out, nil
}
