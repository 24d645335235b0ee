// Package links mints and checks action links: the secure URLs students,
// parents and employers open from a text or email instead of signing in.
//
// A token is the link's random id plus an HMAC of it under the server's
// secret. The database stores only the token's SHA-256, so a database leak
// yields no usable link, while the server can re-derive a token from the
// id when it renders a message (the outbox never stores the URL).
//
// A person holds one working link per step: when a message carrying a
// newer link for the same step goes out, the older ones are superseded
// (Supersede, from the dispatcher); when the step closes, the links its
// messages carried are closed (store.SyncWaits); staff can turn off all
// of one party's links of a journey (RevokeParty, on the student page).
// Each says why on the page the person opens.
package links

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/store"
)

// Link is one action link's row.
type Link = store.ActionLink

// Why a link was turned off; the page a person opens says it in their words.
const (
	// ReasonStaff: staff turned the person's links off.
	ReasonStaff = "staff"
	// ReasonSuperseded: a newer link for the same step reached the person.
	ReasonSuperseded = "superseded"
	// ReasonStepClosed: the step the link served is over (store.SyncWaits).
	ReasonStepClosed = "step_closed"
)

// Spec describes a link to mint.
type Spec struct {
	JourneyID      string
	PersonKind     string
	PersonRef      string
	Action         string
	SubjectRef     string
	DocumentSHA256 []byte
	SingleUse      bool
	TTL            time.Duration
}

// Errors Resolve returns; pages show a plain-language page for each.
var (
	ErrInvalid = errors.New("this link is not valid")
	ErrExpired = errors.New("this link has expired")
	ErrUsed    = errors.New("this link was already used")
	ErrRevoked = errors.New("this link was turned off by staff")
	// ErrSuperseded and ErrStepClosed are ErrRevoked too (errors.Is), for
	// callers that only need to know the link is off.
	ErrSuperseded = fmt.Errorf("%w: a newer link was sent", ErrRevoked)
	ErrStepClosed = fmt.Errorf("%w: its step is over", ErrRevoked)
)

// Minter derives tokens and URLs; it is safe for concurrent use.
type Minter struct {
	Secret  []byte
	BaseURL string
	TTL     time.Duration
}

// DB is what link queries need: a pool or a transaction.
type DB = store.Querier

const idLen, macLen = 16, 16

// Token derives the link token for a link id.
func (m *Minter) Token(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", fmt.Errorf("link id: %w", err)
	}
	mac := hmac.New(sha256.New, m.Secret)
	mac.Write(u[:])
	buf := append(u[:idLen:idLen], mac.Sum(nil)[:macLen]...)
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// URL is the address a person opens for a link id.
func (m *Minter) URL(id string) (string, error) {
	tok, err := m.Token(id)
	if err != nil {
		return "", err
	}
	return m.BaseURL + "/l/" + tok, nil
}

// HashToken is what the database stores and looks up.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Create stores a new link and returns its id and token.
func (m *Minter) Create(ctx context.Context, db DB, s Spec) (id, token string, err error) {
	var raw [idLen]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	u, _ := uuid.FromBytes(raw[:])
	id = u.String()
	if token, err = m.Token(id); err != nil {
		return "", "", err
	}
	ttl := s.TTL
	if ttl == 0 {
		ttl = m.TTL
	}
	if ttl == 0 {
		ttl = 14 * 24 * time.Hour
	}
	row := s.row()
	row.ID, row.TokenHash, row.TTL = id, HashToken(token), ttl
	err = store.InsertActionLink(ctx, db, row)
	return id, token, err
}

// row is the spec as the store keeps it.
func (s Spec) row() store.NewActionLink {
	return store.NewActionLink{JourneyID: s.JourneyID, PersonKind: s.PersonKind, PersonRef: s.PersonRef,
		Action: s.Action, SubjectRef: s.SubjectRef, DocumentSHA256: s.DocumentSHA256, SingleUse: s.SingleUse}
}

// wellFormed checks the token's MAC before touching the database, so
// guessed tokens cost no query.
func (m *Minter) wellFormed(token string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != idLen+macLen {
		return false
	}
	mac := hmac.New(sha256.New, m.Secret)
	mac.Write(raw[:idLen])
	return hmac.Equal(raw[idLen:], mac.Sum(nil)[:macLen])
}

// Resolve finds the link for a token and checks it can still be used.
// An expired, used or revoked link is returned together with its error so
// the page can offer to send a new one.
func (m *Minter) Resolve(ctx context.Context, db DB, token string, now time.Time) (Link, error) {
	if !m.wellFormed(token) {
		return Link{}, ErrInvalid
	}
	l, err := store.ActionLinkByToken(ctx, db, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return Link{}, ErrInvalid
	}
	if err != nil {
		return Link{}, err
	}
	// A single-use link that did its job and whose step then closed is
	// "used", not "step closed": its page still offers what a used link
	// offers (the signed permit to download).
	spent := l.SingleUse && l.UsedAt != nil
	switch {
	case l.RevokedAt != nil && !(spent && l.RevokedReason == ReasonStepClosed):
		return l, revokedErr(l.RevokedReason)
	case spent:
		return l, ErrUsed
	case now.After(l.ExpiresAt):
		return l, ErrExpired
	}
	return l, nil
}

// MarkUsed records a use; for a single-use link only the first call
// succeeds (the second returns ErrUsed), so a double tap is one action.
// A link whose step the very input it carried just closed is still
// marked: the use happened (and the page then reads "used").
func MarkUsed(ctx context.Context, db DB, id string) error {
	marked, err := store.MarkActionLinkUsed(ctx, db, id, ReasonStepClosed)
	if err != nil {
		return err
	}
	if !marked {
		return ErrUsed
	}
	return nil
}

func revokedErr(reason string) error {
	switch reason {
	case ReasonSuperseded:
		return ErrSuperseded
	case ReasonStepClosed:
		return ErrStepClosed
	}
	return ErrRevoked
}

// Revoke turns one link off (staff action).
func Revoke(ctx context.Context, db DB, id string) error {
	return store.RevokeActionLink(ctx, db, id, ReasonStaff)
}

// RevokeParty turns off every live link a journey gave people of these
// kinds (a staff action: a phone changed hands, a link was forwarded; an
// employer's links are its supervisors' too). It returns how many links
// it turned off; staff then send a new one with a resend.
// The inbox links of the people this journey gave links to go too: an
// inbox opens every one of their steps, this journey's included.
func RevokeParty(ctx context.Context, db DB, journeyID string, personKinds ...string) (int64, error) {
	n, err := store.RevokePartyLinks(ctx, db, journeyID, personKinds, ReasonStaff, ActionInbox)
	if err != nil {
		return 0, fmt.Errorf("revoke links of %v: %w", personKinds, err)
	}
	return n, nil
}

// Supersede turns off, for each of the given links, the older live links
// of the same person, journey, action and subject: the message carrying
// the new link has just gone out, so the new link is the person's now.
// It runs when a message is sent, not when it is queued, so a reminder
// held for quiet hours, cancelled or suppressed leaves the person's
// current link working. A link whose message went out earlier than an
// older link's (out of order) is not turned off by it: only older ones go.
// Staff sign-in links are left alone: a staff member may sign in on two
// devices at once, and each link is single-use and short-lived anyway.
func Supersede(ctx context.Context, db DB, newIDs []string) error {
	if len(newIDs) == 0 {
		return nil
	}
	if err := store.SupersedeActionLinks(ctx, db, newIDs, ReasonSuperseded); err != nil {
		return fmt.Errorf("supersede older links: %w", err)
	}
	return nil
}

// HexSHA decodes a hex document hash (empty stays nil).
func HexSHA(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != sha256.Size {
		return nil, errors.New("document hash must be 64 hex characters")
	}
	return b, nil
}
