package web

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
)

// The certificate page: what a student opens from the "you completed your
// internship" text. The journey is closed by then, so this action is
// allowed on a completed journey (see closedOK); it shows nothing for a
// withdrawn one. The page shows what the certificate says and its
// verification code, and downloads the PDF (/l/{token}/file/certificate).

// certificateView is the certificate of completion.
type certificateView struct {
	Ready                                bool
	Name, Program, Title, Employer, Date string
	Hours                                string
	Code                                 string
	Revoked                              bool
	// PDF downloads the certificate.
	PDF string
}

func (p *Pages) formCertificate(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	var v certificateView
	if c.j.Status == "completed" {
		cert, err := p.certificate(r.Context(), c)
		if err != nil {
			p.failed(w, r, c, "load certificate", err)
			return
		}
		v = certificateView{Ready: true, Name: cert.StudentName, Program: cert.Program, Title: cert.Title, Employer: cert.Employer,
			Date: c.lang.F().Date(cert.Completed), Hours: c.lang.F().Number(cert.Hours), Code: cert.Code,
			Revoked: !cert.Valid(), PDF: c.path() + "/file/certificate"}
	}
	p.showForm(w, r, c, "certificate", errs, v)
}

// certificate is the completed journey's certificate. The journey issues
// it as it completes; one that completed before certificates existed gets
// it now, dated the day it closed.
func (p *Pages) certificate(ctx context.Context, c *call) (certificate.Certificate, error) {
	issuer := &certificate.Issuer{Store: p.Store}
	cert, err := issuer.ForJourney(ctx, c.j.ID)
	if !errors.Is(err, store.ErrNotFound) {
		return cert, err
	}
	closed, err := p.Store.JourneyClosedAt(ctx, c.j.ID)
	if err != nil {
		return cert, err
	}
	return issuer.Issue(ctx, c.j.ID, closed)
}

// certificateFile is the document id of the certificate PDF a completed
// journey's certificate link downloads ("" for none, or a revoked one).
func (p *Pages) certificateFile(ctx context.Context, c *call) string {
	if c.j.Status != "completed" {
		return ""
	}
	cert, err := p.certificate(ctx, c)
	if err != nil {
		slog.ErrorContext(ctx, "certificate download", "journey_id", c.j.ID, "err", err)
		return ""
	}
	if !cert.Valid() {
		return ""
	}
	return cert.DocumentID
}

// certificateText are this page's words; init adds them to the catalogs
// so the page's texts live next to it.
var certificateText = map[string]map[string]string{
	"en": {
		"certificate.title":     "Certificate of completion",
		"certificate.awarded":   "This certifies that",
		"certificate.completed": "completed the internship",
		"certificate.at":        "at",
		"certificate.hours":     "Hours worked",
		"certificate.date":      "Completed on",
		"certificate.code":      "Verification code",
		"certificate.code_note": "Whoever you share it with can ask the school district to confirm it with this code.",
		"certificate.download":  "Download your certificate (PDF)",
		"certificate.revoked":   "The school district revoked this certificate. Contact your coordinator if you have questions.",
		"certificate.not_ready": "Your certificate is ready once your internship is complete.",
	},
	"es": {
		"certificate.title":     "Certificado de finalización",
		"certificate.awarded":   "Se certifica que",
		"certificate.completed": "completó la pasantía",
		"certificate.at":        "en",
		"certificate.hours":     "Horas trabajadas",
		"certificate.date":      "Fecha de finalización",
		"certificate.code":      "Código de verificación",
		"certificate.code_note": "Quien lo reciba puede pedir al distrito escolar que lo confirme con este código.",
		"certificate.download":  "Descarga tu certificado (PDF)",
		"certificate.revoked":   "El distrito escolar anuló este certificado. Si tienes preguntas, contacta a tu coordinador.",
		"certificate.not_ready": "Tu certificado estará listo cuando termines tu pasantía.",
	},
}

func init() {
	for code, m := range certificateText {
		maps.Copy(catalogs[code], m)
	}
}
