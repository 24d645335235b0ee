package messaging

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// realLink is the length of a real action link: a district host plus a
// 43-character token (71 characters).
const realLink = "https://intern.bayusd.org/l/Xq3v9Lk2Pz7Rt5Wm1Ny8Bc4Hd6Jf0Gs2Ka9Ue3Vo7Ti"

// longParams are long but realistic values for every param a template uses.
func longParams(lang string) map[string]string {
	name := "Guadalupe-Fernanda"
	if lang == "es" {
		name = "María Guadalupe" // í is not GSM-7: must not force UCS-2
	}
	return map[string]string{
		"student_first_name":  name,
		"posting_title":       "Junior Web Developer Intern (Summer)",
		"employer_name":       "Riverside Community Health Partners",
		"status":              "interview",
		"comment":             "Add your summer job at the library and fix the typo in the first line.",
		"reason":              "The employer's address is missing on page 2.",
		"training_name":       "Workplace Safety and Harassment Prevention",
		"week":                "June 9, 2027",
		"note":                "Tuesday shows 9 hours; the site closed at 3pm.",
		"project_title":       "Community Garden Water Usage Dashboard",
		"step":                "work permit",
		"since":               "June 2, 2027",
		"channel":             "sms",
		"program_year":        "2027",
		"implementation_date": "June 16, 2027",
		"recipient_name":      "Rosa Delgado-Fernández",
		"changes":             "Hours per week: now 15 (was 25)",
		"helper_name":         "Guadalupe Fernández-Ramírez",
		"helper_reach":        "internships@riverside-unified.example.org",
		"helper_role":         "coordinator",
		"staff_name":          "Guadalupe Fernández-Ramírez",
		"person":              "Guadalupe Fernández-Ramírez",
		"text":                "Yes, you can do your interview on Thursday at 3:30. Bring your ID and the signed permit, and ask for Dr. Kim at the front desk.",
	}
}

// smsVariants is every SMS the system can send: each template for each
// kind of recipient it has a variant for, in each language.
func smsVariants(t *testing.T) []RenderInput {
	t.Helper()
	var out []RenderInput
	for lang, l := range languages {
		for _, key := range slices.Sorted(maps.Keys(l.Templates)) {
			name, kind, _ := strings.Cut(key, "@")
			if kind == "" {
				kind = "student"
			}
			p := longParams(lang)
			// MOU dates are sent as 2006-01-02 and written out per language.
			p["sign_by"], p["term_end"], p["mou_status"] = "2027-05-17", "2027-08-31", "employer_signed"
			if name == "contact_unreachable" {
				p["reason"] = "invalid"
			}
			in := RenderInput{Template: name, Language: lang, Channel: ChannelSMS, RecipientKind: kind,
				Params: p, Program: "Bay Unified Summer Internships", Contact: "your school's internship coordinator",
				Link: realLink}
			if needs[name].Home && HomeActions[kind] != "" {
				in.HomeLink = realLink // the first text carries the person's page too
			}
			out = append(out, in)
		}
	}
	return out
}

func TestTemplates_EverySMSFitsTwoSegmentsWithLongParams(t *testing.T) {
	tm := DefaultTemplates()
	for _, in := range smsVariants(t) {
		r, err := tm.Render(in)
		if err != nil {
			t.Fatal(err)
		}
		n, enc := smsSegments(r.Text)
		if n > 2 || enc != "GSM-7" {
			t.Errorf("%s/%s/%s: %d segments %s (%d chars): %q", in.Template, in.Language, in.RecipientKind, n, enc,
				len([]rune(r.Text)), r.Text)
		}
		if strings.Contains(r.Text, "...") {
			t.Errorf("%s/%s: realistic params had to be shortened: %q", in.Template, in.Language, r.Text)
		}
	}
}

func TestTemplates_EverySMSNamesProgramLinkAndHowToStop(t *testing.T) {
	tm := DefaultTemplates()
	stop := map[string]string{"en": "Reply STOP to opt out.", "es": "Responde STOP para cancelar."}
	for _, in := range smsVariants(t) {
		r, _ := tm.Render(in)
		if !strings.HasPrefix(r.Text, "Bay Unified Summer Internships: ") || !strings.HasSuffix(r.Text, stop[in.Language]) {
			t.Errorf("%s/%s: %q must start with the program and end with how to stop", in.Template, in.Language, r.Text)
		}
		if !strings.Contains(r.Text, realLink) {
			t.Errorf("%s/%s: link missing: %q", in.Template, in.Language, r.Text)
		}
	}
}

func TestTemplates_VeryLongFreeText_IsShortenedToTwoSegments(t *testing.T) {
	tm := DefaultTemplates()
	p := longParams("en")
	p["comment"] = strings.Repeat("Please rewrite the objective section so it mentions healthcare. ", 8)
	for _, lang := range []string{"en", "es"} {
		r, err := tm.Render(RenderInput{Template: "badge_returned", Language: lang, Channel: ChannelSMS,
			RecipientKind: "student", Params: p, Program: "Summer Internships", Link: realLink})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := smsSegments(r.Text); n > 2 {
			t.Fatalf("%s: %d segments: %q", lang, n, r.Text)
		}
		if !strings.Contains(r.Text, realLink) || !strings.Contains(r.Text, "STOP") || !strings.Contains(r.Text, "...") {
			t.Fatalf("%s: shortened text lost its link or footer: %q", lang, r.Text)
		}
	}
}

func TestSMSSegments_CountsLikeCarriers(t *testing.T) {
	cases := []struct {
		body string
		n    int
		enc  string
	}{
		{strings.Repeat("a", 160), 1, "GSM-7"},
		{strings.Repeat("a", 161), 2, "GSM-7"},
		{strings.Repeat("a", 306), 2, "GSM-7"},
		{strings.Repeat("a", 307), 3, "GSM-7"},
		{strings.Repeat("€", 80), 1, "GSM-7"},                                   // extension: 2 septets each
		{strings.Repeat("€", 81), 2, "GSM-7"},                                   // 162 septets
		{strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152), 3, "GSM-7"}, // 306 septets, but € is not split
		{"¿Qué tal? ¡Sí, señor! ñ é ü à", 1, "UCS-2"},                           // í is not GSM-7
		{"¿Qué tal? ¡Sé, señor! ñ é ü à", 1, "GSM-7"},                           // these all are
		{strings.Repeat("á", 70), 1, "UCS-2"},
		{strings.Repeat("á", 71), 2, "UCS-2"},
		{strings.Repeat("á", 134), 2, "UCS-2"},
		{strings.Repeat("á", 135), 3, "UCS-2"},
		{strings.Repeat("a", 68) + "😀", 1, "UCS-2"}, // surrogate pair: 70 units
		{strings.Repeat("a", 69) + "😀", 2, "UCS-2"},
		{strings.Repeat("a", 66) + "😀" + strings.Repeat("a", 66), 3, "UCS-2"}, // 134 units, pair not split
	}
	for _, c := range cases {
		n, enc := smsSegments(c.body)
		if n != c.n || enc != c.enc {
			t.Errorf("%q: %d %s, want %d %s", c.body, n, enc, c.n, c.enc)
		}
	}
}

func TestTemplates_RecipientsLanguageChosen(t *testing.T) {
	tm := DefaultTemplates()
	in := RenderInput{Template: "timesheet_nudge", Channel: ChannelEmail, RecipientKind: "student",
		Params: map[string]string{"student_first_name": "Sofía", "week": "9 de junio"}, Program: "Pasantías", Link: realLink}
	in.Language = "es"
	es, _ := tm.Render(in)
	in.Language = "en"
	en, _ := tm.Render(in)
	if !strings.Contains(es.Subject, "Agrega tus horas") || !strings.Contains(es.Text, "Sofía") || !strings.Contains(es.HTML, `lang="es"`) {
		t.Fatalf("Spanish email: %q\n%s", es.Subject, es.Text)
	}
	if !strings.Contains(en.Subject, "Add your hours") {
		t.Fatalf("English email: %q", en.Subject)
	}
	in.Language = "fr" // not offered: English
	fr, _ := tm.Render(in)
	if fr.Subject != en.Subject {
		t.Fatalf("unknown language rendered %q", fr.Subject)
	}
}

func TestTemplates_MissingParamsRenderEmpty(t *testing.T) {
	tm := DefaultTemplates()
	for _, name := range tm.Names() {
		for _, ch := range []string{ChannelSMS, ChannelEmail} {
			r, err := tm.Render(RenderInput{Template: name, Language: "en", Channel: ch, RecipientKind: "student"})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if all := r.Subject + r.Text + r.HTML; strings.Contains(all, "<no value>") {
				t.Fatalf("%s/%s renders a placeholder: %q", name, ch, all)
			}
		}
	}
}

func TestTemplates_BothLanguagesHaveEveryTemplateTheJourneyUses(t *testing.T) {
	journey := []string{"survey_invite", "survey_nudge", "badge_upload_nudge", "badge_returned", "badge_approved",
		"applying_nudge", "application_update", "offer_nudge", "permit_sign_request", "permit_rejected", "training_nudge",
		"timesheet_nudge", "timesheet_correction", "reflection_nudge", "deliverable_nudge", "deliverable_changes",
		"journey_completed", "contact_help", "application_decision_reminder", "timesheet_approval_request",
		"feedback_request", "deliverable_review_request", "mou_sign_request", "mou_reminder", "coordinator_stuck",
		"badge_review_request", "permit_approval_request", "contact_unreachable", "mou_approval_request",
		"mou_escalation", "staff_login"}
	for _, name := range journey {
		if !DefaultTemplates().Has(name) {
			t.Errorf("template %s missing", name)
		}
	}
	if !slices.Equal(slices.Sorted(maps.Keys(english.Templates)), slices.Sorted(maps.Keys(spanish.Templates))) {
		t.Fatal("English and Spanish define different templates")
	}
	for lang, l := range languages {
		for key, c := range l.Templates {
			if c.SMS == "" || c.Subject == "" || c.Body == "" {
				t.Errorf("%s %s: SMS, subject and body are all required", lang, key)
			}
		}
		for name := range l.Templates {
			_, cc, _ := DefaultTemplates().lookup(name, lang, "supervisor")
			if digestLine(cc, map[string]string{"student_first_name": "Ana"}) == "" {
				t.Errorf("%s %s: a reminder that joins a digest needs a Line or a subject", lang, name)
			}
		}
	}
}

func TestRedact_HidesAddresses(t *testing.T) {
	cases := map[string]string{
		"+15555550101":          "+1555***0101",
		"emma.rivera@gmail.com": "e***@gmail.com",
		"":                      "",
		"+1234":                 "***",
	}
	for in, want := range cases {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if got := scrub("The 'To' number +15555550101 is not a valid phone number."); strings.Contains(got, "+15555550101") {
		t.Fatalf("scrub kept the number: %q", got)
	}
}
