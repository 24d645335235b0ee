package auth

import (
	"slices"
	"testing"
	"time"
)

func TestScopeFor_DistrictRoleWinsSchoolRolesAddUpNoRoleMatchesNothing(t *testing.T) {
	p := Principal{DistrictID: "d", Grants: []Grant{{RoleCoordinator, "a"}, {RoleCoordinator, "b"}, {RolePermitIssuer, "c"}}}
	if sc := p.ScopeFor(RoleCoordinator); sc.SchoolIDs == nil || !slices.Equal(sc.SchoolIDs, []string{"a", "b"}) {
		t.Fatalf("coordinator of a and b: %+v", sc)
	}
	if sc := p.ViewScope(); !slices.Equal(sc.SchoolIDs, []string{"a", "b", "c"}) {
		t.Fatalf("view scope: %+v", sc)
	}
	if sc := p.ScopeFor(OpsRoles...); sc.SchoolIDs == nil || len(sc.SchoolIDs) != 0 {
		t.Fatalf("no ops role must scope to nothing, got %+v", sc)
	}
	p.Grants = append(p.Grants, Grant{RoleDistrictOps, ""})
	if sc := p.ViewScope(); sc.SchoolIDs != nil || sc.DistrictID != "d" {
		t.Fatalf("district ops sees the district: %+v", sc)
	}
}

func TestCan_IsPerSchoolUnlessDistrictWide(t *testing.T) {
	p := Principal{Grants: []Grant{{RoleCoordinator, "a"}, {RolePermitIssuer, ""}}}
	cases := []struct {
		school string
		roles  []string
		want   bool
	}{
		{"a", ManageRoles, true},
		{"b", ManageRoles, false},
		{"b", []string{RolePermitIssuer}, true},
		{"a", OpsRoles, false},
		{"", []string{RoleCoordinator}, false}, // "" asks for a district-wide grant
	}
	for _, c := range cases {
		if got := p.Can(c.school, c.roles...); got != c.want {
			t.Errorf("Can(%q, %v) = %v", c.school, c.roles, got)
		}
	}
}

func TestLocalPath_KeepsOnlyThisSite(t *testing.T) {
	for in, want := range map[string]string{
		"/staff/students/x?a=1":  "/staff/students/x?a=1",
		"//evil.example.com/":    "/staff",
		"/\\evil.example.com":    "/staff",
		"https://evil.example/x": "/staff",
		"staff":                  "/staff",
		"":                       "/staff",
	} {
		if got := LocalPath(in); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLimiter_AllowsMaxPerWindowThenResets(t *testing.T) {
	now := time.Unix(0, 0)
	l := &Limiter{Max: 2, Window: time.Minute, Now: func() time.Time { return now }}
	got := []bool{l.Allow("k"), l.Allow("k"), l.Allow("k"), l.Allow("other")}
	if !slices.Equal(got, []bool{true, true, false, true}) {
		t.Fatalf("first window: %v", got)
	}
	now = now.Add(time.Minute)
	if !l.Allow("k") {
		t.Fatal("a new window did not reset the count")
	}
}
