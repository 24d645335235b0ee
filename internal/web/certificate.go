package web

import (
	"maps"
	"net/http"
	"strconv"
	"time"
)

// The certificate page: what a student opens from the "you completed your
// internship" text. The journey is closed by then, so this action is
// allowed on a completed journey (see closedOK); it shows nothing for a
// withdrawn one.

// certificateView is the certificate of completion.
type certificateView struct {
	Ready                                bool
	Name, Program, Title, Employer, Date string
	Hours                                string
}

func (p *Pages) formCertificate(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	var v certificateView
	var hours float64
	var closed *time.Time
	err := p.Store.Pool.QueryRow(r.Context(), `
		SELECT COALESCE(NULLIF(s.preferred_name,''), s.first_name) || ' ' || s.last_name, pr.name,
			COALESCE(po.title,''), COALESCE(e.name,''), COALESCE(v.hours_approved,0)::float8, j.closed_at
		FROM journeys j JOIN students s ON s.id = j.student_id JOIN programs pr ON pr.id = j.program_id
		LEFT JOIN placements pl ON pl.journey_id = j.id LEFT JOIN postings po ON po.id = pl.posting_id
		LEFT JOIN employers e ON e.id = pl.employer_id LEFT JOIN journey_view v ON v.journey_id = j.id
		WHERE j.id = $1`, c.j.ID).Scan(&v.Name, &v.Program, &v.Title, &v.Employer, &hours, &closed)
	if err != nil {
		p.failed(w, r, c, "load certificate", err)
		return
	}
	v.Ready = c.j.Status == "completed"
	v.Hours = strconv.FormatFloat(hours, 'f', -1, 64)
	if closed != nil {
		v.Date = c.lang.F().Day(*closed) // the day it closed, in the student's zone
	}
	p.showForm(w, r, c, "certificate", errs, v)
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
		"certificate.print":     "To save it as a PDF, use your browser's Print or Share button.",
		"certificate.not_ready": "Your certificate is ready once your internship is complete.",
	},
	"es": {
		"certificate.title":     "Certificado de finalización",
		"certificate.awarded":   "Se certifica que",
		"certificate.completed": "completó la pasantía",
		"certificate.at":        "en",
		"certificate.hours":     "Horas trabajadas",
		"certificate.date":      "Fecha de finalización",
		"certificate.print":     "Para guardarlo como PDF, usa el botón Imprimir o Compartir de tu navegador.",
		"certificate.not_ready": "Tu certificado estará listo cuando termines tu pasantía.",
	},
}

func init() {
	for code, m := range certificateText {
		maps.Copy(catalogs[code], m)
	}
}
