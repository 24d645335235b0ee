package workflows

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every code has its English sentence: the message the journey writes.
func TestCodes_EveryCodeHasItsEnglish(t *testing.T) {
	if len(Codes()) == 0 {
		t.Fatal("no codes")
	}
	for _, c := range Codes() {
		if c.English() == "" {
			t.Errorf("code %s has no English", c)
		}
	}
}

// A rejection keeps the English the journey wrote before codes existed,
// and names its values as text for other languages.
func TestNewInputError_SameEnglishWithCodeAndArgs(t *testing.T) {
	ie := NewInputError(StepNotOpen, "", "the survey", "work permit")
	if want := "the survey is not open right now (the journey is at work permit)"; ie.Message != want {
		t.Errorf("message %q, want %q", ie.Message, want)
	}
	if ie.Code != "step.not_open" || len(ie.Args) != 2 || ie.Args[1] != "work permit" {
		t.Errorf("code and args: %+v", ie)
	}
	if ie := NewInputError(ApplyTooManyOpen, "", 3); ie.Message != "you have 3 open applications; wait for answers before applying to more" || ie.Args[0] != "3" {
		t.Errorf("number: %+v", ie)
	}
}

// A rejection recorded before codes existed still decodes, without a code.
func TestInputError_OldPayloadDecodes(t *testing.T) {
	var ie InputError
	if err := json.Unmarshal([]byte(`{"field":"pathway","message":"choose a career pathway"}`), &ie); err != nil {
		t.Fatal(err)
	}
	if ie.Code != "" || ie.Field != "pathway" || ie.Message != "choose a career pathway" {
		t.Errorf("decoded %+v", ie)
	}
}

// Every code has its Spanish sentence, and it formats cleanly from the
// args its English takes (fewer used is fine: "this step is not open").
func TestCodes_EveryCodeHasItsSpanish(t *testing.T) {
	for _, c := range Codes() {
		if c.Spanish() == "" {
			t.Errorf("code %s has no Spanish", c)
			continue
		}
		args := make([]any, strings.Count(strings.ReplaceAll(c.English(), "%%", ""), "%"))
		for i := range args {
			args[i] = "x"
		}
		if es := NewInputError(c, "", args...).In("es"); strings.Contains(es, "%!") {
			t.Errorf("code %s: Spanish %q formats badly", c, es)
		}
	}
}

// A refusal is shown in the page's language: Spanish from its code and
// args, English as the journey wrote it, and English when it has no code.
func TestInputError_In(t *testing.T) {
	ie := NewInputError(ApplicationCannotMove, "status", "offered", "applied")
	if got := ie.In("es"); got != "una solicitud en estado offered no puede pasar a applied" {
		t.Errorf("es: %q", got)
	}
	if got := ie.In("en"); got != "an application that is offered cannot move to applied" {
		t.Errorf("en: %q", got)
	}
	old := &InputError{Message: "something new from the workflow"}
	if got := old.In("es"); got != old.Message {
		t.Errorf("no code: %q", got)
	}
}
