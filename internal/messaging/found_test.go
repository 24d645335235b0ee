package messaging

import (
	"strings"
	"testing"
)

// The found-internship messages as each person reads them, in English
// and Spanish, by text and by email: who and what they name, the reason a
// supervisor gave, the link that does what they ask, within two segments.
func TestTemplates_FoundInternshipMessagesReadWhole(t *testing.T) {
	const link = "https://intern.example.org/l/TOKEN"
	params := map[string]string{"student_first_name": "Maya", "employer_name": "Sunrise Bakery", "recipient_name": "Ana Ruiz",
		"reason": "We only hire at 18.", "comment": "Give the exact days and hours."}
	// Texts are written in GSM-7 (accents folded: one segment holds 160
	// characters, not 70); emails keep them.
	cases := []struct {
		template, kind string
		sms, email     map[string][]string // by language: what the text and the email must say
	}{
		{"found_vetting_request", "coordinator",
			map[string][]string{"en": {"Maya found an internship at Sunrise Bakery. Please check it:"}, "es": {"Maya encontro una pasantia en Sunrise Bakery. Revisela:"}},
			map[string][]string{"en": {"Check the internship Maya found at Sunrise Bakery", "approve it or ask the student for changes"},
				"es": {"Revise la pasantía que Maya encontró en Sunrise Bakery", "apruébela o pida cambios"}}},
		{"found_changes_request", "student",
			map[string][]string{"en": {"your coordinator asked for changes to the internship at Sunrise Bakery"}, "es": {"tu coordinador pidio cambios a la pasantia en Sunrise Bakery"}},
			map[string][]string{"en": {"Give the exact days and hours.", "opens with what you sent"}, "es": {"Give the exact days and hours.", "se abre con lo que enviaste"}}},
		{"found_confirm_request", "supervisor",
			map[string][]string{"en": {"Hi Ana Ruiz, Maya says they will intern with Sunrise Bakery. Please confirm"}, "es": {"Hola Ana Ruiz, Maya dice que hara una pasantia con Sunrise Bakery"}},
			map[string][]string{"en": {"Please confirm Maya's internship with Sunrise Bakery", "named you as their supervisor"},
				"es": {"Confirme la pasantía de Maya con Sunrise Bakery", "lo nombró a usted como supervisor"}}},
		{"found_declined", "student",
			map[string][]string{"en": {"Sunrise Bakery did not confirm your internship: We only hire at 18."}, "es": {"Sunrise Bakery no confirmo tu pasantia: We only hire at 18."}},
			map[string][]string{"en": {"Their reason:\n\nWe only hire at 18.", "report another internship"}, "es": {"Su motivo:\n\nWe only hire at 18.", "reportar otra pasantía"}}},
		{"found_declined_staff", "coordinator",
			map[string][]string{"en": {"Sunrise Bakery did not confirm the internship Maya found: We only hire at 18."}, "es": {"Sunrise Bakery no confirmo la pasantia que encontro Maya"}},
			map[string][]string{"en": {"Maya is back to applying and has been told."}, "es": {"Maya vuelve a buscar pasantías y ya fue informado."}}},
		{"found_confirmed", "student",
			map[string][]string{"en": {"Hi Maya, Sunrise Bakery confirmed your internship!"}, "es": {"Hola Maya, ¡Sunrise Bakery confirmo tu pasantia!"}},
			map[string][]string{"en": {"Congratulations!"}, "es": {"¡Felicidades!"}}},
	}
	tm := DefaultTemplates()
	for _, c := range cases {
		for _, lang := range []string{"en", "es"} {
			in := RenderInput{Template: c.template, Language: lang, RecipientKind: c.kind, Params: params,
				Program: "Summer Internships", Contact: "Ms. Lopez", StaffPage: link}
			if needs[c.template].Link == actionLink {
				in.Link = link
			}
			for _, ch := range []string{ChannelSMS, ChannelEmail} {
				in.Channel = ch
				r, err := tm.Render(in)
				if err != nil {
					t.Fatalf("%s %s: %v", c.template, lang, err)
				}
				want := c.sms[lang]
				if ch == ChannelEmail {
					want = c.email[lang]
				}
				whole := r.Subject + "\n" + r.Text
				for _, w := range want {
					if !strings.Contains(whole, w) {
						t.Errorf("%s %s %s lacks %q:\n%s", c.template, lang, ch, w, whole)
					}
				}
				if needs[c.template].Link != noLink && !strings.Contains(r.Text, link) {
					t.Errorf("%s %s %s carries no link:\n%s", c.template, lang, ch, r.Text)
				}
				for _, d := range Defects(c.template, r, ch, link) {
					t.Errorf("%s %s %s: %s", c.template, lang, ch, d)
				}
				if n, _ := smsSegments(r.Text); ch == ChannelSMS && n > 2 {
					t.Errorf("%s %s: %d segments: %q", c.template, lang, n, r.Text)
				}
			}
		}
	}
}
