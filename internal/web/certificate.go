package web

import (
	"fmt"
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
		v.Date = c.lang.longDate(*closed)
	}
	p.showForm(w, r, c, "certificate", errs, v)
}

// longDate is "June 2, 2027" / "2 de junio de 2027".
func (l Lang) longDate(d time.Time) string {
	month := l.T("certificate.month." + strconv.Itoa(int(d.Month())))
	if l.Code == "es" {
		return fmt.Sprintf("%d de %s de %d", d.Day(), month, d.Year())
	}
	return fmt.Sprintf("%s %d, %d", month, d.Day(), d.Year())
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
		"certificate.month.1":   "January", "certificate.month.2": "February", "certificate.month.3": "March",
		"certificate.month.4": "April", "certificate.month.5": "May", "certificate.month.6": "June",
		"certificate.month.7": "July", "certificate.month.8": "August", "certificate.month.9": "September",
		"certificate.month.10": "October", "certificate.month.11": "November", "certificate.month.12": "December",
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
		"certificate.month.1":   "enero", "certificate.month.2": "febrero", "certificate.month.3": "marzo",
		"certificate.month.4": "abril", "certificate.month.5": "mayo", "certificate.month.6": "junio",
		"certificate.month.7": "julio", "certificate.month.8": "agosto", "certificate.month.9": "septiembre",
		"certificate.month.10": "octubre", "certificate.month.11": "noviembre", "certificate.month.12": "diciembre",
	},
}

func init() {
	for code, m := range certificateText {
		maps.Copy(catalogs[code], m)
	}
}
