package web

import (
	"net/http"

	"github.com/internflow/internflow/workflows"
)

// offerView is the offer a student is about to accept.
type offerView struct {
	Open                                  bool
	Title, Employer, Where, Schedule, Pay string
	HoursPerWeek                          float64
}

func (p *Pages) formOffer(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	var v offerView
	var status, payType, site, line1, city, state, zip string
	var cents int
	var remote bool
	err := p.Store.Pool.QueryRow(r.Context(), `
		SELECT a.status, p.title, e.name, COALESCE(p.hours_per_week,0)::float8, COALESCE(p.schedule,''), p.pay_type,
			COALESCE(p.pay_cents,0), COALESCE(w.remote,false), COALESCE(w.name,''), COALESCE(w.address_line1,''),
			COALESCE(w.city,''), COALESCE(w.state,''), COALESCE(w.postal_code,'')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN employers e ON e.id = p.employer_id
		LEFT JOIN worksites w ON w.id = p.worksite_id
		WHERE a.id::text = $1 AND a.journey_id = $2`, c.link.SubjectRef, c.j.ID).Scan(&status, &v.Title, &v.Employer,
		&v.HoursPerWeek, &v.Schedule, &payType, &cents, &remote, &site, &line1, &city, &state, &zip)
	if err != nil {
		p.failed(w, r, c, "load offer", err)
		return
	}
	v.Open, v.Pay = status == "offer", c.lang.pay(payType, cents)
	v.Where = c.lang.F().Worksite(site, line1, city, state, zip, remote)
	p.showForm(w, r, c, "offer", errs, v)
}

func (p *Pages) submitOffer(w http.ResponseWriter, r *http.Request, c *call) {
	if r.PostForm.Get("decision") == "decline" {
		p.declineOffer(w, r, c)
		return
	}
	key := updateID(c, "accept_offer", c.link.SubjectRef)
	in := workflows.AcceptOfferInput{By: c.actor(), ApplicationID: c.link.SubjectRef}
	err := deliver(r.Context(), p, c, p.Journeys.AcceptOffer, key, in)
	p.outcome(w, r, c, err, key, nil, func(e formErrors) { p.formOffer(w, r, c, e) }, doneView{Body: c.lang.T("offer.done")})
}

// declineOffer turns the offer down: the application is declined (the
// employer's list shows it) and the student keeps applying elsewhere.
func (p *Pages) declineOffer(w http.ResponseWriter, r *http.Request, c *call) {
	key := updateID(c, "decline_offer", c.link.SubjectRef)
	in := workflows.DecisionInput{By: c.actor(), ApplicationID: c.link.SubjectRef, Status: "declined"}
	err := deliver(r.Context(), p, c, p.Journeys.DecideApplication, key, in)
	p.outcome(w, r, c, err, key, nil, func(e formErrors) { p.formOffer(w, r, c, e) }, doneView{Body: c.lang.T("offer.declined")})
}
