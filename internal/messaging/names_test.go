package messaging

import (
	"strings"
	"testing"
)

// A training nudge names the training as people know it, in the
// recipient's language, never by its code.
func TestEnqueue_TrainingCode_ReachesPeopleAsItsNameInTheirLanguage(t *testing.T) {
	e := newEnv(t)
	e.exec(`INSERT INTO trainings (code, name, name_es) VALUES ('workplace_safety', 'Workplace safety', 'Seguridad en el trabajo')`)
	_, spanishJourney := addStudent(t, e.pool, e.w, e.w.school, "Lucía", "+15555550177", "", "es", "")
	for i, j := range []string{e.w.journey, spanishJourney} {
		student := e.w.student
		if i == 1 {
			if err := e.pool.QueryRow(e.ctx, `SELECT student_id FROM journeys WHERE id = $1`, j).Scan(&student); err != nil {
				t.Fatal(err)
			}
		}
		e.enqueue(Request{IdemKey: "training:" + j, DistrictID: e.w.district, JourneyID: j,
			To: Recipient{Kind: "student", Ref: student}, Template: "training_nudge",
			Params: map[string]string{"training": "workplace_safety"}, Link: &LinkSpec{Action: "record_training"}})
	}
	e.drain()
	texts := map[string]string{}
	for _, m := range e.tw.Messages() {
		texts[m.To] = m.Body
	}
	// A code missing from the catalogue still reads as words.
	e.enqueue(Request{IdemKey: "training:unlisted", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "student", Ref: e.w.student}, Template: "training_nudge", Channel: ChannelEmail,
		Params: map[string]string{"training": "forklift_basics"}, Link: &LinkSpec{Action: "record_training"}})
	e.drain()
	if m := e.sg.Messages(); len(m) != 1 || !strings.Contains(m[0].Subject, "Finish your forklift basics training") {
		t.Errorf("email for an unlisted training: %+v", m)
	}
	for to, want := range map[string]string{emmaPhone: "finish your Workplace safety training", "+15555550177": "capacitacion Seguridad en el trabajo"} {
		if !strings.Contains(texts[to], want) || strings.Contains(texts[to], "workplace_safety") {
			t.Errorf("text to %s = %q, want it to say %q and no code", to, texts[to], want)
		}
	}
}

// The coordinator is told who cannot be reached (the student, a parent,
// the supervisor) and how, in words, even when no channel is left.
func TestRender_ContactUnreachable_NamesThePartyAndChannelInWords(t *testing.T) {
	tm := DefaultTemplates()
	for _, c := range []struct {
		lang, party, channel, reason, want string
	}{
		{"en", "employer", "email", "bounced", "We cannot reach Jade's supervisor by email: the email bounced."},
		{"en", "guardian", "", "opted_out", "We cannot reach Jade's parent or guardian: they replied STOP."},
		{"en", "student", "sms", "invalid", "We cannot reach Jade by text message: the number or address does not work."},
		{"es", "employer", "email", "bounced", "No podemos contactar al supervisor de Jade por correo electrónico: el correo rebotó."},
		{"es", "guardian", "", "opted_out", "No podemos contactar al padre, madre o tutor de Jade: respondió STOP."},
	} {
		r, err := tm.Render(RenderInput{Template: "contact_unreachable", Language: c.lang, Channel: ChannelSMS, RecipientKind: "staff",
			Params: map[string]string{"student_first_name": "Jade", "party": c.party, "channel": c.channel, "reason": c.reason}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Text, gsmFold.Replace(c.want)) {
			t.Errorf("%s/%s: text %q, want %q", c.lang, c.party, r.Text, c.want)
		}
	}
}

// A week reaches people as they say dates, in their language, not as the
// database writes it.
func TestRender_WeekIsWrittenAsPeopleSayIt(t *testing.T) {
	tm := DefaultTemplates()
	for lang, want := range map[string]string{"en": "the week of June 7", "es": "la semana del 7 de junio"} {
		r, err := tm.Render(RenderInput{Template: "timesheet_nudge", Language: lang, Channel: ChannelEmail, RecipientKind: "student",
			Params: map[string]string{"student_first_name": "Jade", "week": "2027-06-07"}, Link: "https://x.example/l/t"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Subject, want) || strings.Contains(r.Subject+r.Text, "2027-06-07") {
			t.Errorf("%s: subject %q, body %q, want %q and no ISO date", lang, r.Subject, r.Text, want)
		}
	}
}

// A staff email does not tell the coordinator to contact the coordinator.
func TestRender_StaffEmailFooter_DoesNotSendStaffToThemselves(t *testing.T) {
	tm := DefaultTemplates()
	in := RenderInput{Template: "staff_login", Language: "en", Channel: ChannelEmail, RecipientKind: "staff",
		Program: "Bay Internships", Contact: "your school's internship coordinator", Link: "https://x.example/l/t"}
	r, err := tm.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text, "coordinator") || !strings.Contains(r.Text, "You receive this as staff of Bay Internships.") {
		t.Errorf("staff email footer: %q", r.Text)
	}
	in.RecipientKind = "student"
	if r, _ := tm.Render(in); !strings.Contains(r.Text, "Contact your school's internship coordinator.") {
		t.Errorf("a student's footer lost the contact: %q", r.Text)
	}
}
