package staff

import (
	"errors"
	"fmt"
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// draftMOU starts the employer's MOU workflow for a program year now,
// rather than when the first district-funded student reaches the MOU
// gate: late MOUs lose summer placements. The workflow emails the
// employer the MOU to sign and reminds them (and district ops) after.
func (h *Handler) draftMOU(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	e, ok := h.scopedEmployer(w, r)
	if !ok {
		return
	}
	year, err := strconv.Atoi(r.PostFormValue("year"))
	to := "/staff/employers/" + e.ID + "?year=" + strconv.Itoa(year) + "#mou"
	switch {
	case err != nil || year < 2000 || year > 2100:
		h.setFlash(w, true, "Choose the program year of the MOU.")
		to = "/staff/employers/" + e.ID + "#mou"
	case e.IsDistrict:
		h.setFlash(w, true, "The district itself needs no MOU.")
	case e.ContactEmail == "" && e.ContactPhone == "":
		h.setFlash(w, true, "Add the employer's contact email first: the MOU goes to them to sign.")
	default:
		terms := mouTermsFromForm(r)
		err = h.Store.SetMOUTerms(r.Context(), editor(r), e.ID, year, workflows.MOUWorkflowID(e.ID, year), terms)
		var fe *store.FieldError
		if errors.As(err, &fe) && fe.Field != "year" { // the terms typed come back, the message by its field
			h.showEmployer(w, r, e, year, &terms, fieldErrors{fe.Field: sentence(fe.Message)})
			return
		}
		if err == nil {
			if err = h.Journeys.DraftMOU(r.Context(), e.ID, e.DistrictID, year); err != nil {
				if derr := h.Store.DiscardMOUTerms(r.Context(), e.ID, year); derr != nil {
					slog.ErrorContext(r.Context(), "discard MOU terms", "employer_id", e.ID, "err", derr)
				}
			}
		}
		if err == nil {
			h.audit(r, "mou_draft_requested", "employer", e.ID, strconv.Itoa(year))
		}
		if errors.As(err, &fe) {
			h.setFlash(w, true, sentence(fe.Message))
		} else {
			h.flashOutcome(w, r, fmt.Sprintf("MOU for %d drafted: the employer's contact gets it to sign, with reminders until it is approved.", year), err)
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// mouTermsFromForm reads the MOU draft form's terms ("" interns: none;
// a number that is not one is refused by the store as out of range).
func mouTermsFromForm(r *http.Request) store.MOUTerms {
	t := store.MOUTerms{Worksites: r.PostFormValue("worksites"), SignerName: r.PostFormValue("signer_name"),
		SignerTitle: r.PostFormValue("signer_title")}
	if v := strings.TrimSpace(r.PostFormValue("interns")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		t.Interns = n
	}
	return t
}

// emailApplicantsLink emails the employer's contact a link to their
// applicants page (every application to their postings, to answer from
// one place). The form's action id makes a double click one email.
func (h *Handler) emailApplicantsLink(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	e, ok := h.scopedEmployer(w, r)
	if !ok {
		return
	}
	if e.ContactEmail == "" {
		h.setFlash(w, true, "Add the employer's contact email first.")
	} else {
		status, err := h.sendApplicantsLink(r, e)
		switch {
		case err != nil:
			slog.ErrorContext(r.Context(), "applicants link not queued", "employer_id", e.ID, "err", err)
			h.setFlash(w, true, "The email could not be queued. Try again in a minute.")
		case status == messaging.StatusUnreachable:
			h.setFlash(w, true, "The employer's contact email cannot be reached (it bounced or unsubscribed). Check it and try again.")
		default:
			h.setFlash(w, false, "The applicants link is on its way to the employer's contact.")
		}
	}
	http.Redirect(w, r, "/staff/employers/"+e.ID, http.StatusSeeOther)
}

// sendApplicantsLink queues the email and its audit entry together.
func (h *Handler) sendApplicantsLink(r *http.Request, e store.Employer) (string, error) {
	ctx, p := r.Context(), principal(r)
	var status string
	err := h.Store.InTx(ctx, func(tx pgx.Tx) error {
		out, err := h.Outbox.Enqueue(ctx, tx, messaging.Request{
			IdemKey: "employer_applicants:" + e.ID + ":" + updateID(r, "applicants"), DistrictID: e.DistrictID,
			To: messaging.Recipient{Kind: "employer", Ref: e.ID}, Template: "employer_applicants", Channel: messaging.ChannelEmail,
			Params: map[string]string{"employer_name": e.Name},
			Link:   &messaging.LinkSpec{Action: "employer_applicants", SubjectRef: e.ID},
		})
		if err != nil {
			return err
		}
		status = out.Status
		return store.AuditTx(ctx, tx, store.AuditEntry{DistrictID: e.DistrictID, ActorKind: "staff", ActorRef: p.StaffID,
			Action: "applicants_link_sent", EntityKind: "employer", EntityID: e.ID, Reason: out.Status, IP: clientip.From(r)})
	})
	return status, err
}
