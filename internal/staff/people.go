package staff

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/clientip"
	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// The district's people and places, for district admins: the Staff page
// (invite staff, grant and revoke roles) and the Schools page. Every change
// is audited by the store in the same transaction.

// InviteTTL is how long an invitation's sign-in link works (the email says
// "7 days").
const InviteTTL = 7 * 24 * time.Hour

// roleLabels name the roles on the page, in the order offered.
var roleLabels = []struct{ Code, Label string }{
	{"coordinator", "Coordinator"}, {"permit_issuer", "Permit issuer"}, {"mou_approver", "MOU approver"},
	{"district_ops", "District ops"}, {"district_admin", "District admin"},
}

func roleLabel(code string) string {
	for _, r := range roleLabels {
		if r.Code == code {
			return r.Label
		}
	}
	return humanize(code)
}

func (h *Handler) mountPeople(r chi.Router) {
	r.Get("/staff/people", h.people)
	r.Post("/staff/people/invite", h.invite)
	r.Post("/staff/people/{staffID}/grant", h.grant)
	r.Post("/staff/people/{staffID}/revoke", h.revoke)
	r.Get("/staff/schools", h.schools)
	r.Post("/staff/schools", h.addSchool)
	r.Post("/staff/schools/state", h.setState)
}

// canAdminister: only a district-wide admin manages the district's people.
func canAdminister(p auth.Principal) bool { return p.Can("", auth.RoleDistrictAdmin) }

// mayAdminister answers 403 to everyone else.
func (h *Handler) mayAdminister(w http.ResponseWriter, r *http.Request) bool {
	if !canAdminister(principal(r)) {
		h.forbidden(w, r)
		return false
	}
	return true
}

// inviteForm is the invitation as typed, kept when it comes back with errors.
type inviteForm struct {
	Email, Name, Role, SchoolID string
}

// peoplePage is what people.html renders.
type peoplePage struct {
	base
	Staff   []store.StaffMember
	Schools []store.SchoolName
	Roles   []struct{ Code, Label string }
	Invite  inviteForm
	// Errors are the invitation's, by field.
	Errors map[string]string
	// RowStaffID and RowError: a grant or revoke refused on that row.
	RowStaffID, RowError string
}

// SchoolName names a school id on the page.
func (pg peoplePage) SchoolName(id string) string {
	for _, s := range pg.Schools {
		if s.ID == id {
			return s.Name
		}
	}
	return "a school"
}

// RoleLabel names a role on the page.
func (peoplePage) RoleLabel(code string) string { return roleLabel(code) }

func (h *Handler) people(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	h.renderPeople(w, r, http.StatusOK, peoplePage{})
}

func (h *Handler) renderPeople(w http.ResponseWriter, r *http.Request, status int, pg peoplePage) {
	p := principal(r)
	var err error
	if pg.Staff, err = h.Store.StaffWithRoles(r.Context(), p.DistrictID); err != nil {
		h.failed(w, r, "staff list", err)
		return
	}
	if pg.Schools, err = h.Store.SchoolsInScope(r.Context(), store.Scope{DistrictID: p.DistrictID}); err != nil {
		h.failed(w, r, "schools", err)
		return
	}
	// base last: the warning about schools without a coordinator must
	// reflect the change this page just made.
	pg.base, pg.Roles = h.base(r, "Staff and roles", "people"), roleLabels
	render(w, r, status, "people", pg)
}

// admin is the signed-in admin as the store's audit actor.
func admin(r *http.Request) store.Admin {
	return store.Admin{StaffID: principal(r).StaffID, IP: clientip.From(r)}
}

// invite adds (or finds) the person, grants the chosen role and queues
// their invitation email, all in one transaction: bad input writes nothing.
func (h *Handler) invite(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	f := r.PostFormValue
	in := inviteForm{Email: strings.TrimSpace(f("email")), Name: strings.TrimSpace(f("name")), Role: f("role"), SchoolID: f("school_id")}
	err := h.Store.InTx(r.Context(), func(tx pgx.Tx) error { return h.inviteTx(r, tx, in) })
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		h.renderPeople(w, r, http.StatusUnprocessableEntity, peoplePage{Invite: in, Errors: map[string]string{fe.Field: fe.Message}})
	case err != nil:
		h.failed(w, r, "invite staff", err)
	default:
		h.setFlash(w, false, "Invitation sent to "+strings.ToLower(in.Email)+".")
		http.Redirect(w, r, "/staff/people", http.StatusSeeOther)
	}
}

func (h *Handler) inviteTx(r *http.Request, tx pgx.Tx, in inviteForm) error {
	ctx, p, by := r.Context(), principal(r), admin(r)
	staffID, _, err := store.InviteStaffTx(ctx, tx, store.Invitee{DistrictID: p.DistrictID, Email: in.Email, Name: in.Name}, by)
	if err != nil {
		return err
	}
	if in.Role != "" {
		if _, err := store.GrantRoleTx(ctx, tx, store.RoleChange{DistrictID: p.DistrictID, StaffID: staffID, Role: in.Role, SchoolID: in.SchoolID}, by); err != nil {
			return err
		}
	}
	inviter, err := h.Store.GetStaff(ctx, p.StaffID)
	if err != nil {
		return err
	}
	district, err := h.Store.GetDistrict(ctx, p.DistrictID)
	if err != nil {
		return err
	}
	out, err := h.Outbox.Enqueue(ctx, tx, messaging.Request{
		IdemKey: "staff_invite:" + staffID + ":" + newActionID(), DistrictID: p.DistrictID,
		To: messaging.Recipient{Kind: "staff", Ref: staffID}, Template: "staff_invite", Channel: messaging.ChannelEmail,
		Link:   &messaging.LinkSpec{Action: "staff_login", SingleUse: true, TTL: InviteTTL, SubjectRef: "/staff"},
		Params: map[string]string{"inviter": inviter.Name, "district": district.Name, "contact": auth.StaffContact},
	})
	if err != nil {
		return err
	}
	if out.Unreachable() {
		return &store.FieldError{Field: "email", Message: "This address cannot receive email (it bounced or unsubscribed). Check it with the person."}
	}
	return nil
}

// roleChange reads a grant or revoke form for the row's staff member.
func roleChange(r *http.Request) store.RoleChange {
	return store.RoleChange{DistrictID: principal(r).DistrictID, StaffID: chi.URLParam(r, "staffID"),
		Role: r.PostFormValue("role"), SchoolID: r.PostFormValue("school_id")}
}

func (h *Handler) grant(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	c := roleChange(r)
	changed, err := h.Store.GrantRole(r.Context(), c, admin(r))
	h.afterRoleChange(w, r, c, err, func() string {
		if !changed {
			return "They already hold that role; nothing changed."
		}
		return "Role granted."
	})
}

func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	c := roleChange(r)
	changed, err := h.Store.RevokeRole(r.Context(), c, admin(r))
	if errors.Is(err, store.ErrLastAdmin) {
		h.renderPeople(w, r, http.StatusConflict, peoplePage{RowStaffID: c.StaffID,
			RowError: "This is the district's last admin. Grant District admin to someone else first, then revoke this one."})
		return
	}
	h.afterRoleChange(w, r, c, err, func() string {
		if !changed {
			return "They did not hold that role; nothing changed."
		}
		return "Role revoked."
	})
}

// afterRoleChange answers a grant or revoke: the error next to the row, or
// back to the page with what happened.
func (h *Handler) afterRoleChange(w http.ResponseWriter, r *http.Request, c store.RoleChange, err error, done func() string) {
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		h.renderPeople(w, r, http.StatusUnprocessableEntity, peoplePage{RowStaffID: c.StaffID, RowError: fe.Message})
	case errors.Is(err, store.ErrNotFound):
		h.notFound(w, r)
	case err != nil:
		h.failed(w, r, "change role", err)
	default:
		slog.InfoContext(r.Context(), "staff role changed", "staff_id", c.StaffID, "role", c.Role, "school_id", c.SchoolID)
		h.setFlash(w, false, done())
		http.Redirect(w, r, "/staff/people#staff-"+c.StaffID, http.StatusSeeOther)
	}
}

// schoolsPage is what schools.html renders.
type schoolsPage struct {
	base
	Schools []store.SchoolName
	Form    store.NewSchool
	Errors  map[string]string
	// State is the district's US state; StateRules whether internflow
	// has that state's hour rules for minors written (else federal only).
	State      string
	StateRules bool
}

// Uncoordinated reports whether nobody coordinates the school yet.
func (pg schoolsPage) Uncoordinated(id string) bool {
	for _, s := range pg.NoCoordinator {
		if s.ID == id {
			return true
		}
	}
	return false
}

func (h *Handler) schools(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	h.renderSchools(w, r, http.StatusOK, schoolsPage{})
}

func (h *Handler) renderSchools(w http.ResponseWriter, r *http.Request, status int, pg schoolsPage) {
	var err error
	if pg.Schools, err = h.Store.SchoolsInScope(r.Context(), store.Scope{DistrictID: principal(r).DistrictID}); err != nil {
		h.failed(w, r, "schools", err)
		return
	}
	if pg.State == "" {
		if pg.State, err = h.Store.DistrictState(r.Context(), principal(r).DistrictID); err != nil {
			h.failed(w, r, "district state", err)
			return
		}
	}
	pg.StateRules = hours.Known(pg.State)
	pg.base = h.base(r, "Schools", "schools")
	render(w, r, status, "schools", pg)
}

func (h *Handler) addSchool(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	f := r.PostFormValue
	in := store.NewSchool{DistrictID: principal(r).DistrictID, Name: f("name"), Timezone: f("timezone"), SourceID: f("source_id")}
	_, err := h.Store.AddSchool(r.Context(), in, admin(r))
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		h.renderSchools(w, r, http.StatusUnprocessableEntity, schoolsPage{Form: in, Errors: map[string]string{fe.Field: fe.Message}})
	case err != nil:
		h.failed(w, r, "add school", err)
	default:
		h.setFlash(w, false, strings.Join(strings.Fields(in.Name), " ")+" added. Name its coordinator on the Staff page.")
		http.Redirect(w, r, "/staff/schools", http.StatusSeeOther)
	}
}

// setState records the district's US state, whose hour rules for minors
// (with the federal ones) its programs follow from now on (what
// `internflow district state` does; audited).
func (h *Handler) setState(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	state := strings.ToUpper(strings.TrimSpace(r.PostFormValue("state")))
	err := h.Store.SetDistrictState(r.Context(), principal(r).DistrictID, state, principal(r).StaffID)
	switch {
	case errors.Is(err, store.ErrBadState):
		h.renderSchools(w, r, http.StatusUnprocessableEntity, schoolsPage{State: state,
			Errors: map[string]string{"state": "Give the two-letter code of a US state, like CA."}})
	case err != nil:
		h.failed(w, r, "set district state", err)
	default:
		msg := "The district is in " + state + ": new journeys follow the federal and " + state + " hour rules for minors (running journeys keep theirs until their program is migrated)."
		if !hours.Known(state) {
			msg = "The district is in " + state + ". No " + state + " hour rules are written in internflow yet, so its programs follow the federal rules only."
		}
		h.setFlash(w, false, msg)
		http.Redirect(w, r, "/staff/schools#state", http.StatusSeeOther)
	}
}
