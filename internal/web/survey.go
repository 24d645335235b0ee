package web

import (
	"net/http"
	"slices"
	"strings"

	pathway "github.com/internflow/internflow/internal/pathways"
	"github.com/internflow/internflow/workflows"
)

// option is one choice on a form.
type option struct{ Value, Label string }

// pathways are the survey's choices: the one list of sectors
// (internal/pathways) and "Not sure yet". The English name is what the
// journey stores (employers read it), whatever the page language.
var pathways = surveyPathways()

func surveyPathways() []struct{ Value, ES string } {
	out := make([]struct{ Value, ES string }, 0, len(pathway.Sectors)+1)
	for _, p := range append(slices.Clone(pathway.Sectors), pathway.NotSure) {
		out = append(out, struct{ Value, ES string }{p.Name, p.ES})
	}
	return out
}

var (
	interestCodes     = []string{"people", "computers", "hands_on", "outdoors", "creative", "helping", "numbers", "animals"}
	availabilityCodes = []string{"summer", "school_year", "weekends", "summer_school", "has_job"}
	languageCodes     = []string{"en", "es"}
)

func (l Lang) options(prefix string, codes []string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{Value: c, Label: l.T(prefix + "." + c)}
	}
	return out
}

func (l Lang) pathwayOptions() []option {
	out := make([]option, len(pathways))
	for i, p := range pathways {
		out[i] = option{Value: p.Value, Label: p.Value}
		if l.Code == "es" {
			out[i].Label = p.ES
		}
	}
	return out
}

type surveyView struct {
	Pathways, Interests, Availability, Transports, Languages []option
	// AskTransport is false for virtual programs: no commute to ask about.
	AskTransport bool
}

func (p *Pages) formSurvey(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	v := surveyView{
		Pathways: c.lang.pathwayOptions(), Interests: c.lang.options("interest", interestCodes),
		Availability: c.lang.options("availability", availabilityCodes), Transports: c.lang.options("transport", workflows.Transports),
		Languages: c.lang.options("language", languageCodes), AskTransport: c.j.ProgramKind != "virtual",
	}
	p.showForm(w, r, c, "survey", errs, v)
}

func (p *Pages) submitSurvey(w http.ResponseWriter, r *http.Request, c *call) {
	f := r.PostForm
	in := workflows.SurveyInput{
		By: c.actor(), Pathway: strings.TrimSpace(f.Get("pathway")), Interests: only(f["interests"], interestCodes),
		Availability: strings.Join(only(f["availability"], availabilityCodes), ","), Transport: f.Get("transport"),
		Languages: surveyLanguages(f["languages"], f.Get("other_languages")), ContactConsent: f.Get("contact_consent") == "yes",
	}
	if c.j.ProgramKind == "virtual" {
		in.Transport = "remote_only"
	}
	if errs := surveyProblems(c, in); len(errs) > 0 {
		p.formSurvey(w, r, c, errs)
		return
	}
	key := updateID(c, "survey", in.Pathway, strings.Join(in.Interests, ","), in.Availability, in.Transport,
		strings.Join(in.Languages, ","), f.Get("contact_consent"))
	err := deliver(r.Context(), p, c, p.Journeys.SubmitSurvey, key, in)
	p.outcome(w, r, c, err, key, sameFields("pathway", "transport"),
		func(e formErrors) { p.formSurvey(w, r, c, e) }, doneView{Body: c.lang.T(surveyNext(c.j.ProgramKind))})
}

// surveyProblems finds every missing answer at once (the journey's own
// check stops at the first), in the journey's words and the page's
// language.
func surveyProblems(c *call, in workflows.SurveyInput) formErrors {
	errs := formErrors{}
	if !slices.ContainsFunc(pathways, func(p struct{ Value, ES string }) bool { return p.Value == in.Pathway }) {
		errs.Add("pathway", c.lang.refusalOf(workflows.SurveyPathwayRequired))
	}
	if !slices.Contains(workflows.Transports, in.Transport) {
		errs.Add("transport", c.lang.refusalOf(workflows.SurveyTransportRequired))
	}
	if len(errs) > 1 {
		errs.Add("", c.lang.T("survey.missing"))
	}
	return errs
}

// only keeps the values that are known codes (a form can be tampered with).
func only(values, known []string) []string {
	var out []string
	for _, v := range values {
		if slices.Contains(known, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// surveyLanguages is the ticked languages plus any the student typed.
func surveyLanguages(ticked []string, other string) []string {
	out := only(ticked, languageCodes)
	for _, l := range strings.Split(other, ",") {
		if l = strings.TrimSpace(l); l != "" && len(l) <= 40 && len(out) < 10 {
			out = append(out, l)
		}
	}
	return out
}

// surveyNext says what comes after the survey: the resume and cover
// letter, or (a micro-internship has no badge) choosing a project.
func surveyNext(programKind string) string {
	if programKind == "micro" {
		return "survey.done_micro"
	}
	return "survey.done"
}
