// Package api serves internflow's HTTP API, webhooks and health endpoints
// with chi. Handlers decode, call one service function, and encode.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"go.temporal.io/sdk/client"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
)

// Server holds what the handlers need.
type Server struct {
	Store    *store.Store
	Temporal client.Client
	Journeys *journey.Service
	// Middleware wraps every route outside panic recovery and the request
	// log (metrics and tracing, so both see the final status).
	Middleware []func(http.Handler) http.Handler
	// RequireStaff guards the JSON API: it must put the signed-in
	// auth.Principal in the context and check the CSRF header of writes
	// (app wires auth.Sessions.RequireAPI and auth.CheckCSRF). Without it
	// every /api request is refused.
	RequireStaff func(http.Handler) http.Handler
	// RequireToken guards the routes scripts may call with a district API
	// token (Authorization: Bearer; app wires auth.Tokens.Require).
	// Without it a token is refused.
	RequireToken func(http.Handler) http.Handler
	// Enrolments is woken when an enrolment request is recorded.
	Enrolments interface{ Wake() }
	// HSTS, when positive, is the Strict-Transport-Security max-age sent
	// on every response (HSTS_MAX_AGE).
	HSTS time.Duration
}

// Routes mounts every route on a chi router. Extra mounts (pages, staff)
// come from other packages through mount functions.
func (s *Server) Routes(mounts ...func(chi.Router)) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, securityHeaders(s.HSTS))
	r.Use(s.Middleware...)
	r.Use(recoverer, requestLog)
	// The app's front door is the staff dashboard (people arrive by links).
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/staff", http.StatusSeeOther) })
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Route("/api", func(r chi.Router) {
		r.Use(middleware.Timeout(30 * time.Second))
		// Enrolment: staff, or scripts with a district API token.
		r.Group(func(r chi.Router) {
			r.Use(s.staffOrToken)
			r.Post("/journeys", s.enroll)
			r.Post("/enrolments", s.createEnrolment)
			r.Get("/enrolments/{id}", s.getEnrolment)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireStaff)
			r.Get("/me", s.me)
			r.Get("/journeys/{id}", s.getJourney)
			s.mountEmployers(r)
		})
	})
	for _, m := range mounts {
		m(r)
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 404, Error{Error: "no such route"}) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 405, Error{Error: "method not allowed on this route"})
	})
	return r
}

// requireStaff applies RequireStaff, refusing everything when it is unset
// (a wiring mistake must not open the API).
func (s *Server) requireStaff(next http.Handler) http.Handler {
	if s.RequireStaff == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusUnauthorized, Error{Error: "sign in first"})
		})
	}
	return s.RequireStaff(next)
}

// staffOrToken lets a request with a bearer token through RequireToken
// and any other through requireStaff.
func (s *Server) staffOrToken(next http.Handler) http.Handler {
	staff, token := s.requireStaff(next), s.requireToken(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := auth.Bearer(r); ok {
			token.ServeHTTP(w, r)
			return
		}
		staff.ServeHTTP(w, r)
	})
}

func (s *Server) requireToken(next http.Handler) http.Handler {
	if s.RequireToken == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusUnauthorized, Error{Error: "API tokens are not accepted here"})
		})
	}
	return s.RequireToken(next)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz checks both dependencies: a replica that cannot reach Postgres or
// Temporal should leave the load balancer.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"postgres": "ok", "temporal": "ok"}
	status := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		checks["postgres"], status = "unreachable", http.StatusServiceUnavailable
	}
	if _, err := s.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"], status = "unreachable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, checks)
}

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// pathID returns a URL parameter that must be a UUID; anything else is a
// 404 (not a 500 from the database refusing to cast it).
func pathID(r *http.Request, name string) (string, error) {
	id := chi.URLParam(r, name)
	if !uuidRe.MatchString(id) {
		return "", store.ErrNotFound
	}
	return id, nil
}

func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				slog.ErrorContext(r.Context(), "panic in handler", "route", routePattern(r), "panic", v)
				writeJSON(w, 500, Error{Error: "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// requestLog logs method, route pattern (never the raw path: it can hold a
// link token), status and duration.
func requestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		slog.DebugContext(r.Context(), "http", "method", r.Method, "route", routePattern(r),
			"status", ww.Status(), "ms", time.Since(start).Milliseconds(), "req", middleware.GetReqID(r.Context()))
	})
}

func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}
