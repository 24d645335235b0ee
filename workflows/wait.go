package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// wait is one thing the journey is waiting for from one party, with the
// reminder ladder that runs until it is done.
type wait struct {
	step    string // unique within the journey, e.g. "permit_sign:guardian:v2"
	ladder  string // which ladder nudges it
	party   Party
	to      messaging.Recipient
	link    *messaging.LinkSpec
	params  map[string]string
	since   time.Time
	sent    int // rungs already sent
	overdue bool
	next    *time.Time
	done    func() bool
	// firstTemplate replaces the first rung's template (e.g. a returned
	// badge's "here is why" instead of the plain nudge).
	firstTemplate string
	// refresh, when set, recomputes params as each message goes out:
	// what a wait asks for can shrink while it is open (trainings done
	// one by one), and a reminder never names what is already done.
	refresh func() map[string]string
}

// newWait builds a wait on a party of this journey.
func (j *journey) newWait(ctx workflow.Context, step, ladder string, party Party, done func() bool) *wait {
	return &wait{step: step, ladder: ladder, party: party, to: j.recipient(party), since: workflow.Now(ctx), done: done}
}

func (w *wait) withLink(action, subject string) *wait {
	w.link = &messaging.LinkSpec{Action: action, SubjectRef: subject, SingleUse: true}
	return w
}

func (w *wait) with(params map[string]string) *wait {
	w.params = params
	return w
}

// currentParams are the params a message of this wait carries now.
func (w *wait) currentParams() map[string]string {
	if w.refresh != nil {
		w.params = w.refresh()
	}
	return w.params
}

// finished reports whether nothing more is needed for this wait and the
// input that ended it is written.
func (j *journey) finished(w *wait) bool {
	return (w.done() || j.waivedWait(w)) && j.inflight == 0
}

// waivedWait: staff waived this step, or the whole stage it belongs to.
func (j *journey) waivedWait(w *wait) bool {
	return j.isWaived(w.step) || j.isWaived(string(j.stage))
}

// begin registers waits and persists the stage with the first reminders
// that are due now, in one write.
func (j *journey) begin(ctx workflow.Context, ws ...*wait) error {
	var msgs []messaging.Request
	for _, w := range ws {
		j.waits = append(j.waits, w)
		ladder := j.ladder(w.ladder)
		for w.sent < len(ladder) && ladder[w.sent].After == 0 && !j.finished(w) {
			msgs = append(msgs, j.rungMessage(w, w.sent, ladder[w.sent]))
			w.overdue = w.overdue || ladder[w.sent].Escalate
			w.sent++
		}
		j.scheduleNext(w)
	}
	return j.flush(ctx, msgs)
}

// stepThrough begins and awaits one wait: how most stages take a step.
// firstTemplate, if set, replaces the ladder's first message (e.g.
// "returned, here is why").
func (j *journey) stepThrough(ctx workflow.Context, w *wait, firstTemplate string) error {
	w.firstTemplate = firstTemplate
	if err := j.begin(ctx, w); err != nil {
		return err
	}
	return j.await(ctx, w)
}

// awaitAll runs the waits' ladders concurrently until every one is done.
func (j *journey) awaitAll(ctx workflow.Context, ws ...*wait) error {
	if len(ws) == 1 {
		return j.await(ctx, ws[0])
	}
	var firstErr error
	pending := len(ws)
	for _, w := range ws {
		workflow.Go(ctx, func(ctx workflow.Context) {
			if err := j.await(ctx, w); err != nil && firstErr == nil {
				firstErr = err
			}
			pending--
		})
	}
	if err := workflow.Await(ctx, func() bool { return pending == 0 || firstErr != nil }); err != nil {
		return err
	}
	return firstErr
}

// await blocks until the wait is done, sending its ladder's rungs as time
// passes and a reminder whenever staff press Nudge. The ladder stops the
// moment the step is done.
func (j *journey) await(ctx workflow.Context, w *wait) error {
	defer j.removeWait(w)
	nudgesSeen, ladderSeen := len(j.nudges), j.ladderVersion
	changed := func() bool {
		return j.finished(w) || j.withdrawn != nil || len(j.nudges) != nudgesSeen || j.ladderVersion != ladderSeen
	}
	for {
		switch {
		case j.finished(w):
			return nil
		case j.withdrawn != nil:
			return errWithdrawn
		case len(j.nudges) != nudgesSeen:
			n := j.nudges[nudgesSeen]
			nudgesSeen++
			if !n.targets(w) {
				continue
			}
			if err := j.flush(ctx, []messaging.Request{j.nudgeMessage(w, n)}); err != nil {
				return err
			}
			continue
		}
		ladderSeen = j.ladderVersion
		j.scheduleNext(w)
		if w.next == nil {
			if err := workflow.Await(ctx, changed); err != nil {
				return err
			}
			continue
		}
		if d := w.next.Sub(workflow.Now(ctx)); d > 0 {
			fired, err := workflow.AwaitWithTimeout(ctx, d, changed)
			if err != nil {
				return err
			}
			if fired {
				continue
			}
		}
		if err := j.sendRung(ctx, w); err != nil {
			return err
		}
	}
}

// scheduleNext sets when the wait's next rung is due (nil: ladder done).
func (j *journey) scheduleNext(w *wait) {
	ladder := j.ladder(w.ladder)
	if w.sent >= len(ladder) {
		w.next = nil
		return
	}
	at := w.since.Add(ladder[w.sent].After.Duration(j.in.Program.scale()))
	w.next = &at
}

func (j *journey) sendRung(ctx workflow.Context, w *wait) error {
	ladder := j.ladder(w.ladder)
	rung := ladder[w.sent]
	msg := j.rungMessage(w, w.sent, rung)
	w.sent++
	if rung.Escalate {
		w.overdue = true
		j.note(ctx, "escalated", systemActor, map[string]string{"step": w.step})
	}
	j.scheduleNext(w)
	return j.flush(ctx, []messaging.Request{msg})
}

// rungMessage is the message for one rung: to the waited-on party with the
// action link, or to someone else (an escalation) with what is stuck. Both
// serve the wait: neither goes out once it is over.
func (j *journey) rungMessage(w *wait, i int, r Rung) messaging.Request {
	key := fmt.Sprintf("%s:%s:r%d", j.in.JourneyID, w.step, i)
	if i == 0 && w.firstTemplate != "" {
		r.Template = w.firstTemplate
	}
	if r.To == "" || r.To == w.party {
		msg := j.messageTo(key, w.to, r.Template, w.currentParams(), w.link)
		msg.Wait, msg.WaitParty, msg.Reminder = j.waitKey(w), string(w.party), i > 0
		return msg
	}
	msg := j.messageTo(key, j.recipient(r.To), r.Template, escalationParams(w.step, w.party, w.since), nil)
	msg.Wait = j.waitKey(w)
	return msg
}

// escalationParams tell staff which step is stuck, on whom, since when.
func escalationParams(step string, on Party, since time.Time) map[string]string {
	return map[string]string{"step": step, "since": since.Format(time.DateOnly), "waiting_on": string(on)}
}

// nudgeMessage is a staff "nudge now" for one open wait: the first
// request again, with a fresh link, sent at once (never into a digest).
func (j *journey) nudgeMessage(w *wait, n NudgeSignal) messaging.Request {
	template, params := j.nudgeTemplate(w), w.currentParams()
	if template == "" {
		// Journeys from before nudges went once per person: the party has
		// no request of its own, so it hears what is stuck.
		template, params = "coordinator_stuck", escalationParams(w.step, w.party, w.since)
	}
	key := fmt.Sprintf("%s:nudge:%s:%s", j.in.JourneyID, n.RequestID, w.step)
	msg := j.messageTo(key, w.to, template, params, w.link)
	msg.Wait, msg.WaitParty = j.waitKey(w), string(w.party)
	return msg
}

// partyTemplate is the request a wait's ladder sends the party it waits
// on ("" when the ladder only escalates, as the MOU gate's does).
func (j *journey) partyTemplate(w *wait) string {
	for _, r := range j.ladder(w.ladder) {
		if r.To == "" || r.To == w.party {
			return r.Template
		}
	}
	return ""
}

// nudgeTemplate is what a nudge repeats: the latest request or reminder
// the party was sent (a student ten days into the survey gets "still
// waiting", not "welcome!" again).
func (j *journey) nudgeTemplate(w *wait) string {
	template := j.partyTemplate(w)
	for i, r := range j.ladder(w.ladder) {
		if i >= w.sent {
			break
		}
		if r.To == "" || r.To == w.party {
			template = r.Template
			if i == 0 && w.firstTemplate != "" {
				template = w.firstTemplate
			}
		}
	}
	return template
}

// waitKey names a wait of this journey for the send-time check.
func (j *journey) waitKey(w *wait) string { return j.in.JourneyID + ":" + w.step }

// openWaitSet is what the journey is waiting for now, written with every
// read-model write; weeks that are over take their own waits with them.
func (j *journey) openWaitSet() *facts.WaitSet {
	set := &facts.WaitSet{Owner: facts.JourneyWaitOwner, Waits: []facts.OpenWait{}}
	if !j.stage.Closed() {
		for _, w := range j.openWaits() {
			set.Waits = append(set.Waits, facts.OpenWait{Key: j.waitKey(w), Party: string(w.party), AskedAt: w.since})
		}
	}
	for _, ref := range j.work.weeks {
		if ref.Done && ref.Status != "approved" {
			set.ClosedOwners = append(set.ClosedOwners, facts.WeekWaitOwner(ref.Week))
		}
	}
	return set
}

// message builds a one-off message to a party of this journey.
func (j *journey) message(step string, p Party, template string, params map[string]string, link *messaging.LinkSpec) messaging.Request {
	return j.messageTo(j.in.JourneyID+":"+step, j.recipient(p), template, params, link)
}

func (j *journey) messageTo(key string, to messaging.Recipient, template string, params map[string]string, link *messaging.LinkSpec) messaging.Request {
	var l *messaging.LinkSpec
	if link != nil {
		copied := *link
		l = &copied
	}
	return messaging.Request{
		IdemKey: key, DistrictID: j.in.DistrictID, SchoolID: j.in.SchoolID, JourneyID: j.in.JourneyID,
		To: to, Template: template, Params: params, Link: l,
	}
}

// recipient resolves a party of this journey to a messaging recipient.
func (j *journey) recipient(p Party) messaging.Recipient {
	switch p {
	case PartyStudent:
		return messaging.Recipient{Kind: "student", Ref: j.in.StudentID}
	case PartyGuardian:
		return messaging.Recipient{Kind: "guardian", Ref: "student:" + j.in.StudentID}
	case PartyEmployer:
		if j.placement != nil {
			return j.placement.contact()
		}
	case PartyIssuer:
		return messaging.Recipient{Kind: "permit_issuer", Ref: j.in.SchoolID}
	case PartyOps, PartyMOU:
		return messaging.Recipient{Kind: "district_ops", Ref: j.in.DistrictID}
	}
	return messaging.Recipient{Kind: "coordinator", Ref: j.in.SchoolID}
}

func (j *journey) removeWait(w *wait) {
	for i, x := range j.waits {
		if x == w {
			j.waits = append(j.waits[:i], j.waits[i+1:]...)
			return
		}
	}
}

// handleOutcomes notices people who cannot be reached: the journey goes on,
// the contact is flagged, and the coordinator is told once per party.
func (j *journey) handleOutcomes(ctx workflow.Context, msgs []messaging.Request, outs []messaging.Outcome) error {
	var alerts []messaging.Request
	for i, o := range outs {
		if !o.Unreachable() || i >= len(msgs) {
			continue
		}
		if alert, ok := j.markUnreachable(ctx, partyOf(msgs[i].To), o.Channel, o.Reason); ok {
			alerts = append(alerts, alert)
		}
	}
	if len(alerts) == 0 {
		return nil
	}
	return j.flush(ctx, alerts)
}

// markUnreachable flags a party once and returns the coordinator alert.
func (j *journey) markUnreachable(ctx workflow.Context, p Party, channel, reason string) (messaging.Request, bool) {
	if p == "" || p == PartyCoordinator {
		return messaging.Request{}, false
	}
	for _, u := range j.unreachable {
		if u == p {
			return messaging.Request{}, false
		}
	}
	j.unreachable = append(j.unreachable, p)
	j.note(ctx, "contact_unreachable", systemActor, map[string]string{"party": string(p), "channel": channel, "reason": reason})
	params := map[string]string{"party": string(p), "channel": channel, "reason": reason}
	return j.message("unreachable:"+string(p), PartyCoordinator, "contact_unreachable", params, nil), true
}

// partyOf maps a recipient kind back to the journey party.
func partyOf(r messaging.Recipient) Party {
	switch r.Kind {
	case "student":
		return PartyStudent
	case "guardian":
		return PartyGuardian
	case "supervisor", "employer":
		return PartyEmployer
	}
	return ""
}
