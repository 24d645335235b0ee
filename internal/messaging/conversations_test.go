package messaging

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Every CTIA keyword and its Spanish equivalent, as people type them:
// any case, with or without accents, with punctuation around.
func TestKeywordOf_CTIAAndSpanishWords_CaseAndAccentsIgnored(t *testing.T) {
	want := map[string]string{
		"STOP": keywordStop, "STOPALL": keywordStop, "UNSUBSCRIBE": keywordStop, "CANCEL": keywordStop,
		"END": keywordStop, "QUIT": keywordStop, "PARAR": keywordStop, "ALTO": keywordStop, "CANCELAR": keywordStop,
		"START": keywordStart, "UNSTOP": keywordStart, "COMENZAR": keywordStart, "INICIO": keywordStart,
		"YES": keywordYes, "SI": keywordYes, "SÍ": keywordYes,
		"HELP": keywordHelp, "INFO": keywordHelp, "AYUDA": keywordHelp,
		"MY INTERNSHIP": keywordHome, "LINK": keywordHome, "MI PASANTIA": keywordHome, "MI PASANTÍA": keywordHome,
		"ENLACE": keywordHome, "MY  INTERNSHIP": keywordHome,
	}
	for word, cat := range want {
		lower := strings.ToLower(word)
		title := strings.ToUpper(lower[:1]) + lower[1:]
		if strings.HasPrefix(lower, "sí") {
			title = "Sí"
		}
		for _, typed := range []string{word, lower, title, " " + word + " ", word + ".", "¡" + word + "!", word + "\n"} {
			if got := keywordOf(typed); got != cat {
				t.Errorf("keywordOf(%q) = %q, want %q", typed, got, cat)
			}
		}
	}
	// Accents people add where there are none, and the accented spellings.
	for typed, cat := range map[string]string{"Párar": keywordStop, "ÁLTO": keywordStop, "cancelár": keywordStop,
		"Inicío": keywordStart, "comenzár": keywordStart, "ayúda": keywordHelp, "sÍ": keywordYes} {
		if got := keywordOf(typed); got != cat {
			t.Errorf("keywordOf(%q) = %q, want %q", typed, got, cat)
		}
	}
	for _, reply := range []string{"stop by at 3?", "yes please", "help me with my resume", "Si, gracias", "", "what do I do next?", "info?!?x",
		"the link does not work", "my internship is great"} {
		if got := keywordOf(reply); got != "" {
			t.Errorf("keywordOf(%q) = %q, want a reply", reply, got)
		}
	}
}

func TestTwilioInbound_SpanishStopAndStartWords(t *testing.T) {
	for _, pair := range [][2]string{{"ALTO", "COMENZAR"}, {"parar", "inicio"}, {"Cancelar", "Sí"}, {"STOP", "yes"}} {
		t.Run(pair[0]+"/"+pair[1], func(t *testing.T) {
			e := newEnv(t)
			h := e.webhooks()
			h.text(emmaPhone, pair[0])
			if out := e.enqueue(e.nudge("after-stop")); out.Channel != ChannelEmail {
				t.Fatalf("after %q the nudge goes by %s, want email", pair[0], out.Channel)
			}
			h.text(emmaPhone, pair[1])
			if out := e.enqueue(e.nudge("after-start")); out.Channel != ChannelSMS {
				t.Fatalf("after %q the nudge goes by %s, want sms", pair[1], out.Channel)
			}
			if len(h.replies) != 0 {
				t.Fatalf("keywords were passed on as replies: %+v", h.replies)
			}
		})
	}
}

// YES opts back in only a number that opted out; otherwise it answers a
// question and reaches the coordinator like any reply.
func TestTwilioInbound_YesWithoutStop_IsAReply(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	h.text(emmaPhone, "Yes")
	if len(h.replies) != 1 {
		t.Fatalf("replies %+v, want the YES passed on", h.replies)
	}
	if n := e.count(`SELECT count(*) FROM inbound_messages WHERE keyword IS NULL AND body = 'Yes'`); n != 1 {
		t.Fatalf("YES stored as a keyword")
	}
}

// helpWorld names the program and gives the school's coordinator a phone.
func helpWorld(e *env) {
	e.exec(`UPDATE programs SET name = 'Bay Summer Jobs' WHERE id = $1`, e.w.program)
	e.exec(`UPDATE staff SET phone = '+15555550100' WHERE id = $1`, e.w.coordinators[0]) // Maria Lopez
}

// HELP names the program and the coordinator, with a number, entirely in
// the person's language, and goes out at night too.
func TestTwilioInbound_Help_NamesProgramAndCoordinatorInTheirLanguage(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	helpWorld(e)
	e.clock.Set(time.Date(2027, 6, 15, 22, 0, 0, 0, losAngeles)) // quiet hours: an answer still goes
	form := h.text(emmaPhone, "HELP")
	h.twilio(PathTwilioInbound, form) // redelivered: still one answer
	h.text(anaPhone, "¡Ayuda!")
	e.drain()
	want := map[string]string{
		emmaPhone: "Bay Summer Jobs: For help, reply with your question or contact Maria Lopez, your internship coordinator, at (555) 555-0100. Reply STOP to opt out.",
		anaPhone:  "Bay Summer Jobs: Para ayuda, responda con su pregunta o comuniquese con Maria Lopez, coordinador(a) de pasantias de su estudiante: (555) 555-0100. Responde STOP para cancelar.",
	}
	for phone, text := range want {
		got := e.tw.BodiesTo(phone)
		if len(got) != 1 || got[0] != text {
			t.Errorf("HELP answer to %s:\n got %q\nwant %q", phone, got, text)
		}
	}
	for _, english := range []string{"your", "contact", "coordinator", "help"} {
		if b := e.tw.BodiesTo(anaPhone); len(b) == 1 && strings.Contains(strings.ToLower(b[0]), english) {
			t.Errorf("the Spanish answer contains the English %q: %q", english, b[0])
		}
	}
	if len(h.replies) != 0 {
		t.Fatalf("HELP was passed on as a reply")
	}
}

// With no coordinator at the school, HELP names the district's office.
func TestTwilioInbound_Help_NoCoordinator_NamesDistrictOps(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	helpWorld(e)
	e.exec(`DELETE FROM staff_roles WHERE role = 'coordinator'`)
	e.exec(`WITH s AS (INSERT INTO staff (district_id, name, email) VALUES ($1, 'Pat Osei', 'ops@bay.example') RETURNING id)
		INSERT INTO staff_roles (staff_id, role) SELECT id, 'district_ops' FROM s`, e.w.district)
	h.text(emmaPhone, "info")
	e.drain()
	want := "Bay Summer Jobs: For help, reply with your question or contact Pat Osei, the district's internship office, at ops@bay.example. Reply STOP to opt out."
	if got := e.tw.BodiesTo(emmaPhone); len(got) != 1 || got[0] != want {
		t.Fatalf("HELP answer:\n got %q\nwant %q", got, want)
	}
}

// A reply is acknowledged once per conversation, in the writer's
// language, naming who will read it, at night too; a second text in the
// same conversation is not; after staff answer, the next text is.
func TestTwilioInbound_Reply_AcknowledgedOncePerConversation(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	helpWorld(e)
	e.clock.Set(time.Date(2027, 6, 15, 22, 30, 0, 0, losAngeles))
	h.text(emmaPhone, "what do I do next?")
	h.text(emmaPhone, "also, is the clinic open on Saturday?")
	h.text(anaPhone, "¿A qué hora termina?")
	e.drain()
	ackEN := "Bay Summer Jobs: Thanks, we got your message. Maria Lopez (your internship coordinator) will read it and answer you here. Reply STOP to opt out."
	ackES := "Bay Summer Jobs: Gracias, recibimos su mensaje. Maria Lopez (coordinador(a) de pasantias de su estudiante) lo leera y le respondera por aqui. Responde STOP para cancelar."
	if got := e.tw.BodiesTo(emmaPhone); len(got) != 1 || got[0] != ackEN {
		t.Fatalf("acknowledgements to Emma:\n got %q\nwant one %q", got, ackEN)
	}
	if got := e.tw.BodiesTo(anaPhone); len(got) != 1 || got[0] != ackES {
		t.Fatalf("acknowledgements to Ana:\n got %q\nwant one %q", got, ackES)
	}
	if len(h.replies) != 3 {
		t.Fatalf("%d replies passed on, want 3", len(h.replies))
	}

	// Staff answer Emma (at night: she just wrote); her next text starts
	// a new conversation.
	e.answer(Recipient{Kind: "student", Ref: e.w.student}, "a1", "Come Thursday at 3.")
	e.drain()
	got := e.tw.BodiesTo(emmaPhone)
	if len(got) != 2 || got[1] != "Bay Summer Jobs: Maria Lopez: Come Thursday at 3. Reply STOP to opt out." {
		t.Fatalf("texts to Emma after the answer: %q", got)
	}
	h.text(emmaPhone, "ok thanks!")
	e.drain()
	if got := e.tw.BodiesTo(emmaPhone); len(got) != 3 || got[2] != ackEN {
		t.Fatalf("a text after the answer is a new conversation, acknowledged: %q", got)
	}
	// Ana's conversation is still open a few hours later; a day later it is not.
	e.clock.Advance(3 * time.Hour)
	h.text(anaPhone, "¿Y el sábado?")
	e.clock.Advance(25 * time.Hour)
	h.text(anaPhone, "Otra pregunta")
	e.drain()
	if got := e.tw.BodiesTo(anaPhone); len(got) != 2 {
		t.Fatalf("texts to Ana: %q, want the first acknowledgement and one a day later", got)
	}
}

// answer texts a staff answer as Maria Lopez.
func (e *env) answer(to Recipient, key, text string) Outcome {
	e.t.Helper()
	var out Outcome
	err := e.tx(func(tx pgx.Tx) error {
		var err error
		out, err = e.outbox.Answer(e.ctx, tx, StaffAnswer{Key: key, DistrictID: e.w.district, SchoolID: e.w.school,
			JourneyID: e.w.journey, To: to, StaffID: e.w.coordinators[0], StaffName: "Maria Lopez", Text: text})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func TestOutbox_Answer_RefusesEmptyOrTooLongNamingTheField(t *testing.T) {
	e := newEnv(t)
	for _, text := range []string{"  ", strings.Repeat("a", MaxAnswerLength+1), strings.Repeat("Great work 🎉 ", 12)} {
		err := e.tx(func(tx pgx.Tx) error {
			_, err := e.outbox.Answer(e.ctx, tx, StaffAnswer{Key: "k", DistrictID: e.w.district, JourneyID: e.w.journey,
				To: Recipient{Kind: "student", Ref: e.w.student}, StaffID: e.w.coordinators[0], StaffName: "Maria Lopez", Text: text})
			return err
		})
		var ie InputError
		if !errors.As(err, &ie) || ie.Field != "text" {
			t.Errorf("answer %q: err %v, want an InputError on text", text[:1], err)
		}
	}
}

func (e *env) tx(f func(pgx.Tx) error) error { return pgx.BeginFunc(e.ctx, e.pool, f) }
