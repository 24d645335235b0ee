package staff

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
)

// "Verify a certificate": someone shows staff a certificate of completion
// (an employer, a college); staff type its code and see what it certifies
// and whether it still stands. Codes are looked up in the staff member's
// district only: another district's code reads as unknown. District ops
// and admins can revoke a certificate, with a reason.

// verifyPage is the certificate lookup and its result.
type verifyPage struct {
	base
	Code string // as typed
	// Errors are messages by form field ("code", "reason").
	Errors   map[string]string
	NotFound bool
	Found    *certificate.Certificate
	Skills   []certificate.Skill
	// StudentURL is the student's page, when the journey is in the
	// viewer's schools.
	StudentURL string
	CanRevoke  bool
}

const codeHelp = "A certificate code has 12 letters and digits, like 7KQ4-M2XP-9RTB."

func (h *Handler) certificates(w http.ResponseWriter, r *http.Request) {
	if !principal(r).HasAny(auth.ViewRoles...) {
		h.forbidden(w, r)
		return
	}
	d := verifyPage{base: h.base(r, "Verify a certificate", "certificates"), Errors: map[string]string{},
		Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	h.verify(w, r, d)
}

// verify looks d.Code up and renders the page with what it found.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request, d verifyPage) {
	status := http.StatusOK
	switch err := h.lookupCertificate(r, &d); {
	case err != nil:
		h.failed(w, r, "certificate lookup", err)
		return
	case d.Errors["code"] != "" || d.Errors["reason"] != "":
		status = http.StatusUnprocessableEntity
	case d.NotFound:
		status = http.StatusNotFound
	}
	render(w, r, status, "certificates", d)
}

func (h *Handler) lookupCertificate(r *http.Request, d *verifyPage) error {
	if d.Code == "" {
		return nil
	}
	if _, ok := certificate.NormalizeCode(d.Code); !ok {
		d.Errors["code"] = codeHelp
		return nil
	}
	p := principal(r)
	c, err := (&certificate.Issuer{Store: h.Store}).Lookup(r.Context(), p.DistrictID, d.Code)
	if errors.Is(err, store.ErrNotFound) {
		d.NotFound = true
		h.audit(r, "certificate_lookup_failed", "certificate", "", d.Code)
		return nil
	}
	if err != nil {
		return err
	}
	d.Found, d.Skills = &c, certificate.Skills(c.Ratings, "en")
	d.CanRevoke = c.Valid() && p.HasAny(auth.OpsRoles...)
	if _, err := h.Store.ScopedJourney(r.Context(), p.ViewScope(), c.JourneyID); err == nil {
		d.StudentURL = "/staff/students/" + c.JourneyID
	}
	h.audit(r, "certificate_verified", "certificate", c.JourneyID, "")
	return nil
}

// revokeCertificate withdraws a certificate of the district (district ops
// and admins), keeping the reason on it. Audit entries name a certificate
// by its journey, the certificate's key.
func (h *Handler) revokeCertificate(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.OpsRoles...) {
		h.forbidden(w, r)
		return
	}
	code, reason := strings.TrimSpace(r.PostFormValue("code")), strings.TrimSpace(r.PostFormValue("reason"))
	d := verifyPage{base: h.base(r, "Verify a certificate", "certificates"), Errors: map[string]string{}, Code: code}
	switch {
	case reason == "":
		d.Errors["reason"] = "Say why the certificate is revoked (the reason is shown to whoever verifies it)."
	case len(reason) > 500:
		d.Errors["reason"] = "Keep the reason under 500 characters."
	}
	if len(d.Errors) > 0 {
		h.verify(w, r, d)
		return
	}
	journeyID, err := (&certificate.Issuer{Store: h.Store}).Revoke(r.Context(), p.DistrictID, code, p.StaffID, reason)
	if errors.Is(err, store.ErrNotFound) {
		d.NotFound = true
		h.verify(w, r, d)
		return
	}
	if err != nil {
		h.failed(w, r, "revoke certificate", err)
		return
	}
	norm, _ := certificate.NormalizeCode(code)
	h.audit(r, "certificate_revoked", "certificate", journeyID, reason)
	h.setFlash(w, false, "Certificate "+norm+" is revoked.")
	http.Redirect(w, r, "/staff/certificates?"+url.Values{"code": {norm}}.Encode(), http.StatusSeeOther)
}
