package web

import "testing"

// Every step an inbox can list has its words and its button in both
// languages (the keys are built from the action, so the catalog test
// cannot see them in the templates).
func TestInbox_EveryStepHasWordsInBothLanguages(t *testing.T) {
	kinds := []string{"sign_mou", "other"}
	for action := range inboxLadders {
		kinds = append(kinds, action)
	}
	for _, k := range kinds {
		for _, key := range []string{"inbox.what." + k, "inbox.button." + k} {
			if english[key] == "" || spanish[key] == "" {
				t.Errorf("%q is missing in English or Spanish", key)
			}
		}
	}
	if inboxKind("survey") != "other" {
		t.Error("a step the inbox has no words for should read as \"other\"")
	}
}
