package messaging

import (
	"errors"
	"strings"
	"testing"
)

// An announcement reaches only the audience (schools in scope, grade,
// stage, waiting on), counted the same before sending, and each row keeps
// only the note in its reader's language.
func TestAnnouncement_ReachesOnlyTheAudience_EachInTheirLanguage(t *testing.T) {
	e := newEnv(t)
	ana, anaJ := addStudent(t, e.pool, e.w, e.w.school, "Ana", "+15555550111", "", "en", "")
	luz, luzJ := addStudent(t, e.pool, e.w, e.w.school, "Luz", "+15555550112", "", "es", "")
	ten, tenJ := addStudent(t, e.pool, e.w, e.w.school, "Teo", "+15555550113", "", "en", "")
	far, farJ := addStudent(t, e.pool, e.w, e.w.school2, "Fay", "+15555550114", "", "en", "")
	e.exec(`UPDATE students SET grade = 11 WHERE id = ANY($1::uuid[])`, []string{ana, luz, far})
	e.exec(`UPDATE students SET grade = 10 WHERE id = $1`, ten)
	for _, sj := range [][2]string{{ana, anaJ}, {luz, luzJ}, {ten, tenJ}, {far, farJ}} {
		e.exec(`INSERT INTO journey_view (journey_id, student_id, district_id, school_id, program_id, stage, waiting_on, stage_since, updated_seq)
			SELECT $1, $2, s.district_id, s.school_id, $3, 'intern_ready', 'coordinator', now(), 1 FROM students s WHERE s.id = $2`,
			sj[1], sj[0], e.w.program)
	}
	audience := BulkRequest{DistrictID: e.w.district, SchoolIDs: []string{e.w.school}, Grade: 11, Stage: "intern_ready",
		WaitingOn: "coordinator"}
	count, err := e.outbox.CountAudience(e.ctx, e.pool, audience)
	if err != nil {
		t.Fatal(err)
	}
	if count.Students != 2 || count.Texts["en"] != 1 || count.Texts["es"] != 1 || count.EmailCount() != 0 {
		t.Fatalf("counted %+v, want Ana (en) and Luz (es) by text", count)
	}
	req := Announcement(audience, "district_reminder", map[string]string{"en": " Bring your resume Friday. ", "es": "Trae tu currículum el viernes."}, "k1")
	if n, err := e.outbox.BulkEnqueue(e.ctx, e.pool, req); err != nil || n != 2 {
		t.Fatalf("queued %d (%v), want 2", n, err)
	}
	if e.count(`SELECT count(*) FROM messages WHERE template = 'district_reminder' AND recipient_ref = $1 AND params->>'note' = 'Bring your resume Friday.'`, ana) != 1 ||
		e.count(`SELECT count(*) FROM messages WHERE template = 'district_reminder' AND recipient_ref = $1 AND params->>'note' = 'Trae tu currículum el viernes.'`, luz) != 1 {
		t.Fatal("each reader's row does not hold the note in their language")
	}
	e.drain()
	if got := e.tw.Messages(); len(got) != 2 {
		t.Fatalf("%d texts sent, want 2", len(got))
	}
	for _, m := range e.tw.Messages() {
		if m.To == "+15555550112" && !strings.Contains(m.Body, "Hola Luz, un recordatorio de tu escuela: Trae tu curriculum el viernes. Mira tu proximo paso: ") {
			t.Fatalf("Luz reads %q", m.Body)
		}
		if m.To == "+15555550111" && !strings.Contains(m.Body, "Hi Ana, a reminder from your school: Bring your resume Friday. See your next step: ") {
			t.Fatalf("Ana reads %q", m.Body)
		}
	}
}

func TestCheckNote_RefusesEmptyLongAndLinks(t *testing.T) {
	tpl := DefaultTemplates()
	for note, want := range map[string]error{
		"Bring your resume Friday.":               nil,
		"  ":                                      ErrNoteEmpty,
		strings.Repeat("x", 141):                  ErrNoteTooLong,
		"Sign up at https://evil.example/x":       ErrNoteLink,
		"Go to www.fair.org":                      ErrNoteLink,
		"Text bit.ly/abc":                         ErrNoteLink,
		"Write to help@district.org":              ErrNoteLink,
		strings.Repeat("🎉 ok ", 20):               ErrNoteTooLong, // UCS-2: more than two segments
		"Bring 2 copies. Mr. Diaz will be there.": nil,
	} {
		if got := tpl.CheckNote("district_news", "en", note); !errors.Is(got, want) {
			t.Errorf("CheckNote(%q) = %v, want %v", note, got, want)
		}
	}
}
