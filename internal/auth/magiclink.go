package auth

import (
	"context"
	"errors"
	"fmt"
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// Authenticator is one way staff prove who they are. It mounts its own
// routes (a form, a provider callback) and, once it knows the staff
// member, calls Sessions.SignIn with its Method; sessions, roles, CSRF and
// scoping are then the same however someone came in.
//
// MagicLink is the first; OIDC (Google Workspace, Microsoft Entra, any
// OpenID Connect issuer) is the second: the sign-in page offers its button
// once the typed address shows the district, and its callback signs the
// verified staff member in with Method "oidc:google" (or microsoft, oidc).
type Authenticator interface {
	// Method names the way in, recorded on the session and in the audit log.
	Method() string
	// Mount adds the method's routes.
	Mount(r chi.Router)
}

// MagicLink signs staff in with a single-use link e-mailed through the
// messaging outbox: GET/POST /staff/login asks for one (or, for an address
// of a district with a sign-in provider, offers that provider's button),
// and LinkHandler serves the link itself (under /l/, handed over by the
// link pages).
type MagicLink struct {
	Store    *store.Store
	Outbox   *messaging.Outbox
	Sessions *Sessions
	// TTL is how long a sign-in link works (default 15 minutes).
	TTL time.Duration
	// PerEmail and PerIP bound link requests (defaults: 5 per address and
	// 30 per client IP every 15 minutes).
	PerEmail, PerIP *Limiter
	// MinAnswer pads the answer to a link request so its timing does not
	// tell a staff address from an unknown one (default 200 ms).
	MinAnswer time.Duration
	// SSO sends addresses of districts with a sign-in provider to it, and
	// says whether a district still takes emailed links (nil: no SSO).
	SSO *SSOSettings
}

var _ Authenticator = (*MagicLink)(nil)

// Method implements Authenticator.
func (m *MagicLink) Method() string { return "magic_link" }

// Mount implements Authenticator: the sign-in form.
func (m *MagicLink) Mount(r chi.Router) {
	m.defaults()
	r.Get("/staff/login", m.form)
	r.Post("/staff/login", m.request)
}

func (m *MagicLink) defaults() {
	if m.TTL == 0 {
		m.TTL = 15 * time.Minute
	}
	if m.PerEmail == nil {
		m.PerEmail = &Limiter{Max: 5, Window: 15 * time.Minute}
	}
	if m.PerIP == nil {
		m.PerIP = &Limiter{Max: 30, Window: 15 * time.Minute}
	}
	if m.MinAnswer == 0 {
		m.MinAnswer = 200 * time.Millisecond
	}
}

// loginPage is what login.html renders.
type loginPage struct {
	CSRF, Next, Email, Error string
	Expired, Sent            bool
	// SSO is the district's provider button, once the typed address
	// showed which district it is.
	SSO *ssoChoice
}

// ssoChoice is a "Sign in with …" button and whether the emailed link is
// still offered beside it.
type ssoChoice struct {
	Name, URL   string
	LinkAllowed bool
}

func (m *MagicLink) form(w http.ResponseWriter, r *http.Request) {
	next := LocalPath(r.URL.Query().Get("next"))
	if _, err := m.Sessions.Load(r.Context(), r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	render(w, r, http.StatusOK, "login", loginPage{CSRF: loginCSRF(w, r, m.Sessions.Secure), Next: next,
		Expired: r.URL.Query().Get("expired") != ""})
}

// request answers "check your email" whether or not the address is a
// staff member's, so the form cannot be used to find out who works here.
func (m *MagicLink) request(w http.ResponseWriter, r *http.Request) {
	defer padTo(time.Now().Add(m.MinAnswer))
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	page := loginPage{Next: LocalPath(r.PostFormValue("next")), Email: r.PostFormValue("email")}
	if !checkLoginCSRF(r, m.Sessions.Secure) {
		page.CSRF, page.Error = loginCSRF(w, r, m.Sessions.Secure), "The form expired. Please try again."
		render(w, r, http.StatusForbidden, "login", page)
		return
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(page.Email))
	if err != nil {
		page.CSRF, page.Error = loginCSRF(w, r, m.Sessions.Secure), "Enter your work email address."
		render(w, r, http.StatusUnprocessableEntity, "login", page)
		return
	}
	if !m.PerIP.Allow(clientip.From(r)) {
		page.CSRF, page.Error = loginCSRF(w, r, m.Sessions.Secure), "Too many sign-in requests from this network. Wait a few minutes and try again."
		render(w, r, http.StatusTooManyRequests, "login", page)
		return
	}
	email := strings.ToLower(addr.Address)
	if choice, err := m.ssoChoice(r.Context(), email, page.Next); err != nil {
		slog.ErrorContext(r.Context(), "staff sign-in provider lookup", "err", err)
	} else if choice != nil && (r.PostFormValue("method") != "link" || !choice.LinkAllowed) {
		// The address's district signs in with its provider: offer its
		// button (and the emailed link, unless switched off).
		page.CSRF, page.SSO = loginCSRF(w, r, m.Sessions.Secure), choice
		status := http.StatusOK
		if r.PostFormValue("method") == "link" {
			page.Error, status = "Your district has switched emailed sign-in links off. Sign in with "+choice.Name+".", http.StatusUnprocessableEntity
		}
		render(w, r, status, "login", page)
		return
	}
	if m.PerEmail.Allow(email) {
		if err := m.send(r.Context(), email, page.Next, clientip.From(r)); err != nil {
			slog.ErrorContext(r.Context(), "staff sign-in link not queued", "err", err)
		}
	}
	page.Sent = true
	render(w, r, http.StatusOK, "login", page)
}

// StaffContact is whom staff emails tell staff to ask.
const StaffContact = "your district's internflow administrator"

// send queues the sign-in email for an active staff member (nothing for
// anyone else).
func (m *MagicLink) send(ctx context.Context, email, next, ip string) error {
	st, err := m.Store.StaffByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look up staff: %w", err)
	}
	if allowed, err := m.SSO.MagicLinkAllowed(ctx, st.DistrictID); err != nil || !allowed {
		if err != nil {
			return err
		}
		return m.Store.Audit(ctx, store.AuditEntry{DistrictID: st.DistrictID, ActorKind: "staff", ActorRef: st.ID,
			Action: "sign_in_link_refused", EntityKind: "staff", EntityID: st.ID, IP: ip, Reason: "magic_link_off"})
	}
	return m.Store.InTx(ctx, func(tx pgx.Tx) error {
		out, err := m.Outbox.Enqueue(ctx, tx, messaging.Request{
			IdemKey: "staff_login:" + st.ID + ":" + randomToken()[:22], DistrictID: st.DistrictID,
			To: messaging.Recipient{Kind: "staff", Ref: st.ID}, Template: "staff_login", Channel: messaging.ChannelEmail,
			Link: &messaging.LinkSpec{Action: "staff_login", SingleUse: true, TTL: m.TTL, SubjectRef: next},
			// The footer's "Questions? Contact …": staff ask their district, not a school coordinator.
			Params: map[string]string{"contact": StaffContact},
		})
		if err != nil {
			return err
		}
		return store.AuditTx(ctx, tx, store.AuditEntry{DistrictID: st.DistrictID, ActorKind: "staff", ActorRef: st.ID,
			Action: "sign_in_link_requested", EntityKind: "staff", EntityID: st.ID, IP: ip, Reason: out.Status})
	})
}

// ssoChoice is the provider button for an address whose domain belongs
// to a district with SSO (nil otherwise). It tells nothing about whether
// the address is a staff member's: only which district owns the domain.
func (m *MagicLink) ssoChoice(ctx context.Context, email, next string) (*ssoChoice, error) {
	p, ok, err := m.SSO.ForEmail(ctx, email)
	if err != nil || !ok {
		return nil, err
	}
	return &ssoChoice{Name: p.Name, URL: StartURL(p.DistrictID, next, email), LinkAllowed: p.MagicLink}, nil
}

// padTo sleeps until t.
func padTo(t time.Time) { time.Sleep(time.Until(t)) }
