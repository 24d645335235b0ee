package links

// ActionInbox is the action of a supervisor's or employer contact's inbox
// link: it spans journeys (no journey id) and lists every step waiting on
// that person (internal/web serves it, reminder digests point to it).
const ActionInbox = "inbox"

// InboxSpec is the inbox link of a person ("supervisor" or "employer").
func InboxSpec(personKind, personRef string) Spec {
	return Spec{PersonKind: personKind, PersonRef: personRef, Action: ActionInbox}
}
