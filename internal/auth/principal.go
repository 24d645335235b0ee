// Package auth signs staff in and says what they may do.
//
// Sign-in is a magic link e-mailed through the messaging outbox (see
// MagicLink) or the district's OpenID Connect provider (see OIDC); a session is a random 32-byte id in a cookie whose SHA-256
// alone is stored, with idle and absolute expiry, rotated at every sign-in.
// Every signed-in request carries a Principal: the staff member's district
// and role grants, from which handlers derive a store.Scope that every
// query applies in SQL. Every way of proving identity is an Authenticator
// ending in the same Sessions.SignIn.
package auth

import (
	"context"
	"slices"

	"github.com/internflow/internflow/internal/store"
)

// Roles a staff member can hold (staff_roles.role).
const (
	RoleCoordinator   = "coordinator"
	RolePermitIssuer  = "permit_issuer"
	RoleMOUApprover   = "mou_approver"
	RoleDistrictOps   = "district_ops"
	RoleDistrictAdmin = "district_admin"
)

// Grant is one role, for one school or (SchoolID empty) the whole district.
type Grant struct {
	Role     string
	SchoolID string
}

// Principal is the signed-in staff member as handlers see them.
type Principal struct {
	StaffID    string
	DistrictID string
	Grants     []Grant
	// CSRFToken must come back with every state-changing request.
	CSRFToken string
	// Method is how the session was proven ("magic_link", or "api_token"
	// for a district API token, which has no staff member).
	Method string
	// TokenID is the district API token's id when Method is "api_token".
	TokenID string
}

// Has reports whether the principal holds role anywhere.
func (p Principal) Has(role string) bool {
	return slices.ContainsFunc(p.Grants, func(g Grant) bool { return g.Role == role })
}

// HasAny reports whether the principal holds any of roles.
func (p Principal) HasAny(roles ...string) bool {
	return slices.ContainsFunc(roles, p.Has)
}

// ScopeFor is where the principal holds any of roles: the whole district if
// one of them is district-wide, else those schools (an empty, non-nil list
// when none: a scope that matches nothing).
func (p Principal) ScopeFor(roles ...string) store.Scope {
	sc := store.Scope{DistrictID: p.DistrictID, SchoolIDs: []string{}}
	for _, g := range p.Grants {
		if !slices.Contains(roles, g.Role) {
			continue
		}
		if g.SchoolID == "" {
			return store.Scope{DistrictID: p.DistrictID}
		}
		if !slices.Contains(sc.SchoolIDs, g.SchoolID) {
			sc.SchoolIDs = append(sc.SchoolIDs, g.SchoolID)
		}
	}
	return sc
}

// Can reports whether the principal holds one of roles for schoolID (a
// school role there, or the role district-wide).
func (p Principal) Can(schoolID string, roles ...string) bool {
	return slices.ContainsFunc(p.Grants, func(g Grant) bool {
		return slices.Contains(roles, g.Role) && (g.SchoolID == "" || g.SchoolID == schoolID)
	})
}

// Role sets for what staff do. Reading a journey is wider than acting on it:
// a permit issuer reads the students whose permits they decide.
var (
	// ViewRoles read journeys (dashboard, student page, JSON API).
	ViewRoles = []string{RoleCoordinator, RolePermitIssuer, RoleDistrictOps, RoleDistrictAdmin}
	// ManageRoles nudge, resend, review badges, waive, withdraw, enrol.
	ManageRoles = []string{RoleCoordinator, RoleDistrictOps, RoleDistrictAdmin}
	// OpsRoles see the ops console and retry failed steps.
	OpsRoles = []string{RoleDistrictOps, RoleDistrictAdmin}
	// ReportRoles read reports and exports.
	ReportRoles = []string{RoleCoordinator, RoleDistrictOps, RoleDistrictAdmin}
	// MOURoles read and decide the district's employer MOUs: the approver,
	// and the district admin who answers for every district page.
	MOURoles = []string{RoleMOUApprover, RoleDistrictAdmin}
	// EmployerViewRoles read the district's employers, worksites,
	// supervisors and postings (coordinators, to advise students).
	EmployerViewRoles = []string{RoleCoordinator, RoleDistrictOps, RoleDistrictAdmin}
	// EmployerManageRoles manage them and draft MOUs, district-wide only
	// (see CanManageEmployers).
	EmployerManageRoles = []string{RoleDistrictOps, RoleDistrictAdmin}
)

// CanViewEmployers reports whether the principal may read employers, on
// the staff pages and through the API alike.
func (p Principal) CanViewEmployers() bool { return p.HasAny(EmployerViewRoles...) }

// CanManageEmployers needs a district-wide grant: employers are not a
// school's.
func (p Principal) CanManageEmployers() bool { return p.Can("", EmployerManageRoles...) }

// ViewScope is the journeys the principal may read.
func (p Principal) ViewScope() store.Scope { return p.ScopeFor(ViewRoles...) }

type principalKey struct{}

// WithPrincipal carries the signed-in principal.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the signed-in principal, if any.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
