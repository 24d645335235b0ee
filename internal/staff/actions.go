package staff

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/clientip"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/problems"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// action is one button on the student page: who may press it, what it
// sends the workflow, and the inputs of its form a refusal can name.
type action struct {
	roles []string
	run   func(h *Handler, r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error)
	// inputs are what staff type or pick in the form: a refusal naming
	// one is shown next to it (refused.go). Hidden inputs are not listed:
	// a refusal naming one is about the journey, not what was typed.
	inputs []string
	// key is the hidden input telling the action's repeated forms apart.
	key string
}

var actions = map[string]action{
	"nudge":  {roles: auth.ManageRoles, run: (*Handler).nudge},
	"resend": {roles: auth.ManageRoles, run: (*Handler).resend, inputs: []string{"party"}},
	"badge":  {roles: auth.ManageRoles, run: (*Handler).reviewBadge, inputs: []string{"comment"}},
	// An internship the student found (found.go): entered for them, vetted.
	"found_report": {roles: auth.ManageRoles, run: (*Handler).enterFound, inputs: foundInputs},
	"found_vet":    {roles: auth.ManageRoles, run: (*Handler).vetFound, inputs: []string{"checked", "comment", "employer_id", "funding"}},
	"waive":        {roles: auth.ManageRoles, run: (*Handler).waive, inputs: []string{"step", "reason"}},
	"withdraw":     {roles: auth.ManageRoles, run: (*Handler).withdraw, inputs: []string{"reason"}},
	"retry":        {roles: auth.OpsRoles, run: (*Handler).retry},
	"permit":       {roles: []string{auth.RolePermitIssuer}, run: (*Handler).decidePermit, inputs: []string{"reason"}},
	// One form per week whose held hours wait for a decision.
	"hours": {roles: auth.ManageRoles, run: (*Handler).decideHours, inputs: []string{"reason"}, key: "week"},
	// Coordinators and the permit issuer correct a rejected permit.
	"permit_correct": {roles: append([]string{auth.RolePermitIssuer}, auth.ManageRoles...), run: (*Handler).correctPermit,
		inputs: correctionInputs()},
	"answer": {roles: auth.ManageRoles, run: (*Handler).answer, inputs: []string{"text"}},
	// Turns off every link one party of the journey holds (audited).
	"revoke_links": {roles: auth.ManageRoles, run: (*Handler).revokeLinks, inputs: []string{"party", "confirm"}},
}

// act runs a student-page action: the journey must be in scope (else 404)
// and the principal must hold a role for it at the journey's school (else
// 403). The outcome comes back as a flash message on the page, except a
// refusal of what was typed, which shows the form again (refused.go).
func (h *Handler) act(w http.ResponseWriter, r *http.Request) {
	a, known := actions[chi.URLParam(r, "action")]
	j, err := h.scopedJourney(r)
	if errors.Is(err, store.ErrNotFound) || !known {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.failed(w, r, "journey", err)
		return
	}
	p := principal(r)
	if !p.Can(j.View.SchoolID, a.roles...) {
		h.forbidden(w, r)
		return
	}
	done, err := a.run(h, r, j, workflows.Actor{Kind: "staff", Ref: p.StaffID})
	if f, ok := a.refusal(r, chi.URLParam(r, "action"), err); ok {
		h.showRefused(w, r, j, f)
		return
	}
	h.flashOutcome(w, r, done, err)
	back(w, r, "/staff/students/"+j.View.JourneyID)
}

// flashOutcome turns an action's result into the message staff see: the
// workflow's own words when it refused the action (a refusal of one of
// the form's inputs never gets here: act shows it next to the input).
func (h *Handler) flashOutcome(w http.ResponseWriter, r *http.Request, done string, err error) {
	switch pr := problems.Of(err); {
	case err == nil:
		h.setFlash(w, false, done)
	case pr.Refused():
		h.setFlash(w, true, sentence(pr.Message))
	case errors.Is(err, context.DeadlineExceeded):
		h.setFlash(w, true, "The journey did not answer in time. Try again in a minute.")
	default:
		slog.ErrorContext(r.Context(), "staff action failed", "route", r.URL.Path, "err", err)
		h.setFlash(w, true, "That did not work. Try again in a minute.")
	}
}

// sentence capitalises a workflow message and ends it with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "That could not be done."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// newActionID is a form's one-time id: a double-clicked button sends the
// same update id twice and Temporal applies it once.
func newActionID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// updateID is the workflow update id for this form submission.
func updateID(r *http.Request, name string) string {
	id := r.PostFormValue("action_id")
	if len(id) != 24 || strings.Trim(id, "0123456789abcdef") != "" {
		id = newActionID()
	}
	return "staff:" + name + ":" + id
}

func (h *Handler) nudge(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	return h.sendNudge(r, j, by, "")
}

func (h *Handler) resend(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	party := r.PostFormValue("party")
	if !slices.Contains([]string{"student", "guardian", "employer"}, party) {
		return "", &workflows.InputError{Field: "party", Message: "choose who gets the new link"}
	}
	if !slices.ContainsFunc(resendParties(j.View, nil), func(o option) bool { return o.Value == party }) {
		return "", &workflows.InputError{Field: "party", Message: "the journey is not waiting on the " + strings.ToLower(partyLabel(party))}
	}
	return h.sendNudge(r, j, by, workflows.Party(party))
}

// linkKinds are the kinds of link holder each party the staff page names
// covers: an employer acts through its supervisors' links too.
var linkKinds = map[string][]string{
	"student":  {"student"},
	"guardian": {"guardian"},
	"employer": {"employer", "supervisor"},
}

// revokeLinks turns off every link the journey gave one party, after
// staff ticked the confirmation; the audit entry commits with it. Their
// new link goes with the next message or a "Resend link".
func (h *Handler) revokeLinks(r *http.Request, j store.StudentJourney, _ workflows.Actor) (string, error) {
	party := r.PostFormValue("party")
	kinds, ok := linkKinds[party]
	if !ok {
		return "", &workflows.InputError{Field: "party", Message: "choose whose links to turn off"}
	}
	if r.PostFormValue("confirm") != "yes" {
		return "", &workflows.InputError{Field: "confirm", Message: "tick the box to confirm: their links stop working at once"}
	}
	var n int64
	err := h.Store.InTx(r.Context(), func(tx pgx.Tx) error {
		var err error
		if n, err = links.RevokeParty(r.Context(), tx, j.View.JourneyID, kinds...); err != nil {
			return err
		}
		v := j.View
		return store.AuditTx(r.Context(), tx, store.AuditEntry{DistrictID: v.DistrictID, SchoolID: v.SchoolID,
			ActorKind: "staff", ActorRef: principal(r).StaffID, Action: "links_revoked", EntityKind: "journey",
			EntityID: v.JourneyID, Reason: party, IP: clientip.From(r)})
	})
	if err != nil {
		return "", err
	}
	who := strings.ToLower(partyLabel(party))
	if n == 0 {
		return "The " + who + " had no working links.", nil
	}
	return fmt.Sprintf("Turned off %d link(s) of the %s. Use \"Resend link\" to send a new one.", n, who), nil
}

// sendNudge signals the journey; every open wait (or the party's) sends
// its reminder with a fresh link. A signal is not refused by the
// workflow, so the request is audited here.
func (h *Handler) sendNudge(r *http.Request, j store.StudentJourney, by workflows.Actor, party workflows.Party) (string, error) {
	if j.View.WaitingOn == "" || j.Status != "open" {
		return "", &workflows.InputError{Message: "this journey is not waiting on anyone"}
	}
	sig := workflows.NudgeSignal{By: by, RequestID: newActionID(), Party: party}
	if err := h.Journeys.Nudge(r.Context(), j.View.JourneyID, sig); err != nil {
		return "", err
	}
	h.auditJourney(r, j.View, "nudge_requested", string(party))
	if party != "" {
		return "A new link is on its way to the " + strings.ToLower(partyLabel(string(party))) + ".", nil
	}
	return "Reminder sent to everyone the journey is waiting on.", nil
}

func (h *Handler) reviewBadge(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	in := workflows.BadgeReviewInput{By: by, Approve: r.PostFormValue("decision") == "approve",
		Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	if err := h.Journeys.ReviewBadge(r.Context(), j.View.JourneyID, updateID(r, "badge"), in); err != nil {
		return "", err
	}
	if in.Approve {
		return "Intern Ready badge approved.", nil
	}
	return "Returned to the student with your comment.", nil
}

func (h *Handler) waive(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	in := workflows.WaiveInput{By: by, Step: r.PostFormValue("step"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if err := h.Journeys.Waive(r.Context(), j.View.JourneyID, updateID(r, "waive"), in); err != nil {
		return "", err
	}
	return label(waivable, in.Step) + " waived.", nil
}

func (h *Handler) withdraw(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	in := workflows.WithdrawInput{By: by, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if err := h.Journeys.Withdraw(r.Context(), j.View.JourneyID, updateID(r, "withdraw"), in); err != nil {
		return "", err
	}
	return "The journey is being withdrawn.", nil
}

func (h *Handler) retry(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	if j.View.StuckReason == "" {
		return "", &workflows.InputError{Message: "no step of this journey is failing"}
	}
	if err := h.Journeys.Retry(r.Context(), j.View.JourneyID, workflows.RetrySignal{By: by}); err != nil {
		return "", err
	}
	return "Retrying the failed step.", nil
}

func (h *Handler) decidePermit(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	in := workflows.PermitDecisionInput{By: by, Approve: r.PostFormValue("decision") == "approve",
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if err := h.Journeys.DecidePermit(r.Context(), j.View.JourneyID, updateID(r, "permit"), in); err != nil {
		return "", err
	}
	if in.Approve {
		return "Work permit approved.", nil
	}
	return "Work permit rejected; correct it below (or confirm it is right) to send the signers a new version.", nil
}

// auditJourney records a staff request on a journey.
func (h *Handler) auditJourney(r *http.Request, v store.JourneyView, action, reason string) {
	p := principal(r)
	err := h.Store.Audit(r.Context(), store.AuditEntry{DistrictID: v.DistrictID, SchoolID: v.SchoolID, ActorKind: "staff",
		ActorRef: p.StaffID, Action: action, EntityKind: "journey", EntityID: v.JourneyID, Reason: reason, IP: clientip.From(r)})
	if err != nil {
		slog.ErrorContext(r.Context(), "audit staff action", "action", action, "journey_id", v.JourneyID, "err", err)
	}
}
