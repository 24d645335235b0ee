package loadtest

import (
	"context"
	"net/http"
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
	failed   atomic.Int64
	errMu    sync.Mutex
	errs     []string
}

// deliver routes new messages to their journeys' people, reading the
// outbox the way a phone shows new texts: by the time they were sent.
func (p *people) deliver(ctx context.Context) {
	var since time.Time
	seen := map[int64]bool{}
	for ctx.Err() == nil {
		rows, err := p.sys.Store.Pool.Query(ctx, `SELECT id, journey_id::text, recipient_kind, template, link_id::text, sent_at
			FROM messages WHERE status IN ('sent','delivered') AND journey_id IS NOT NULL AND sent_at >= $1
			ORDER BY sent_at LIMIT 10000`, since)
		if err != nil {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		for rows.Next() {
			var n note
			var at time.Time
			if rows.Scan(&n.id, &n.journeyID, &n.recipient, &n.template, &n.linkID, &at) != nil || seen[n.id] {
				continue
			}
			seen[n.id], since = true, at
			if ch, ok := p.inbox[n.journeyID]; ok {
				ch <- n
			}
		}
		rows.Close()
		time.Sleep(100 * time.Millisecond)
	}
}

// live plays everyone on one journey until it completes or ctx ends.
func (p *people) live(ctx context.Context, journeyID string, done func(string)) {
	staffActed := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-p.inbox[journeyID]:
			// Like a person opening their phone after a while: of several
			// reminders about the same thing, act on the newest only.
			for _, n := range coalesce(n, p.inbox[journeyID]) {
				if n.template == "journey_completed" {
					done(journeyID)
					return
				}
				p.act(ctx, n, staffActed)
			}
		}
	}
}

// coalesce takes first and whatever else is waiting, keeping the newest
// message per recipient and template, in arrival order.
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
	latest := map[string]int{}
	for i, n := range notes {
		latest[n.recipient+"/"+n.template] = i
	}
	var out []note
	for i, n := range notes {
		if latest[n.recipient+"/"+n.template] == i {
			out = append(out, n)
		}
	}
	return out
}

func (p *people) act(ctx context.Context, n note, staffActed map[string]bool) {
	var err error
	switch {
	case n.template == "badge_review_request" && !staffActed[n.template]:
		staffActed[n.template] = true
		err = p.staffDecides(ctx, p.coords[p.schoolOf[n.journeyID]], n.journeyID, "/badge")
	case n.template == "permit_approval_request" && !staffActed[n.template]:
		staffActed[n.template] = true
		err = p.staffDecides(ctx, p.issuer, n.journeyID, "/permit")
	case n.linkID != nil:
		err = p.openLink(asPerson(ctx, n.journeyID+n.recipient), *n.linkID)
	default:
		return // news without a link: nothing to do
	}
	if err != nil {
		p.failed.Add(1)
		p.errMu.Lock()
		if len(p.errs) < 20 {
			p.errs = append(p.errs, n.template+": "+err.Error())
		}
		p.errMu.Unlock()
		return
	}
	p.acted.Add(1)
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
