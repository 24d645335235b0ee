package auth

import (
	"context"
	"errors"
	"fmt"
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// LinkHandler serves an e-mailed sign-in link once the link pages have
// resolved it (links.FromContext): GET shows a "Sign in" button, so mail
// scanners that fetch links do not use them up; POST uses the link and
// starts the session.
func (m *MagicLink) LinkHandler() http.Handler {
	m.defaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		link, ok := links.FromContext(r.Context())
		if !ok || link.Action != "staff_login" || link.PersonKind != "staff" {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			render(w, r, http.StatusOK, "signin", loginPage{CSRF: loginCSRF(w, r, m.Sessions.Secure)})
			return
		}
		m.consume(w, r, link)
	})
}

// errLinksOff means the staff member's district switched emailed links
// off after this one was sent (or minted).
var errLinksOff = errors.New("district takes no emailed sign-in links")

// errInactive means the link's staff member was deactivated after it was sent.
var errInactive = errors.New("staff member is not active")

func (m *MagicLink) consume(w http.ResponseWriter, r *http.Request, link links.Link) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if !checkLoginCSRF(r, m.Sessions.Secure) {
		render(w, r, http.StatusForbidden, "signin", loginPage{CSRF: loginCSRF(w, r, m.Sessions.Secure),
			Error: "That did not work. Press Sign in again."})
		return
	}
	err := m.Store.InTx(r.Context(), func(tx pgx.Tx) error {
		return m.signIn(r.Context(), tx, w, r, link)
	})
	switch {
	case err == nil:
		http.Redirect(w, r, LocalPath(link.SubjectRef), http.StatusSeeOther)
	case errors.Is(err, links.ErrUsed):
		render(w, r, http.StatusGone, "problem", loginPage{Error: "This sign-in link was already used. Ask for a new one."})
	case errors.Is(err, errLinksOff):
		if err := m.Store.Audit(r.Context(), store.AuditEntry{ActorKind: "staff", ActorRef: link.PersonRef, Action: "sign_in_refused",
			EntityKind: "staff", EntityID: link.PersonRef, IP: clientip.From(r), Reason: "magic_link_off"}); err != nil {
			slog.ErrorContext(r.Context(), "audit refused sign-in", "link_id", link.ID, "err", err)
		}
		render(w, r, http.StatusForbidden, "refused", loginPage{Error: "Your district has switched emailed sign-in links off. " +
			"Sign in with your district account on the sign-in page."})
	case errors.Is(err, errInactive):
		render(w, r, http.StatusForbidden, "problem", loginPage{Error: "Your account is not active. Ask your district administrator."})
	default:
		slog.ErrorContext(r.Context(), "staff sign-in failed", "link_id", link.ID, "err", err)
		render(w, r, http.StatusInternalServerError, "problem", loginPage{Error: "Sign-in failed. Try the link again in a minute."})
	}
}

// signIn uses the link, checks the staff member is still active, starts
// the session and audits it, all in one transaction.
func (m *MagicLink) signIn(ctx context.Context, tx pgx.Tx, w http.ResponseWriter, r *http.Request, link links.Link) error {
	if err := links.MarkUsed(ctx, tx, link.ID); err != nil {
		return err
	}
	district, err := store.ActiveStaffDistrict(ctx, tx, link.PersonRef)
	if errors.Is(err, store.ErrNotFound) {
		return errInactive
	}
	if err != nil {
		return fmt.Errorf("staff: %w", err)
	}
	if allowed, err := m.SSO.MagicLinkAllowed(ctx, district); err != nil || !allowed {
		if err == nil {
			err = errLinksOff
		}
		return err
	}
	if err := m.Sessions.SignIn(ctx, tx, w, r, link.PersonRef, m.Method()); err != nil {
		return err
	}
	return store.AuditTx(ctx, tx, store.AuditEntry{DistrictID: district, ActorKind: "staff", ActorRef: link.PersonRef,
		Action: "signed_in", EntityKind: "staff", EntityID: link.PersonRef, IP: clientip.From(r), Reason: m.Method()})
}

// SignOutHandler ends the session (POST /staff/logout, behind RequirePage
// and CheckCSRF) and audits it.
func (s *Sessions) SignOutHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := FromContext(r.Context())
		if err := s.SignOut(r.Context(), w, r); err != nil {
			slog.ErrorContext(r.Context(), "sign out", "err", err)
		}
		if p.StaffID != "" {
			if err := s.Store.Audit(r.Context(), store.AuditEntry{DistrictID: p.DistrictID, ActorKind: "staff",
				ActorRef: p.StaffID, Action: "signed_out", EntityKind: "staff", EntityID: p.StaffID, IP: clientip.From(r)}); err != nil {
				slog.ErrorContext(r.Context(), "audit sign out", "err", err)
			}
		}
		http.Redirect(w, r, "/staff/login?signed_out=1", http.StatusSeeOther)
	})
}
