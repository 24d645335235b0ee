package staff

import (
	"context"
	"errors"
	"fmt"
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// opsGroup is a StuckGroup with what the page shows for it.
type opsGroup struct {
	store.StuckGroup
	ID    string
	Title string
	Hint  string
	// AllURL lists every journey of the group on the dashboard.
	AllURL string
}

type opsPage struct {
	base
	Groups      []opsGroup
	PerGroup    int
	ActionID    string
	TemporalURL func(string) string
	// Outbox is the district's unsent messages by channel, with an ETA.
	Outbox []outboxRow
	AsOf   time.Time
	// Live: the page refreshes itself (the backlog's own page).
	Live bool
}

// outboxRow is one channel's backlog on the ops console.
type outboxRow struct {
	Channel string
	// Due and Held are the district's; ETA is when the last message due
	// now goes: every district's due messages share the sender, at Rate.
	Due, Held int
	NextHeld  time.Time
	ETA       time.Duration
	Rate      float64
}

// opsPerGroup is how many journeys each cause lists (the longest
// waiting); an overdue group links to the full list, filtered.
const opsPerGroup = 25

// ops is the ops console: open journeys that need the district, by cause.
func (h *Handler) ops(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.OpsRoles...) {
		h.forbidden(w, r)
		return
	}
	groups, err := h.Store.StuckJourneys(r.Context(), p.ScopeFor(auth.OpsRoles...), opsPerGroup)
	if err != nil {
		h.failed(w, r, "stuck journeys", err)
		return
	}
	d := opsPage{base: h.base(r, "Ops console", "ops"), PerGroup: opsPerGroup, ActionID: newActionID(),
		TemporalURL: func(journeyID string) string { return h.temporalURL(workflows.JourneyWorkflowID(journeyID)) }}
	if schools, err := h.Store.SchoolsInScope(r.Context(), p.ScopeFor(auth.OpsRoles...)); err == nil {
		d.zones = schoolZones(schools) // without them, dates fall back to the district's zone
	}
	for i, g := range groups {
		d.Groups = append(d.Groups, describe(g, i))
	}
	if d.Outbox, err = h.outboxBacklog(r, p.DistrictID); err != nil {
		h.failed(w, r, "outbox backlog", err)
		return
	}
	d.AsOf = time.Now()
	render(w, r, http.StatusOK, "ops", d)
}

// outboxLiveRefresh is how often the live backlog page reloads.
const outboxLiveRefresh = 10

// outboxLive is the backlog alone, refreshing itself: ops watch a large
// send drain without reloading the console (staff pages use no script).
func (h *Handler) outboxLive(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.OpsRoles...) {
		h.forbidden(w, r)
		return
	}
	d := opsPage{base: h.base(r, "Outbox backlog", "ops"), Live: true, AsOf: time.Now()}
	d.Refresh = outboxLiveRefresh
	var err error
	if d.Outbox, err = h.outboxBacklog(r, p.DistrictID); err != nil {
		h.failed(w, r, "outbox backlog", err)
		return
	}
	render(w, r, http.StatusOK, "outbox", d)
}

// outboxBacklog is the district's backlog per channel, and when the last
// message due now goes (messages due in any district are ahead of it:
// one sender per channel, paced).
func (h *Handler) outboxBacklog(r *http.Request, districtID string) ([]outboxRow, error) {
	now := time.Now()
	mine, err := messaging.Backlog(r.Context(), h.Store.Pool, districtID, now)
	if err != nil {
		return nil, err
	}
	all, err := messaging.Backlog(r.Context(), h.Store.Pool, "", now)
	if err != nil {
		return nil, err
	}
	rates := map[string]float64{messaging.ChannelSMS: h.smsRate(), messaging.ChannelEmail: h.Messages.EmailPerSecond}
	var out []outboxRow
	for _, ch := range []string{messaging.ChannelSMS, messaging.ChannelEmail} {
		b := mine[ch]
		out = append(out, outboxRow{Channel: ch, Due: b.Due, Held: b.Held, NextHeld: b.NextHeld, Rate: rates[ch],
			ETA: messaging.SendTime(all[ch].Due, rates[ch])})
	}
	return out, nil
}

func describe(g store.StuckGroup, i int) opsGroup {
	og := opsGroup{StuckGroup: g, ID: fmt.Sprintf("g%d", i)}
	switch g.Cause {
	case store.CauseFailing:
		og.Title = "Failing step: " + stuckLabel(g.Reason)
		og.Hint = "A step kept failing after its retries. Fix the cause, then Retry; or Waive the stage."
	case store.CauseOverdue:
		og.Title = fmt.Sprintf("Overdue: %s, waiting on %s", stageLabel(g.Reason), partyLabel(g.WaitingOn))
		og.AllURL = "/staff?" + url.Values{"overdue": {"1"}, "stage": {g.Reason}, "waiting": {g.WaitingOn}}.Encode()
		og.Hint = "Past the last reminder and the coordinator's alert. Nudge sends every open reminder again with a fresh link."
	default:
		og.Title = "Unreachable contacts"
		og.Hint = "No channel reaches someone on the journey (no number, opted out or bouncing). Fix the contact in the roster, then Nudge."
	}
	return og
}

// maxBulk bounds one bulk nudge.
const maxBulk = 1000

// bulkNudge nudges the checked journeys (those in the ops scope), a bounded
// number of signals at a time, and audits each request.
func (h *Handler) bulkNudge(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.OpsRoles...) {
		h.forbidden(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	_ = r.ParseForm() // a too-large form leaves no ids, answered below
	ids := r.PostForm["journey"]
	if len(ids) == 0 || len(ids) > maxBulk {
		h.setFlash(w, true, fmt.Sprintf("Choose between 1 and %d journeys to nudge.", maxBulk))
		back(w, r, "/staff/ops")
		return
	}
	valid := ids[:0:0]
	for _, id := range ids {
		if uuidRe.MatchString(id) {
			valid = append(valid, id)
		}
	}
	refs, err := h.Store.ScopedJourneyRefs(r.Context(), p.ScopeFor(auth.OpsRoles...), valid)
	if err != nil {
		h.failed(w, r, "bulk nudge", err)
		return
	}
	res := h.signalAll(r.Context(), refs, workflows.Actor{Kind: "staff", Ref: p.StaffID})
	h.auditBulk(r, p, res.sent)
	msg := fmt.Sprintf("Nudged %d journeys.", len(res.sent))
	if skipped := len(ids) - len(res.sent); skipped > 0 {
		msg += fmt.Sprintf(" %d skipped (ended, not found, or not answering).", skipped)
	}
	h.setFlash(w, res.failed > 0, msg)
	back(w, r, "/staff/ops")
}

type bulkResult struct {
	sent   []store.JourneyRef
	failed int
}

// signalAll sends the nudge to each journey with at most BulkWorkers
// signals in flight, so a thousand journeys do not open a thousand
// connections at once.
func (h *Handler) signalAll(ctx context.Context, refs []store.JourneyRef, by workflows.Actor) bulkResult {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var mu sync.Mutex
	var res bulkResult
	jobs := make(chan store.JourneyRef)
	var wg sync.WaitGroup
	for range min(h.bulkWorkers(), max(len(refs), 1)) {
		wg.Go(func() {
			for ref := range jobs {
				sig := workflows.NudgeSignal{By: by, RequestID: newActionID()}
				err := h.Journeys.Nudge(ctx, ref.JourneyID, sig)
				var ended *workflows.InputError
				mu.Lock()
				switch {
				case err == nil:
					res.sent = append(res.sent, ref)
				case !errors.As(err, &ended): // the journey ended
					res.failed++
					slog.WarnContext(ctx, "bulk nudge signal", "journey_id", ref.JourneyID, "err", err)
				}
				mu.Unlock()
			}
		})
	}
	for _, ref := range refs {
		jobs <- ref
	}
	close(jobs)
	wg.Wait()
	return res
}

// auditBulk writes one audit row per nudged journey in one transaction.
func (h *Handler) auditBulk(r *http.Request, p auth.Principal, refs []store.JourneyRef) {
	err := h.Store.InTx(r.Context(), func(tx pgx.Tx) error {
		for _, ref := range refs {
			if err := store.AuditTx(r.Context(), tx, store.AuditEntry{DistrictID: p.DistrictID, SchoolID: ref.SchoolID,
				ActorKind: "staff", ActorRef: p.StaffID, Action: "nudge_requested", EntityKind: "journey",
				EntityID: ref.JourneyID, Reason: "bulk", IP: clientip.From(r)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		slog.ErrorContext(r.Context(), "audit bulk nudge", "journeys", len(refs), "err", err)
	}
}
