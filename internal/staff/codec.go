package staff

import (
	"encoding/json"
	"mime"
	"net/http"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/sdk/converter"

	"github.com/internflow/internflow/internal/auth"
)

// CodecConfig is the remote payload codec the Temporal UI calls
// (TEMPORAL_CODEC_ENDPOINT) to show sealed payloads to staff.
type CodecConfig struct {
	Codec converter.PayloadCodec
	// UIOrigin is the Temporal UI's origin (CODEC_CORS_ORIGIN): the only
	// page allowed to call the codec from a browser.
	UIOrigin string
	// Namespace, when the UI names one (X-Namespace), must be ours.
	Namespace string
}

// maxCodecBody bounds one decode request (a page of history payloads).
const maxCodecBody = 8 << 20

// MountCodec serves POST /codec/encode and /codec/decode (Temporal's remote
// codec protocol: a JSON Payloads message in, the same out). Decoding shows
// students' data, so only a signed-in district ops or admin may use it:
// the UI sends the staff session cookie (TEMPORAL_CODEC_INCLUDE_CREDENTIALS).
// No CSRF token is asked (the UI cannot have one); instead a JSON body is
// required, which a browser sends cross-origin only after a CORS preflight
// that only UIOrigin passes.
func (s *Site) MountCodec(r chi.Router, c CodecConfig) {
	h := converter.NewPayloadCodecHTTPHandler(c.Codec)
	guarded := s.Sessions.RequireAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.FromContext(r.Context())
		if !p.HasAny(auth.OpsRoles...) {
			codecError(w, http.StatusForbidden, "only district ops and district admins may read Temporal payloads")
			return
		}
		if ns := r.Header.Get("X-Namespace"); ns != "" && c.Namespace != "" && ns != c.Namespace {
			codecError(w, http.StatusForbidden, "X-Namespace: this codec serves namespace "+c.Namespace)
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			codecError(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxCodecBody)
		h.ServeHTTP(w, r)
	}))
	cors := codecCORS(c.UIOrigin, guarded)
	r.Handle("/codec/encode", cors)
	r.Handle("/codec/decode", cors)
}

// codecCORS lets the Temporal UI's origin (and no other) call the codec
// with credentials, and answers its preflight.
func codecCORS(origin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		got := r.Header.Get("Origin")
		if got != "" && got != origin {
			codecError(w, http.StatusForbidden, "Origin "+got+" may not use the codec (CODEC_CORS_ORIGIN)")
			return
		}
		if got != "" {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		switch r.Method {
		case http.MethodOptions:
			w.Header().Set("Access-Control-Allow-Methods", "POST")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
		case http.MethodPost:
			next.ServeHTTP(w, r)
		default:
			w.Header().Set("Allow", "POST, OPTIONS")
			codecError(w, http.StatusMethodNotAllowed, "the codec answers POST")
		}
	})
}

func codecError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
