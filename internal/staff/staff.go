// Package staff serves the pages district staff sign in to: the
// coordinator dashboard (funnel and student list), the student page with
// its timeline and actions, the ops console of stuck journeys, and MOU
// approvals. Every read goes through a store.Scope derived from the
// signed-in Principal, so out-of-scope journeys are 404; every action is a
// workflow signal or update, never a row edit.
package staff

import (
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/store"
)

// Handler serves the staff pages.
type Handler struct {
	Store    *store.Store
	Journeys *journey.Service
	Sessions *auth.Sessions
	// Outbox sends the employer's applicants link.
	Outbox *messaging.Outbox
	// TemporalUIURL and Namespace build links to a journey's workflow in
	// the Temporal Web UI.
	TemporalUIURL string
	Namespace     string
	// Secure marks the flash cookie Secure (as the session cookie).
	Secure bool
	// BulkWorkers bounds concurrent signals of a bulk nudge (default 8).
	BulkWorkers int
	// Records answers record requests (export and purge) from the
	// student page; nil hides them.
	Records *records.Service
	// Enrolments is woken when an enrolment request is recorded.
	Enrolments Waker
	// Tokens are the district API tokens admins manage.
	Tokens *auth.Tokens
	// Messages are the dispatcher's rates and program texts, for the
	// district-wide message page's preview and estimates.
	Messages messaging.DispatcherConfig
	// SMSSegmentPrice prices the estimate (default $0.0083).
	SMSSegmentPrice float64
	// SSO keeps the district's sign-in provider (the Sign-in page).
	SSO *auth.SSOSettings
	// OIDCClient checks a provider's discovery document before saving.
	OIDCClient *http.Client
	// BaseURL is the site's public address (the redirect URI shown).
	BaseURL string
	// LiveQueryTimeout bounds the student page's live status query
	// (default 300 ms); the read model is shown when it runs late.
	LiveQueryTimeout time.Duration
}

// PageSize is the student list's page length.
const PageSize = 50

// Mount adds the staff pages. The caller mounts reports and the roster
// upload with MountReports and MountRoster.
func (h *Handler) Mount(r chi.Router) {
	r.Get("/staff/assets/style.css", serveCSS)
	r.Group(func(r chi.Router) {
		r.Use(h.Sessions.RequirePage, auth.CheckCSRF, timing)
		r.Get("/staff", h.dashboard)
		r.Get("/staff/export/students.csv", h.exportStudents)
		r.Get("/staff/export/funnel.csv", h.exportFunnel)
		r.Get("/staff/students/{journeyID}", h.student)
		r.Get("/staff/students/{journeyID}/documents/{documentID}", h.document)
		r.Get("/staff/students/{journeyID}/record.zip", h.exportRecord)
		r.Post("/staff/students/{journeyID}/purge-record", h.purgeRecord)
		r.Post("/staff/students/{journeyID}/{action}", h.act)
		r.Get("/staff/projects", h.projects)
		r.Get("/staff/enrol", h.enrol)
		r.Post("/staff/enrol", h.submitEnrol)
		r.Get("/staff/enrol/{batchID}", h.enrolment)
		r.Get("/staff/tokens", h.tokens)
		r.Post("/staff/tokens", h.createToken)
		r.Post("/staff/tokens/{tokenID}/revoke", h.revokeToken)
		r.Get("/staff/sso", h.ssoSettings)
		r.Post("/staff/sso", h.saveSSO)
		r.Get("/staff/messages", h.compose)
		r.Post("/staff/messages", h.submitMessage)
		r.Get("/staff/programs", h.programs)
		r.Post("/staff/programs", h.saveProgram)
		r.Get("/staff/programs/{programID}", h.program)
		r.Post("/staff/programs/{programID}", h.saveProgram)
		r.Get("/staff/programs/{programID}/migrate", h.confirmMigrate)
		r.Post("/staff/programs/{programID}/migrate", h.migrateProgram)
		r.Get("/staff/ops", h.ops)
		r.Get("/staff/ops/outbox", h.outboxLive)
		r.Post("/staff/ops/nudge", h.bulkNudge)
		r.Get("/staff/certificates", h.certificates)
		r.Post("/staff/certificates/revoke", h.revokeCertificate)
		r.Get("/staff/mous", h.mous)
		r.Get("/staff/mous/{mouID}/document", h.mouDocument)
		r.Post("/staff/mous/{mouID}/decide", h.decideMOU)
		h.mountEmployers(r)
		h.mountPeople(r)
		r.Method(http.MethodPost, "/staff/logout", h.Sessions.SignOutHandler())
	})
}

func (h *Handler) bulkWorkers() int {
	if h.BulkWorkers > 0 {
		return h.BulkWorkers
	}
	return 8
}

func (h *Handler) liveTimeout() time.Duration {
	if h.LiveQueryTimeout > 0 {
		return h.LiveQueryTimeout
	}
	return 300 * time.Millisecond
}

// temporalURL links to a workflow in the Temporal Web UI.
func (h *Handler) temporalURL(workflowID string) string {
	if h.TemporalUIURL == "" {
		return ""
	}
	ns := h.Namespace
	if ns == "" {
		ns = "default"
	}
	return h.TemporalUIURL + "/namespaces/" + url.PathEscape(ns) + "/workflows/" + url.PathEscape(workflowID)
}

// principal is the signed-in staff member (RequirePage put it there).
func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}
