package journey

import (
	"slices"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/store"
)

// TestProgramDefinition_HourRulesOnByDefault: a program gets the federal
// rules and its district's state's whether its stored definition is empty,
// omits hour_rules or lists none; rules it states are kept.
func TestProgramDefinition_HourRulesOnByDefault(t *testing.T) {
	cases := []struct {
		name, state, definition string
		want                    []string // the rules' laws, in order
	}{
		{"empty definition, California", "CA", `{}`, []string{"US", "US", "CA", "CA", "CA", "CA"}},
		{"definition without hour_rules", "CA", `{"required_hours": 80}`, []string{"US", "US", "CA", "CA", "CA", "CA"}},
		{"definition with no rules", "CA", `{"hour_rules": []}`, []string{"US", "US", "CA", "CA", "CA", "CA"}},
		{"a state without its own rules here", "TX", `{}`, []string{"US", "US"}},
		{"rules the program states", "CA", `{"hour_rules": [{"name": "stricter", "law": "CA", "min_age": 14, "max_age": 17, "weeks": "any", "max_per_day": 6}]}`, []string{"CA"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			def, err := ProgramDefinition(store.Program{ID: "p", Kind: "summer_paid", State: c.state, Definition: []byte(c.definition)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range def.HourRules {
				got = append(got, r.Law)
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("rules by law %v, want %v", got, c.want)
			}
		})
	}
}

// TestProgramDefinition_TrainingsOpen: `program set` (and enrolment) take
// a definition whose trainings open at Intern Ready or at enrolment, and
// refuse any other value, naming the field.
func TestProgramDefinition_TrainingsOpen(t *testing.T) {
	for _, def := range []string{`{"trainings": ["hipaa"]}`, `{"trainings_open": "intern_ready"}`, `{"trainings_open": "enrolment"}`} {
		if _, err := ProgramDefinition(store.Program{ID: "p", Kind: "summer_paid", Definition: []byte(def)}); err != nil {
			t.Errorf("%s refused: %v", def, err)
		}
	}
	_, err := ProgramDefinition(store.Program{ID: "p", Kind: "summer_paid", Definition: []byte(`{"trainings_open": "placement"}`)})
	if err == nil || !strings.Contains(err.Error(), `trainings_open is "placement"`) {
		t.Errorf(`trainings_open "placement": %v, want refused naming the field`, err)
	}
}
