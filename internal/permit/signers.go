package permit

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/names"
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
func Signers(ctx context.Context, pool *pgxpool.Pool, documentID string) ([]Signer, error) {
	type row struct {
		Signer
		ref string
	}
	rows, err := pool.Query(ctx, `SELECT signer_role, typed_name, signer_ref, signed_at
		FROM signatures WHERE document_id = $1 ORDER BY signed_at`, documentID)
	if err != nil {
		return nil, fmt.Errorf("signatures of %s: %w", documentID, err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var s row
		err := r.Scan(&s.Role, &s.TypedName, &s.ref, &s.SignedAt)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("signatures of %s: %w", documentID, err)
	}
	out := make([]Signer, 0, len(found))
	for _, s := range found {
		rec, err := names.OnRecord(ctx, pool, s.ref)
		if err != nil {
			return nil, fmt.Errorf("name on record: %w", err)
		}
		s.NameOnRecord = rec.Name
		s.Mismatch = rec.Name != "" && !names.Match(s.TypedName, rec.Names()...)
		out = append(out, s.Signer)
	}
	return out, nil
}
