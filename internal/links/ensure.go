package links

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Ensure returns a working link for s: the person's newest unrevoked,
// unexpired and unused link for the same journey, person, action and
// subject, else a new one. Pages that list a person's pending items (an
// inbox) use it so each item opens with the link the person already holds
// instead of minting one per view (which would supersede nothing, but
// would pile up rows and make "which link is mine" unanswerable).
func (m *Minter) Ensure(ctx context.Context, db DB, s Spec) (id string, err error) {
	err = db.QueryRow(ctx, `SELECT id::text FROM action_links
		WHERE journey_id IS NOT DISTINCT FROM NULLIF($1,'')::uuid AND person_kind = $2 AND person_ref = $3
			AND action = $4 AND subject_ref = $5 AND revoked_at IS NULL AND expires_at > now()
			AND (NOT single_use OR used_at IS NULL)
			AND document_sha256 IS NOT DISTINCT FROM $6
		ORDER BY created_at DESC, id LIMIT 1`,
		s.JourneyID, s.PersonKind, s.PersonRef, s.Action, s.SubjectRef, s.DocumentSHA256).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("find %s link: %w", s.Action, err)
	}
	id, _, err = m.Create(ctx, db, s)
	if err != nil {
		return "", fmt.Errorf("create %s link: %w", s.Action, err)
	}
	return id, nil
}
