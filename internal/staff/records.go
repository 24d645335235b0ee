package staff

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/internflow/internflow/internal/clientip"
	"net/http"
	"strings"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/store"
)

// Record requests (FERPA) from the student page: a district admin
// downloads the student's whole record as one archive, or purges it. Both
// are audited; after a purge its audit entry is all that names the
// student.

// canRecords: only district admins answer record requests.
func (h *Handler) canRecords(r *http.Request) bool {
	return h.Records != nil && principal(r).Has(auth.RoleDistrictAdmin)
}

// exportRecord serves the record archive (manifest.json, every table's
// rows, message texts, documents). The export is audited before a byte is
// sent: no audit entry, no download.
func (h *Handler) exportRecord(w http.ResponseWriter, r *http.Request) {
	j, ok := h.recordJourney(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	m, err := h.Records.Export(r.Context(), j.View.StudentID, &buf)
	if err != nil {
		h.failed(w, r, "record export", err)
		return
	}
	p := principal(r)
	if err := h.Records.AuditExport(r.Context(), records.Requester{Kind: "staff", Ref: p.StaffID, IP: clientip.From(r)}, m); err != nil {
		h.failed(w, r, "audit record export", err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="student-record-%s-%s.zip"`,
		j.View.StudentID, m.GeneratedAt.Format("2006-01-02")))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}

// purgeRecord deletes the student's record for good once the admin has
// given the request (kept in the audit log) and typed the student's name.
func (h *Handler) purgeRecord(w http.ResponseWriter, r *http.Request) {
	j, ok := h.recordJourney(w, r)
	if !ok {
		return
	}
	reason, confirm := strings.TrimSpace(r.PostFormValue("reason")), strings.TrimSpace(r.PostFormValue("confirm"))
	errs := map[string]string{}
	name := j.FirstName + " " + j.LastName
	if reason == "" || len(reason) > 500 {
		errs["reason"] = "Give the record request this purge answers (up to 500 characters); it is kept in the audit log."
	}
	if !strings.EqualFold(strings.Join(strings.Fields(confirm), " "), name) {
		errs["confirm"] = "Type the student's name, " + name + ", to confirm."
	}
	if len(errs) > 0 {
		h.showRefused(w, r, j, refusedForm{action: "purge-record", typed: r.PostForm, errors: errs})
		return
	}
	p := principal(r)
	res, err := h.Records.PurgeBy(r.Context(), j.View.StudentID, records.Requester{Kind: "staff", Ref: p.StaffID, IP: clientip.From(r)}, reason)
	if err != nil {
		h.failed(w, r, "record purge", err)
		return
	}
	h.setFlash(w, false, fmt.Sprintf("The student's record was purged: %d journey%s and %d workflow%s deleted. The audit log keeps the request.",
		res.Journeys, plural(res.Journeys), res.Workflows, plural(res.Workflows)))
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}

// recordJourney loads the path's journey for a record request: 404 out of
// scope, 403 for anyone but a district admin.
func (h *Handler) recordJourney(w http.ResponseWriter, r *http.Request) (store.StudentJourney, bool) {
	j, err := h.scopedJourney(r)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return j, false
	}
	if err != nil {
		h.failed(w, r, "journey", err)
		return j, false
	}
	if !h.canRecords(r) {
		h.forbidden(w, r)
		return j, false
	}
	return j, true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
