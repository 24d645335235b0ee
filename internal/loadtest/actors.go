package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/internflow/internflow/internal/links"
)

// note is a message a simulated person received (sent by the dispatcher).
type note struct {
	id        int64
	journeyID string
	recipient string // recipient kind
	template  string
	linkID    *string
	// subject is what the link acts on (an application, a week), so
	// reminders about different applications are not mistaken for one.
	subject string
}

// people read their texts and emails and act on each one: open the link
// and fill the form, or (staff) open the student's page and approve.
type people struct {
	sys      *system
	minter   *links.Minter
	issuer   *staffMember
	coords   map[string]*staffMember // by school
	schoolOf map[string]string       // journey → school
	http     chan struct{}           // bounds requests in flight
	client   *http.Client            // people's phones share one connection pool
	inbox    map[string]chan note    // by journey
	acted    atomic.Int64
	late     atomic.Int64 // messages only the long look back found
	nudged   atomic.Int64 // journeys gone quiet that a coordinator nudged
	errMu    sync.Mutex
	gaveUp   map[string]int    // by message template and what went wrong
	trails   map[string]*trail // by journey; each written by its own journey's goroutine
}

// trail is the last few things that happened to one journey's people:
// what made a slow journey slow.
type trail struct {
	start  time.Time
	events []string
}

const trailLen = 12

func (t *trail) add(format string, args ...any) {
	if t == nil {
		return
	}
	e := fmt.Sprintf("%6.1fs ", time.Since(t.start).Seconds()) + fmt.Sprintf(format, args...)
	if t.events = append(t.events, e); len(t.events) > trailLen {
		t.events = t.events[1:]
	}
}

// deliver routes messages sent from the start of the run to their
// journeys' people, reading the outbox the way a phone shows new texts: by
// the time they were sent.
func (p *people) deliver(ctx context.Context, since time.Time) {
	seen := map[int64]bool{}
	lastSweep := time.Now()
	for ctx.Err() == nil {
		// sent_at is stamped before the row commits, so a message can
		// appear after a later one: look back a little, skip those seen.
		newest, _ := p.route(ctx, since.Add(-lookBack), seen)
		if newest.After(since) {
			since = newest
		}
		// Now and then look back much further: a batch of sends recorded
		// slowly under load commits long after its sent_at, and a text
		// missed here is a person who never hears from us.
		if time.Since(lastSweep) > sweepEvery {
			_, late := p.route(ctx, since.Add(-sweepBack), seen)
			p.late.Add(int64(late))
			lastSweep = time.Now()
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// route hands each message sent from `from` on and not yet seen to its
// journey's people: the newest sent_at it read, and how many were new.
func (p *people) route(ctx context.Context, from time.Time, seen map[int64]bool) (newest time.Time, routed int) {
	rows, err := p.sys.Store.Pool.Query(ctx, `SELECT m.id, m.journey_id::text, m.recipient_kind, m.template, m.link_id::text,
			coalesce(l.action || ':' || l.subject_ref, ''), m.sent_at
		FROM messages m LEFT JOIN action_links l ON l.id = m.link_id
		WHERE m.status IN ('sent','delivered') AND m.journey_id IS NOT NULL AND m.sent_at >= $1
		ORDER BY m.sent_at, m.id LIMIT 20000`, from)
	if err != nil {
		time.Sleep(200 * time.Millisecond)
		return newest, 0
	}
	defer rows.Close()
	for rows.Next() {
		var n note
		var at time.Time
		if rows.Scan(&n.id, &n.journeyID, &n.recipient, &n.template, &n.linkID, &n.subject, &at) != nil {
			continue
		}
		if at.After(newest) {
			newest = at
		}
		if seen[n.id] {
			continue
		}
		seen[n.id] = true
		routed++
		if ch, ok := p.inbox[n.journeyID]; ok {
			ch <- n
		}
	}
	return newest, routed
}

const (
	// lookBack covers messages committed out of their sent_at order.
	lookBack = 5 * time.Second
	// sweepBack and sweepEvery are the occasional longer look back.
	sweepBack  = 3 * time.Minute
	sweepEvery = 10 * time.Second
)

// live plays everyone on one journey until it completes or ctx ends.
// When a journey that has started goes quiet for stuckAfter, its
// coordinator does what the dashboard's overdue list is for: opens the
// student's page and presses Nudge, which texts the person it waits on
// a fresh link. Without that, a person who gave up after failed pages
// (or a ladder that ran out while the machine was saturated) left the
// journey waiting on staff the simulation did not play.
func (p *people) live(ctx context.Context, journeyID string, done func(string)) {
	staffActed := map[string]bool{}
	heard := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(stuckAfter):
			if heard {
				p.coordinatorNudges(ctx, journeyID)
			}
		case n := <-p.inbox[journeyID]:
			heard = true
			// Like a person opening their phone after a while: of several
			// reminders about the same thing, act on the newest only.
			for _, n := range coalesce(n, p.inbox[journeyID]) {
				p.trails[journeyID].add("got %s (message %d) for %s", n.template, n.id, n.recipient)
				if n.template == "journey_completed" {
					done(journeyID)
					return
				}
				p.act(ctx, n, staffActed)
			}
		}
	}
}

// stuckAfter is how long a journey may go without a message before its
// coordinator nudges: many program weeks at the benchmark's time scale.
const stuckAfter = 3 * time.Minute

func (p *people) coordinatorNudges(ctx context.Context, journeyID string) {
	err := p.staffDecides(ctx, p.coords[p.schoolOf[journeyID]], journeyID, "/nudge")
	p.trails[journeyID].add("quiet for %v: the coordinator nudged (%v)", stuckAfter, err)
	if err == nil {
		p.nudged.Add(1)
	}
}

// coalesce takes first and whatever else is waiting, keeping the newest
// message per recipient and what it asks for (a link's action and
// subject, else the template), in arrival order. Newest is by the
// message's id, not its arrival: an invitation and its reminders queued
// while the texts were backed up go out in one batch with one sent_at,
// and only the last one's link still works (each supersedes the ones
// before), as a person who taps the latest text finds.
func coalesce(first note, more chan note) []note {
	notes := []note{first}
	for {
		select {
		case n := <-more:
			notes = append(notes, n)
			continue
		default:
		}
		break
	}
	key := func(n note) string {
		if n.subject != "" {
			return n.recipient + "/" + n.subject
		}
		return n.recipient + "/" + n.template
	}
	latest := map[string]int{}
	for i, n := range notes {
		if j, ok := latest[key(n)]; !ok || n.id > notes[j].id {
			latest[key(n)] = i
		}
	}
	var out []note
	for i, n := range notes {
		if latest[key(n)] == i {
			out = append(out, n)
		}
	}
	return out
}

// act does what the message asks. A page that fails (a 5xx while the
// machine is saturated, a timeout) is tried again a little later, as a
// person taps the link again; only then is the message given up on.
func (p *people) act(ctx context.Context, n note, staffActed map[string]bool) {
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(attempt) * 2 * time.Second):
			}
		}
		var nothingToDo bool
		if nothingToDo, err = p.try(ctx, n, staffActed); nothingToDo {
			return
		}
		if err == nil {
			break
		}
	}
	if err != nil {
		why := n.template + ": " + redact(err)
		p.trails[n.journeyID].add("gave up on %s", why)
		p.errMu.Lock()
		p.gaveUp[why]++
		p.errMu.Unlock()
		return
	}
	p.acted.Add(1)
}

// try acts on n once; nothingToDo reports news that asks for no action.
func (p *people) try(ctx context.Context, n note, staffActed map[string]bool) (nothingToDo bool, err error) {
	switch {
	case n.template == "badge_review_request" && !staffActed[n.template]:
		err = p.staffDecides(ctx, p.coords[p.schoolOf[n.journeyID]], n.journeyID, "/badge")
		staffActed[n.template] = err == nil
	case n.template == "permit_approval_request" && !staffActed[n.template]:
		err = p.staffDecides(ctx, p.issuer, n.journeyID, "/permit")
		staffActed[n.template] = err == nil
	case n.linkID != nil:
		err = p.openLink(asPerson(ctx, n.journeyID+n.recipient), *n.linkID)
	default:
		return true, nil // news without a link: nothing to do
	}
	return false, err
}

func (p *people) openLink(ctx context.Context, linkID string) error {
	u, err := p.minter.URL(linkID)
	if err != nil {
		return err
	}
	p.http <- struct{}{}
	defer func() { <-p.http }()
	return open(ctx, p.client, u, cooperative(""), linkForm)
}

func (p *people) staffDecides(ctx context.Context, m *staffMember, journeyID, action string) error {
	p.http <- struct{}{}
	defer func() { <-p.http }()
	return openSteps(asPerson(ctx, m.email), m.client, p.sys.URL+"/staff/students/"+journeyID, cooperative(m.email), actionForm(action), 1)
}

// tokenish is anything long enough to be a link token or an id: the
// errors are grouped and printed without them.
var tokenish = regexp.MustCompile(`[A-Za-z0-9_-]{20,}`)

func redact(err error) string { return tokenish.ReplaceAllString(err.Error(), "…") }
