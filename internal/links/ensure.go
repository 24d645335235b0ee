package links

import (
	"context"
	"errors"
	"fmt"

	"github.com/internflow/internflow/internal/store"
)

// Ensure returns the id of a link the person can use now for the same
// journey, person, action, subject (and document, for signing): their
// newest one that is neither revoked, expired nor spent, else a new one.
// A person's own page and a supervisor's inbox use it for their buttons,
// so opening the page again and again does not mint a link each time, and
// the button opens the same link the person's message carries (which
// closes with its step).
func (m *Minter) Ensure(ctx context.Context, db DB, s Spec) (id string, err error) {
	id, err = store.WorkingActionLink(ctx, db, s.row())
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("find a working %s link: %w", s.Action, err)
	}
	id, _, err = m.Create(ctx, db, s)
	if err != nil {
		return "", fmt.Errorf("mint a %s link: %w", s.Action, err)
	}
	return id, nil
}
