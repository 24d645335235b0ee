package loadtest

import "testing"

// An invitation and its two reminders, backed up and sent in one batch,
// arrive in any order; only the newest one's link still works, so that is
// the one the simulated student must tap, as a person tapping the latest
// text does. Reading them by arrival once left 71 of 1,000 journeys stuck
// on a superseded link.
func TestCoalesce_ActsOnTheNewestOfABatch(t *testing.T) {
	link := func(s string) *string { return &s }
	invite := note{id: 1, journeyID: "j", recipient: "student", template: "survey_invite", linkID: link("a"), subject: "survey:"}
	nudge1 := note{id: 2, journeyID: "j", recipient: "student", template: "survey_nudge", linkID: link("b"), subject: "survey:"}
	nudge2 := note{id: 3, journeyID: "j", recipient: "student", template: "survey_nudge", linkID: link("c"), subject: "survey:"}
	news := note{id: 4, journeyID: "j", recipient: "guardian", template: "journey_started"}
	more := make(chan note, 3)
	more <- nudge2
	more <- invite
	more <- news
	got := coalesce(nudge1, more)
	if len(got) != 2 || got[0].id != nudge2.id || got[1].id != news.id {
		t.Fatalf("acted on %+v, want the newest reminder (id 3) and the guardian's news", got)
	}
}
