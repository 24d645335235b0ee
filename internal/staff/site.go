package staff

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/roster"
	"github.com/internflow/internflow/internal/store"
)

// SiteConfig is what the staff side needs from the app.
type SiteConfig struct {
	Store    *store.Store
	Journeys *journey.Service
	Outbox   *messaging.Outbox
	// Secure: cookies are Secure and __Host- prefixed (behind TLS).
	Secure        bool
	TemporalUIURL string
	Namespace     string
	// Records answers record requests from the student page.
	Records *records.Service
	// Enrolments is woken when the enrolment page records a request.
	Enrolments Waker
	// Messages are the dispatcher's rates and program texts: the
	// district-wide message page previews and estimates with them.
	Messages messaging.DispatcherConfig
	// SMSSegmentPrice prices the estimate (SMS_SEGMENT_PRICE).
	SMSSegmentPrice float64
	// Now is the session clock (tests move it); default time.Now.
	Now func() time.Time
	// BaseURL is the public address OpenID providers send staff back to.
	BaseURL string
	// Secrets seals districts' OIDC client secrets (the payload codec).
	Secrets *codec.Codec
	// OIDC is a single-district install's provider from OIDC_*.
	OIDC config.OIDCConfig
	// OIDCClient talks to OpenID providers (default: 10-second timeout).
	OIDCClient *http.Client
}

// Site is the staff side assembled: magic-link and OIDC sign-in, sessions, the
// staff pages, reports and the roster upload.
type Site struct {
	Sessions  *auth.Sessions
	MagicLink *auth.MagicLink
	// OIDC signs staff in with their district's provider.
	OIDC  *auth.OIDC
	Pages *Handler
	store *store.Store
}

// NewSite wires the staff side.
func NewSite(c SiteConfig) *Site {
	sessions := &auth.Sessions{Store: c.Store, Secure: c.Secure, Now: c.Now}
	sso := &auth.SSOSettings{Store: c.Store, Secrets: c.Secrets, Env: c.OIDC}
	return &Site{
		Sessions:  sessions,
		MagicLink: &auth.MagicLink{Store: c.Store, Outbox: c.Outbox, Sessions: sessions, SSO: sso},
		OIDC:      &auth.OIDC{Settings: sso, Sessions: sessions, Store: c.Store, BaseURL: c.BaseURL, HTTPClient: c.OIDCClient},
		Pages: &Handler{Store: c.Store, Journeys: c.Journeys, Sessions: sessions, Outbox: c.Outbox,
			TemporalUIURL: c.TemporalUIURL, Namespace: c.Namespace, Secure: c.Secure, Records: c.Records,
			Enrolments: c.Enrolments, Tokens: &auth.Tokens{Store: c.Store}, Messages: c.Messages,
			SMSSegmentPrice: c.SMSSegmentPrice, SSO: sso, OIDCClient: c.OIDCClient, BaseURL: c.BaseURL},
		store: c.Store,
	}
}

// Mount adds sign-in, the staff pages, /reports and /admin/import.
func (s *Site) Mount(r chi.Router) {
	s.MagicLink.Mount(r)
	s.OIDC.Mount(r)
	s.Pages.Mount(r)
	s.Pages.MountReports(r, reports.New(s.store))
	s.Pages.MountRoster(r, roster.NewImporter(s.store))
}

// RequireAPI guards the JSON API: a staff session (else 401 JSON) and the
// X-CSRF-Token header on writes (else 403).
func (s *Site) RequireAPI(next http.Handler) http.Handler {
	return s.Sessions.RequireAPI(auth.CheckCSRF(next))
}

// SignInLink serves "staff_login" action links (web.Pages.StaffLogin).
func (s *Site) SignInLink() http.Handler { return s.MagicLink.LinkHandler() }
