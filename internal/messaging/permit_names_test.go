package messaging

import (
	"strings"
	"testing"
)

// Every permit message greets its own reader by name and speaks to them
// in their role, in their language: the student as the student, the
// parent by the parent's name about their child, the supervisor by
// theirs about their intern, each coordinator by theirs. Before, the
// parent and the supervisor were greeted like the student.
func TestPermitMessages_EachRecipientAddressedByOwnNameAndRole(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(noonLA)
	people := map[string]Recipient{
		"student":  {Kind: "student", Ref: e.w.student},
		"guardian": {Kind: "guardian", Ref: "student:" + e.w.student},
		"employer": {Kind: "supervisor", Ref: e.w.supervisor},
	}
	params := map[string]string{"reason": "The hours are wrong", "employer_name": "Harbor Clinic",
		"changes": "Hours per week: now 15 (was 20)", "changes@es": "Horas por semana: ahora 15 (antes 20)"}
	send := func(key, template string, to Recipient, link *LinkSpec) {
		e.enqueue(Request{IdemKey: key, DistrictID: e.w.district, SchoolID: e.w.school, JourneyID: e.w.journey,
			To: to, Template: template, Params: params, Link: link})
	}
	for who, to := range people {
		send("rejected:"+who, "permit_rejected", to, nil)
		send("resign:"+who, "permit_resign_request", to, &LinkSpec{Action: "sign_permit", SubjectRef: who + ":v2"})
		send("approved:"+who, "permit_approved", to, nil)
	}
	send("approved:coordinator", "permit_approved_staff", Recipient{Kind: "coordinator", Ref: e.w.school}, nil)
	e.drain()

	got := map[string][]string{} // address → every text and email body
	for _, m := range e.tw.Messages() {
		got[m.To] = append(got[m.To], m.Body)
	}
	for _, m := range e.sg.Messages() {
		got[m.To] = append(got[m.To], m.Subject+"\n"+m.Text)
		// The HTML part keeps the list of changes one per line.
		if strings.Contains(m.Text, "What changed:") && !strings.Contains(m.HTML, `<p style="white-space:pre-line">It has been corrected. What changed:`) {
			t.Errorf("the HTML email runs the changes together:\n%s", m.HTML)
		}
	}
	for _, c := range []struct {
		to        string
		want      []string
		forbidden []string
	}{
		// Emma, the student (English texts).
		{emmaPhone, []string{"Hi Emma, your work permit was not approved yet", "Hi Emma, your work permit was corrected: Hours per week: now 15 (was 20).",
			"Hi Emma, good news: the school approved your work permit for Harbor Clinic."}, nil},
		// Ana Rivera, Emma's mother, reads Spanish.
		{anaPhone, []string{"Hola Ana Rivera, el permiso de su hijo/a Emma no fue aprobado",
			"Hola Ana Rivera, el permiso de su hijo/a Emma se corrigio: Horas por semana: ahora 15 (antes 20).",
			"Hola Ana Rivera, la escuela aprobo el permiso de trabajo de su hijo/a Emma"},
			[]string{"Hi Emma", "Hola Emma", "Hours per week"}},
		// Sam Lee, the supervisor, by email.
		{samEmail, []string{"Hello Sam Lee,", "your intern Emma", "What changed:\nHours per week: now 15 (was 20)",
			"The school approved the work permit for your intern Emma at Harbor Clinic."},
			[]string{"Hi Emma", "your work permit"}},
		{"lopez@bay.example", []string{"Hello Maria Lopez,", "approved Emma's work permit"}, nil},
		{"kim@bay.example", []string{"Hello Dan Kim,"}, nil},
	} {
		all := strings.Join(got[c.to], "\n---\n")
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s did not get %q; got:\n%s", c.to, w, all)
			}
		}
		for _, f := range c.forbidden {
			if strings.Contains(all, f) {
				t.Errorf("%s got %q, which is not for them:\n%s", c.to, f, all)
			}
		}
	}
}
