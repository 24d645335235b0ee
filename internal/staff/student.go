package staff

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// scopedJourney loads the path's journey within what the principal may
// read; anything else (a malformed id, another school's journey) is
// ErrNotFound.
func (h *Handler) scopedJourney(r *http.Request) (store.StudentJourney, error) {
	id := chi.URLParam(r, "journeyID")
	if !uuidRe.MatchString(id) {
		return store.StudentJourney{}, store.ErrNotFound
	}
	return h.Store.ScopedJourney(r.Context(), principal(r).ViewScope(), id)
}

type studentPage struct {
	base
	J         store.StudentJourney
	Timeline  []store.TimelineItem
	Documents []store.DocumentInfo
	Permit    *store.PermitSummary
	Signers   []permit.Signer // the permit's signatures, typed name beside name on record
	// HourWeeks are the weeks that break an hour rule for minors.
	HourWeeks []hourWeek
	// Correction is the form that corrects a rejected permit before its
	// next version is drawn (nil unless the journey waits for it).
	Correction *permitCorrection
	Live       *workflows.JourneyStatus
	LiveError  string
	// Said is the student's reflection and the employer's feedback;
	// Skills the feedback's ratings in order, labelled.
	Said   store.ClosingWords
	Skills []certificate.Skill
	// Certificate is the certificate of completion, once issued.
	Certificate *certificate.Certificate
	// Trainings are those recorded (early ones marked); TrainingsOpen
	// names the required trainings the student may record now.
	Trainings     []store.TrainingRecord
	TrainingsOpen []string
	// What the principal may do here.
	CanManage, CanRetry, CanPermit bool
	// CanRecords: a district admin may download and purge the record.
	CanRecords bool
	// Refused is the form refused for what was typed, shown again as
	// typed with the errors next to its inputs (see Form).
	Refused     refusedForm
	TemporalURL string
	Waivable    []option
	ResendTo    []option
	ActionID    string
	// Back is the page itself, also when a refused form is shown again
	// at its action's address.
	Back string
	// Conversation is what the student or a guardian texted and what we
	// texted back; AnswerTo is whom an answer goes to.
	Conversation []store.ConversationItem
	AnswerTo     *option
	AnswerMax    int
	// Unreachable is who on the journey cannot be reached on which channel.
	Unreachable []messaging.ContactProblem
	// Found is an internship the student found, to enter or vet (while
	// the journey is applying).
	Found *foundPanel
}

func (h *Handler) student(w http.ResponseWriter, r *http.Request) {
	j, err := h.scopedJourney(r)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.failed(w, r, "journey", err)
		return
	}
	h.renderStudent(w, r, j, http.StatusOK, nil)
}

// renderStudent shows the student page; edit adds what a refused form
// needs (its values and the errors next to its fields).
func (h *Handler) renderStudent(w http.ResponseWriter, r *http.Request, j store.StudentJourney, status int, edit func(*studentPage)) {
	p := principal(r)
	d := studentPage{base: h.base(r, j.FirstName+" "+j.LastName, "dashboard"), J: j,
		CanManage: p.Can(j.View.SchoolID, auth.ManageRoles...), CanRetry: p.Can(j.View.SchoolID, auth.OpsRoles...),
		CanPermit: p.Can(j.View.SchoolID, auth.RolePermitIssuer), CanRecords: h.canRecords(r),
		Waivable: waivable, ActionID: newActionID(), Back: "/staff/students/" + j.View.JourneyID}
	if loc, err := time.LoadLocation(j.SchoolTimezone); err == nil && j.SchoolTimezone != "" {
		d.TZ = loc // the student's times as their school keeps them
	}
	if p.HasAny(auth.OpsRoles...) {
		d.TemporalURL = h.temporalURL(j.WorkflowID)
	}
	if err := h.loadStudent(r.Context(), &d); err != nil {
		h.failed(w, r, "student page", err)
		return
	}
	d.ResendTo = resendParties(j.View, d.Live)
	if d.CanManage {
		if err := h.loadFound(r.Context(), &d); err != nil {
			h.failed(w, r, "found internship", err)
			return
		}
	}
	if d.CanManage || d.CanPermit {
		var err error
		if d.Correction, err = h.permitCorrection(r.Context(), d.Live, j.View.JourneyID); err != nil {
			h.failed(w, r, "permit correction", err)
			return
		}
	}
	if edit != nil {
		edit(&d)
	}
	d.AnswerTo, d.AnswerMax = answerTarget(d.Conversation), messaging.MaxAnswerLength
	render(w, r, status, "student", d)
	h.markRead(r, &d)
}

// loadStudent reads the timeline, documents and permit from Postgres and
// asks the running workflow for its live waits, all at once. The live
// query is bounded: a slow or closed workflow leaves the read model's view.
func (h *Handler) loadStudent(ctx context.Context, d *studentPage) error {
	id := d.J.View.JourneyID
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { d.Timeline, err = h.Store.Timeline(gctx, id, 300); return })
	g.Go(func() (err error) { d.Documents, err = h.Store.JourneyDocuments(gctx, id); return })
	g.Go(func() (err error) {
		if d.Said, err = h.Store.JourneyClosingWords(gctx, id); err == nil && d.Said.Feedback != nil {
			d.Skills = certificate.Skills(d.Said.Feedback.Ratings, "en")
		}
		return err
	})
	g.Go(func() error {
		c, err := (&certificate.Issuer{Store: h.Store}).ForJourney(gctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		d.Certificate = &c
		return err
	})
	g.Go(func() error {
		weeks, err := h.Store.RuledWeeks(gctx, id)
		d.HourWeeks = hourWeeks(weeks)
		return err
	})
	g.Go(func() (err error) { d.Trainings, err = h.Store.JourneyTrainings(gctx, id); return })
	g.Go(func() (err error) { d.Conversation, err = h.Store.Conversation(gctx, id, conversationLength); return })
	g.Go(func() (err error) {
		d.Unreachable, err = messaging.JourneyContactProblems(gctx, h.Store.Pool, id)
		return
	})
	g.Go(func() error {
		p, err := h.Store.LatestPermit(gctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		d.Permit = &p
		d.Signers, err = permit.Signers(gctx, h.Store, p.DocumentID)
		return err
	})
	if d.J.Status == "open" {
		g.Go(func() error {
			qctx, cancel := context.WithTimeout(gctx, h.liveTimeout())
			defer cancel()
			st, err := h.Journeys.Query(qctx, id)
			if err != nil {
				d.LiveError = "Live status is unavailable right now; this page shows the last recorded state."
				slog.WarnContext(ctx, "journey status query", "journey_id", id, "err", err)
				return nil
			}
			d.Live = &st
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if d.Live != nil && len(d.Live.TrainingsAvailable) > 0 {
		var err error
		d.TrainingsOpen, err = h.Store.TrainingNames(ctx, d.Live.TrainingsAvailable)
		return err
	}
	return nil
}

// WaitParty is who a live wait is on as staff read it: the journey's MOU
// wait is on the employer until it has signed the MOU.
func (d studentPage) WaitParty(p workflows.Party) string {
	if p == workflows.PartyMOU && d.J.WaitingParty == "employer" {
		return "employer"
	}
	return string(p)
}

// LinkHolders are the parties whose links staff can turn off.
func (d studentPage) LinkHolders() []option {
	var out []option
	for _, p := range []string{"student", "guardian", "employer"} {
		out = append(out, option{p, partyLabel(p)})
	}
	return out
}

// resendParties are the people a new link can go to: those the journey
// waits on now (student, parent, employer).
func resendParties(v store.JourneyView, live *workflows.JourneyStatus) []option {
	waiting := map[string]bool{v.WaitingOn: true}
	if live != nil {
		for _, w := range live.Waits {
			waiting[string(w.WaitingOn)] = true
		}
	}
	for _, step := range strings.Split(v.WaitingDetail, ",") {
		for _, p := range []string{"student", "guardian", "employer"} {
			if strings.Contains(step, p) {
				waiting[p] = true
			}
		}
	}
	var out []option
	for _, p := range []string{"student", "guardian", "employer"} {
		if waiting[p] {
			out = append(out, option{p, partyLabel(p)})
		}
	}
	return out
}

// document serves one of the journey's documents (a permit PDF, a resume)
// when the journey is in scope.
func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	j, err := h.scopedJourney(r)
	docID := chi.URLParam(r, "documentID")
	if err == nil && !uuidRe.MatchString(docID) {
		err = store.ErrNotFound
	}
	var doc store.Document
	if err == nil {
		doc, err = h.Store.ScopedDocument(r.Context(), principal(r).ViewScope(), j.View.JourneyID, docID)
	}
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.failed(w, r, "document", err)
		return
	}
	h.audit(r, "document_viewed", "document", doc.ID, doc.Kind)
	serveDocument(w, doc)
}

func serveDocument(w http.ResponseWriter, doc store.Document) {
	ct := doc.ContentType
	if ct != "application/pdf" && !strings.HasPrefix(ct, "text/plain") {
		ct = "application/octet-stream" // never let an upload render as HTML on our origin
	}
	name := strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 32 {
			return '_'
		}
		return r
	}, doc.Filename)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(doc.Bytes)
}
