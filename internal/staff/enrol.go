package staff

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/pathways"
	"github.com/internflow/internflow/internal/store"
)

// "Enrol students": staff who may enrol (coordinators for their schools,
// district ops and admins for the district) choose a program, filter the
// students who have no journey in it, and enrol some or all of them. The
// request becomes a batch the enrolment runner works through; its page
// shows a progress bar that refreshes itself until every student is done.

// Waker is told when an enrolment batch is waiting (enrolment.Runner).
type Waker interface{ Wake() }

// enrolListLimit is how many students the page lists; "Enrol all" takes
// every student the filter matches, listed or not.
const enrolListLimit = 500

type enrolPage struct {
	base
	Programs []store.ProgramRef
	Schools  []store.SchoolName
	Grades   []int
	Pathways []string
	// The filter as chosen (strings, so a bad value is shown back).
	Program, School, Grade, Pathway, Roster string
	Chosen                                  *store.Program
	Students                                []store.Candidate
	Total                                   int
	Selected                                map[string]bool
	// RequestKey makes a second submit of this form the same batch.
	RequestKey string
	Errors     map[string]string
}

// grades are the grades an audience may pick, high school first.
var grades = []int{9, 10, 11, 12, 6, 7, 8, 13}

// manageScope is the students a staff member may enrol and message (the
// roles that manage students: coordinators their schools, district ops
// and admins the district), and whether they may at all.
func (h *Handler) manageScope(r *http.Request) (store.Scope, bool) {
	p := principal(r)
	return p.ScopeFor(auth.ManageRoles...), p.HasAny(auth.ManageRoles...)
}

// enrol shows the filter and the students it matches.
func (h *Handler) enrol(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.manageScope(r); !ok {
		h.forbidden(w, r)
		return
	}
	q := r.URL.Query()
	d := enrolPage{Program: q.Get("program"), School: q.Get("school"), Grade: q.Get("grade"), Pathway: q.Get("pathway"),
		Roster: q.Get("roster"), Errors: map[string]string{}, Selected: map[string]bool{}}
	h.renderEnrol(w, r, d, http.StatusOK)
}

// renderEnrol fills the page's choices and, when a program is chosen and
// the filter is good, its students.
func (h *Handler) renderEnrol(w http.ResponseWriter, r *http.Request, d enrolPage, status int) {
	ctx := r.Context()
	scope, _ := h.manageScope(r)
	d.base = h.base(r, "Enrol students", "enrol")
	d.Grades = grades
	d.Pathways = pathways.Names()
	var err error
	if d.Programs, err = h.Store.DistrictPrograms(ctx, scope.DistrictID); err == nil {
		d.Schools, err = h.Store.SchoolsInScope(ctx, scope)
	}
	if err != nil {
		h.failed(w, r, "enrolment choices", err)
		return
	}
	if d.RequestKey == "" {
		d.RequestKey = newRequestKey()
	}
	f, ok := h.enrolFilter(r, &d, scope)
	if ok && d.Chosen != nil {
		if d.Students, d.Total, err = h.Store.Candidates(ctx, scope, f, enrolListLimit); err != nil {
			h.failed(w, r, "enrolment candidates", err)
			return
		}
	}
	if len(d.Errors) > 0 && status == http.StatusOK {
		status = http.StatusUnprocessableEntity
	}
	render(w, r, status, "enrol", d)
}

// enrolFilter checks the chosen filter, noting what is wrong next to its
// field; no program chosen is not an error until the form is submitted.
func (h *Handler) enrolFilter(r *http.Request, d *enrolPage, scope store.Scope) (store.CandidateFilter, bool) {
	var f store.CandidateFilter
	if d.Program != "" {
		p, err := store.Program{}, store.ErrNotFound
		if uuid.Validate(d.Program) == nil {
			p, err = h.Store.GetProgram(r.Context(), d.Program)
		}
		if err == nil && p.DistrictID == scope.DistrictID {
			d.Chosen, f.Program = &p, p
		} else {
			d.Errors["program"] = "Choose one of the district's programs."
		}
	}
	if d.School != "" {
		if !slices.ContainsFunc(d.Schools, func(s store.SchoolName) bool { return s.ID == d.School }) {
			d.Errors["school"] = "Choose one of your schools."
		}
		f.SchoolID = d.School
	}
	if d.Grade != "" {
		g, err := strconv.Atoi(d.Grade)
		if err != nil || g < 6 || g > 13 {
			d.Errors["grade"] = "Choose a grade from 6 to 13."
		}
		f.Grade = g
	}
	if d.Pathway != "" && !slices.Contains(d.Pathways, d.Pathway) {
		d.Errors["pathway"] = "Choose a pathway from the list."
	}
	f.Pathway = d.Pathway
	switch d.Roster {
	case store.RosterListed, store.RosterMissing, store.RosterAny:
		f.Roster = d.Roster
	default:
		d.Errors["roster"] = "Choose a roster status from the list."
	}
	return f, len(d.Errors) == 0
}

// submitEnrol records the request as a batch (the same one when this form
// was submitted before) and sends the browser to its progress.
func (h *Handler) submitEnrol(w http.ResponseWriter, r *http.Request) {
	scope, ok := h.manageScope(r)
	if !ok {
		h.forbidden(w, r)
		return
	}
	_ = r.ParseForm()
	d := enrolPage{Program: r.PostFormValue("program"), School: r.PostFormValue("school"), Grade: r.PostFormValue("grade"),
		Pathway: r.PostFormValue("pathway"), Roster: r.PostFormValue("roster"), RequestKey: r.PostFormValue("request_key"),
		Errors: map[string]string{}, Selected: map[string]bool{}}
	all := r.PostFormValue("enrol") == "all"
	var ids []string
	for _, id := range r.PostForm["student"] {
		if uuid.Validate(id) == nil {
			ids = append(ids, id)
			d.Selected[id] = true
		}
	}
	d.Pathways = pathways.Names()
	var err error
	if d.Schools, err = h.Store.SchoolsInScope(r.Context(), scope); err != nil {
		h.failed(w, r, "enrolment schools", err)
		return
	}
	f, ok := h.enrolFilter(r, &d, scope)
	switch {
	case d.Program == "":
		d.Errors["program"] = "Choose the program to enrol the students in."
	case !ok:
	case !all && len(ids) == 0:
		d.Errors["student"] = "Select at least one student, or press “Enrol all”."
	case len(d.RequestKey) != 32 || strings.Trim(d.RequestKey, "0123456789abcdef") != "":
		d.Errors["student"] = "This form is out of date; check the list and enrol again."
		d.RequestKey = ""
	}
	if len(d.Errors) > 0 {
		h.renderEnrol(w, r, d, http.StatusUnprocessableEntity)
		return
	}
	req := store.EnrolmentRequest{Scope: scope, Filter: f, RequestKey: d.RequestKey, ActorKind: "staff", ActorRef: principal(r).StaffID}
	if !all {
		req.StudentIDs = ids
	}
	id, created, err := h.Store.CreateEnrolment(r.Context(), req)
	if errors.Is(err, store.ErrNobodyToEnrol) {
		d.Errors["student"] = "None of these students can be enrolled now: each has a journey in this program or another this year."
		d.RequestKey = ""
		h.renderEnrol(w, r, d, http.StatusUnprocessableEntity)
		return
	}
	if err != nil {
		h.failed(w, r, "create enrolment", err)
		return
	}
	if created {
		h.audit(r, "enrolment_requested", "enrolment", id, "program "+f.Program.ID)
		if h.Enrolments != nil {
			h.Enrolments.Wake()
		}
	}
	http.Redirect(w, r, "/staff/enrol/"+id, http.StatusSeeOther)
}

type enrolmentPage struct {
	base
	E store.Enrolment
}

// enrolment shows a batch's progress; the page refreshes itself every two
// seconds until every student is done.
func (h *Handler) enrolment(w http.ResponseWriter, r *http.Request) {
	scope, ok := h.manageScope(r)
	if !ok {
		h.forbidden(w, r)
		return
	}
	id := chi.URLParam(r, "batchID")
	if uuid.Validate(id) != nil {
		h.notFound(w, r)
		return
	}
	e, err := h.Store.GetEnrolment(r.Context(), scope.DistrictID, id)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.failed(w, r, "enrolment progress", err)
		return
	}
	d := enrolmentPage{base: h.base(r, "Enrolling in "+e.ProgramName, "enrol"), E: e}
	if !e.Done() {
		d.Refresh = 2
	}
	render(w, r, http.StatusOK, "enrolment", d)
}

// newRequestKey is a random key for one rendering of the enrolment form.
func newRequestKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
