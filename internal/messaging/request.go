// Package messaging is internflow's outbox: every intended SMS or email is
// a row with a deterministic idempotency key, sent exactly once by the
// dispatcher through Twilio, SendGrid or the local log provider.
package messaging

import "time"

// Recipient names who a message is for; Enqueue resolves the address,
// channel, language and time zone from the store.
//
// Kinds: "student", "guardian" (Ref: guardian id, or "student:<id>" for
// every guardian of that student), "supervisor", "employer" (Ref: employer
// id: its contact), "staff" (Ref: staff id), and the role fan-outs
// "coordinator" (Ref: school id: every coordinator of that school),
// "permit_issuer" (Ref: school id: issuers for that school or district-wide),
// "district_ops", "mou_approver" and "district_admin" (Ref: district id).
// A school role nobody holds at the school reaches district ops (else the
// admins) instead, told which school lacks one (see standIns).
type Recipient struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
}

// LinkSpec asks Enqueue to mint an action link for the recipient and put
// its URL in the message. The link is bound to the person and action.
type LinkSpec struct {
	Action string `json:"action"`
	// SubjectRef narrows the action (an application id, a timesheet week,
	// a training code).
	SubjectRef string `json:"subject_ref,omitempty"`
	// DocumentSHA256 binds a signing link to one document version (hex).
	DocumentSHA256 string `json:"document_sha256,omitempty"`
	SingleUse      bool   `json:"single_use,omitempty"`
	// TTL overrides the minter's default lifetime (staff sign-in links
	// live minutes, not weeks).
	TTL time.Duration `json:"ttl,omitempty"`
}

// Request is one intended message (or, for role fan-outs, one per person).
type Request struct {
	// IdemKey is deterministic: journey, step and ladder rung, or an
	// action id. Enqueueing the same key twice creates one message.
	IdemKey    string            `json:"idem_key"`
	DistrictID string            `json:"district_id"`
	SchoolID   string            `json:"school_id,omitempty"`
	JourneyID  string            `json:"journey_id,omitempty"`
	To         Recipient         `json:"to"`
	Template   string            `json:"template"`
	Params     map[string]string `json:"params,omitempty"`
	Link       *LinkSpec         `json:"link,omitempty"`
	// Channel forces "sms" or "email"; empty picks the recipient's usual
	// channel (SMS for students and guardians, email for everyone else),
	// falling back to the other when the usual one is opted out or missing.
	Channel string `json:"channel,omitempty"`
	// Wait names the wait this message serves (a journey step, a timesheet
	// week's ladder, an MOU signature). The dispatcher sends it only while
	// that wait is open, and, when WaitParty is set, still on that party;
	// otherwise it is cancelled with reason "step_closed". Empty: news
	// that stays true whenever it arrives.
	Wait      string `json:"wait,omitempty"`
	WaitParty string `json:"wait_party,omitempty"`
	// Reminder marks a repeat of a request already made. Only reminders to
	// employers and supervisors join their daily digest; a first request
	// to act goes out at once (quiet hours aside).
	Reminder bool `json:"reminder,omitempty"`
}

// Outcome says what Enqueue did with a request.
type Outcome struct {
	IdemKey string `json:"idem_key"`
	// Status: "queued" (new row), "duplicate" (key seen before: nothing
	// new), or "unreachable" (no usable address on any channel).
	Status string `json:"status"`
	// Reason for "unreachable": "no_contact", "opted_out", "invalid".
	Reason string `json:"reason,omitempty"`
	// Channel the message goes by; for "unreachable" the channel that was
	// refused (the person opted out of texts, their email bounced), ""
	// when there is no address at all.
	Channel  string  `json:"channel,omitempty"`
	Messages []int64 `json:"messages,omitempty"`
}

// Unreachable reports whether nobody could be reached.
func (o Outcome) Unreachable() bool { return o.Status == "unreachable" }
