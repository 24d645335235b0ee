package web

import (
	"maps"
	"net/http"
	"strings"
)

// The application details page: what a student opens from an
// "application update" text. For an interview it shows the employer's
// note (time, place) and the worksite's address, which before this page
// only the employer and the coordinator could read.

// detailsView is one application as its student sees it.
type detailsView struct {
	Title, Employer, Status string
	// Note is the employer's note, shown only for an interview invite
	// (the decide page tells the employer the student reads it then).
	Note string
	// Address is where the interview or the work is, in one line.
	Address   string
	Remote    bool
	Interview bool
}

func (p *Pages) formDetails(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	a, err := p.Store.ApplicationDetails(r.Context(), c.link.SubjectRef, c.j.ID)
	if err != nil {
		p.failed(w, r, c, "load application", err)
		return
	}
	v := detailsView{Title: a.Title, Employer: a.Employer, Remote: a.Remote}
	status, note, addr := a.Status, a.Note, a.Address
	v.Status = c.lang.T("details.status." + status)
	if v.Interview = status == "interview"; v.Interview {
		v.Note = note
	}
	v.Address = oneLineAddress(addr)
	p.showForm(w, r, c, "details", errs, v)
}

// oneLineAddress joins "line1, city, state postal" leaving out what is
// missing.
func oneLineAddress(a [4]string) string {
	var parts []string
	for _, s := range []string{a[0], a[1], strings.TrimSpace(a[2] + " " + a[3])} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// detailsText are this page's words; init adds them to the catalogs so
// the page's texts live next to it.
var detailsText = map[string]map[string]string{
	"en": {
		"details.title":              "Your application",
		"details.employer":           "Employer",
		"details.status":             "Status",
		"details.note":               "Message from the employer",
		"details.where":              "Address",
		"details.remote":             "Remote",
		"details.no_note":            "The employer will contact you with the time and place. Questions? Ask your coordinator.",
		"details.status.submitted":   "Submitted",
		"details.status.reviewing":   "Under review",
		"details.status.interview":   "Invited to interview",
		"details.status.offer":       "Offer made",
		"details.status.declined":    "Not selected this time",
		"details.status.accepted":    "Accepted",
		"details.status.withdrawn":   "Withdrawn",
		"details.interview_headline": "You are invited to an interview!",
	},
	"es": {
		"details.title":              "Tu solicitud",
		"details.employer":           "Empleador",
		"details.status":             "Estado",
		"details.note":               "Mensaje del empleador",
		"details.where":              "Dirección",
		"details.remote":             "A distancia",
		"details.no_note":            "El empleador te contactará con la hora y el lugar. ¿Preguntas? Habla con tu coordinador.",
		"details.status.submitted":   "Enviada",
		"details.status.reviewing":   "En revisión",
		"details.status.interview":   "Invitado a una entrevista",
		"details.status.offer":       "Oferta recibida",
		"details.status.declined":    "No seleccionado esta vez",
		"details.status.accepted":    "Aceptada",
		"details.status.withdrawn":   "Retirada",
		"details.interview_headline": "¡Te invitan a una entrevista!",
	},
}

func init() {
	for code, m := range detailsText {
		maps.Copy(catalogs[code], m)
	}
}
