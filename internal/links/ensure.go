package links

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Ensure returns the id of a link the person can use now for the same
// journey, person, action, subject (and document, for signing): their
// newest one that is neither revoked, expired nor spent, else a new one.
// A person's own page and a supervisor's inbox use it for their buttons,
// so opening the page again and again does not mint a link each time, and
// the button opens the same link the person's message carries (which
// closes with its step).
func (m *Minter) Ensure(ctx context.Context, db DB, s Spec) (id string, err error) {
	err = db.QueryRow(ctx, `SELECT id::text FROM action_links
		WHERE journey_id IS NOT DISTINCT FROM NULLIF($1,'')::uuid AND person_kind = $2 AND person_ref = $3
			AND action = $4 AND subject_ref = $5 AND document_sha256 IS NOT DISTINCT FROM $6
			AND revoked_at IS NULL AND expires_at > now() AND (NOT single_use OR used_at IS NULL)
		ORDER BY created_at DESC, id LIMIT 1`,
		s.JourneyID, s.PersonKind, s.PersonRef, s.Action, s.SubjectRef, s.DocumentSHA256).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("find a working %s link: %w", s.Action, err)
	}
	id, _, err = m.Create(ctx, db, s)
	if err != nil {
		return "", fmt.Errorf("mint a %s link: %w", s.Action, err)
	}
	return id, nil
}
