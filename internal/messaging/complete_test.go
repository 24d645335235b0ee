package messaging

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// The completeness test: every template, in every language, on every
// channel (and its digest line), rendered with exactly the params its
// callers send (the needs table, which Enqueue and the workflow tests
// hold every caller to), reads whole: no empty placeholder, no param the
// callers do not send, no raw code, and a link wherever it asks for one.

// sampleParams are realistic values for every param in the needs table,
// as callers send them (codes where callers send codes: the renderer must
// turn those into words).
var sampleParams = map[string]string{
	"student_first_name": "Jade", "comment": "Add your library job.", "posting_title": "Clinic assistant",
	"status": "interview", "employer_name": "Valley Clinic", "reason": "bounced", "training": "workplace_safety",
	"training_name": "Workplace safety", "week": "2027-06-07", "note": "Tuesday was 4 hours.",
	"project_title": "Garden dashboard", "flags": "over 4 hours on a school day", "step": "permit_sign:guardian:v2",
	"since": "2027-06-02", "party": "employer", "channel": "email", "program_year": "2027",
	"implementation_date": "2027-06-16", "sign_by": "2027-05-17", "term_end": "2028-08-31", "mou_status": "drafted",
	"waiting_on":     "guardian",
	"breaches":       `[{"kind":"day","laws":["CA"],"min_age":16,"max_age":17,"date":"2027-06-08","worked":6,"limit":4,"when":"school_day"}]`,
	"withheld":       "2",
	"recipient_name": "Rosa", "changes": "Hours per week: now 15 (was 20)",
	"helper_name": "Coach Rivera", "helper_reach": "(555) 555-0100", "helper_role": "coordinator",
	"staff_name": "Coach Rivera", "person": "Dr. Kim", "text": "Yes, come Thursday at 3 and bring your ID.",
	"inviter": "Dana Whitfield", "district": "Harbor Unified School District",
}

// fieldRef finds the params a text reads: {{.name}}, {{if .name}}, {{status .name}}.
var fieldRef = regexp.MustCompile(`\.([a-z_]+)`)

const testLink = "https://intern.example.org/l/TOKEN"

// knownGaps are templates this test cannot yet hold to every rule, with
// whose slice fixes them. Remove an entry when it is fixed: the test then
// guards it like the rest.
var knownGaps = map[string]string{}

// templateKeys are every "name" and "name@kind" in a language.
func templateKeys(l *language) []string { return slices.Sorted(maps.Keys(l.Templates)) }

func TestNeeds_EveryTemplateHasOneEntryAndReadsOnlyItsParams(t *testing.T) {
	for code, l := range languages {
		for _, key := range templateKeys(l) {
			name, _, _ := strings.Cut(key, "@")
			if _, ok := needs[name]; !ok {
				t.Errorf("%s: template %s has no entry in needs (say which params its callers send)", code, name)
				continue
			}
			allowed := templateParams(name)
			c := l.Templates[key]
			for part, text := range map[string]string{"SMS": c.SMS, "Subject": c.Subject, "Body": c.Body, "Line": c.Line} {
				for _, action := range regexp.MustCompile(`{{[^}]*}}`).FindAllString(text, -1) {
					for _, m := range fieldRef.FindAllStringSubmatch(action, -1) {
						if !slices.Contains(allowed, m[1]) {
							t.Errorf("%s %s %s reads {{.%s}}, which no caller sends (needs lists %v)", code, key, part, m[1], allowed)
						}
					}
				}
			}
		}
	}
	for name := range needs {
		if _, ok := english.Templates[name]; !ok {
			t.Errorf("needs lists %s, which is not a template", name)
		}
	}
	for name, n := range needs {
		for _, p := range slices.Concat(n.Params, n.Optional) {
			if _, ok := sampleParams[p]; !ok {
				t.Errorf("%s: param %s has no sample value in this test", name, p)
			}
		}
	}
}

// completeInputs are every template × language × channel, with the
// params the needs table says callers send; optional params both set and
// unset.
func completeInputs() []RenderInput {
	var out []RenderInput
	for code, l := range languages {
		for _, key := range templateKeys(l) {
			name, kind, _ := strings.Cut(key, "@")
			if kind == "" {
				kind = "student"
			}
			n := needs[name]
			for _, withOptional := range []bool{false, true} {
				params := map[string]string{}
				for _, p := range n.Params {
					params[p] = sampleParams[p]
				}
				if withOptional {
					for _, p := range n.Optional {
						params[p] = sampleParams[p]
					}
				}
				for _, ch := range []string{ChannelSMS, ChannelEmail} {
					in := RenderInput{Template: name, Language: code, Channel: ch, RecipientKind: kind, Params: params,
						Program: "Bay Summer Internships", Contact: "Ms. Lopez"}
					switch n.Link {
					case actionLink:
						in.Link = testLink
					case studentPage, mouPage:
						in.StaffPage = testLink
					}
					out = append(out, in)
				}
			}
		}
	}
	return out
}

func TestTemplates_EveryTemplateEveryLanguage_RendersWholeWithWhatCallersSend(t *testing.T) {
	tm := DefaultTemplates()
	for _, in := range completeInputs() {
		r, err := tm.Render(in)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("%s/%s/%s (%s)", in.Template, in.Language, in.Channel, in.RecipientKind)
		for _, d := range Defects(in.Template, r, in.Channel, testLink) {
			if knownGaps[in.Template] == "" || !strings.HasPrefix(d, "promises a link") {
				t.Errorf("%s: %s\n%s", what, d, r.Text)
			}
		}
		if needs[in.Template].Link == noLink && strings.Contains(r.Text, testLink) {
			t.Errorf("%s: carries a link although it asks nothing", what)
		}
	}
}

// The same, strictly: a template executed with missingkey=error fails on
// any param the table does not give it.
func TestTemplates_EveryPlaceholderIsGivenByTheTable(t *testing.T) {
	for code, l := range languages {
		for _, key := range templateKeys(l) {
			name, _, _ := strings.Cut(key, "@")
			params := map[string]string{"program": "P", "contact": "C", "recipient_name": "R"}
			for _, p := range needs[name].Params {
				params[p] = sampleParams[p]
			}
			c := l.Templates[key]
			for part, text := range map[string]string{"SMS": c.SMS, "Subject": c.Subject, "Body": c.Body, "Line": c.Line} {
				tp, err := parseText(key, text, l)
				if err != nil {
					t.Fatal(err)
				}
				withOptional := maps.Clone(params)
				for _, p := range needs[name].Optional {
					withOptional[p] = sampleParams[p]
				}
				if err := tp.Option("missingkey=error").Execute(new(strings.Builder), withOptional); err != nil {
					t.Errorf("%s %s %s: %v", code, key, part, err)
				}
			}
		}
	}
}

// employerReminders are the reminders journeys send employers and
// supervisors: the ones a digest can carry.
var employerReminders = []string{"application_decision_reminder", "permit_sign_request", "timesheet_approval_request",
	"feedback_request", "deliverable_review_request"}

// Digest lines name the student and what to do, in both languages.
func TestTemplates_DigestLinesRenderWhole(t *testing.T) {
	tm := DefaultTemplates()
	for code := range languages {
		var items []DigestItem
		for _, name := range employerReminders {
			params := map[string]string{}
			for _, p := range slices.Concat(needs[name].Params, needs[name].Optional) {
				params[p] = sampleParams[p]
			}
			items = append(items, DigestItem{Template: name, RecipientKind: "supervisor", Params: params, Link: testLink})
		}
		r, err := tm.RenderDigest(code, "Bay Summer Internships", "Ms. Lopez", "", items)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(r.Text, "\n") {
			if strings.HasPrefix(line, "- ") && (!strings.Contains(line, "Jade") || hole.MatchString(line) || rawCode.MatchString(line)) {
				t.Errorf("%s digest line %q: no student name, a hole or a code", code, line)
			}
		}
		if n := strings.Count(r.Text, testLink); n != len(items) {
			t.Errorf("%s digest: %d links for %d items", code, n, len(items))
		}
		// Pointing to the inbox: one link, the inbox, and the same lines.
		const inbox = "https://intern.example-district.org/l/INBOXtoken"
		ri, err := tm.RenderDigest(code, "Bay Summer Internships", "Ms. Lopez", inbox, items)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ri.Text, testLink) || strings.Count(ri.Text, inbox) != 1 || strings.Count(ri.HTML, inbox) != 1 {
			t.Errorf("%s inbox digest should carry the inbox link once and no item links:\n%s", code, ri.Text)
		}
		if strings.Count(ri.Text, "\n- ") != len(items) {
			t.Errorf("%s inbox digest lists %d items, want %d:\n%s", code, strings.Count(ri.Text, "\n- "), len(items), ri.Text)
		}
	}
}

// Under Strict (tests), Enqueue rejects a caller that sends the wrong
// param name or forgets the link; otherwise the message still goes.
func TestEnqueue_Strict_RejectsARequestItsTemplateCannotFill(t *testing.T) {
	e := newEnv(t)
	req := Request{IdemKey: "decide:1", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "supervisor", Ref: e.w.supervisor}, Template: "new_applicant",
		Params: map[string]string{"title": "Clinic assistant"}, Link: &LinkSpec{Action: "decide_application"}}
	strict := &Outbox{Links: e.minter, Clock: e.clock, Strict: true}
	err := pgx.BeginFunc(e.ctx, e.pool, func(tx pgx.Tx) error { _, err := strict.Enqueue(e.ctx, tx, req); return err })
	if err == nil || !strings.Contains(err.Error(), "posting_title") {
		t.Fatalf("strict enqueue of new_applicant without posting_title: %v, want an error naming it", err)
	}
	noLink := req
	noLink.Params, noLink.Link = map[string]string{"posting_title": "Clinic assistant"}, nil
	err = pgx.BeginFunc(e.ctx, e.pool, func(tx pgx.Tx) error { _, err := strict.Enqueue(e.ctx, tx, noLink); return err })
	if err == nil || !strings.Contains(err.Error(), "no link") {
		t.Fatalf("strict enqueue of new_applicant without a link: %v, want an error", err)
	}
	if out := e.enqueue(req); out.Status != StatusQueued {
		t.Fatalf("lenient enqueue: %+v, want queued (a running journey never stalls on wording)", out)
	}
}
