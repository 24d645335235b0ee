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
	o, err := p.Store.OfferOnLink(r.Context(), c.link.SubjectRef, c.j.ID)
	if err != nil {
		p.failed(w, r, c, "load offer", err)
		return
	}
	v := offerView{Title: o.Title, Employer: o.Employer, HoursPerWeek: o.HoursPerWeek, Schedule: o.Schedule}
	v.Open, v.Pay = o.Status == "offer", c.lang.pay(o.PayType, o.PayCents)
	s := o.Site
	v.Where = c.lang.F().Worksite(s.Name, s.Line1, s.City, s.State, s.Zip, s.Remote)
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
