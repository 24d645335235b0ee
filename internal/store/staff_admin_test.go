package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// Two runs of `district create` at once for one name make one district.
func TestCreateDistrictWithAdmin_SameNameAtOnce_OneDistrict(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, _, errs[i] = st.CreateDistrictWithAdmin(ctx, store.District{Name: "Harbor Unified"},
				store.Staff{Email: []string{"a@h.example", "b@h.example", "c@h.example", "d@h.example"}[i]})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, store.ErrDistrictExists):
			t.Fatalf("create: %v", err)
		}
	}
	var n int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM districts`).Scan(&n); err != nil || ok != 1 || n != 1 {
		t.Fatalf("%d creates succeeded, %d districts (%v); want 1", ok, n, err)
	}
}

// Two admins revoking each other at once: one revoke wins, the other is
// refused as the last admin, and the district keeps one admin.
func TestRevokeRole_TwoAdminsRevokeEachOtherAtOnce_OneAdminStays(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	district, first, err := st.CreateDistrictWithAdmin(ctx, store.District{Name: "Bay Unified"}, store.Staff{Email: "first@bay.example", Name: "First"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := st.CreateStaff(ctx, store.Staff{DistrictID: district, Name: "Second", Email: "second@bay.example",
		Roles: []store.StaffRole{{Role: "district_admin"}}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	pairs := [][2]string{{first, second}, {second, first}}
	for i, p := range pairs {
		wg.Go(func() {
			_, errs[i] = st.RevokeRole(ctx, store.RoleChange{DistrictID: district, StaffID: p[1], Role: "district_admin"},
				store.Admin{StaffID: p[0]})
		})
	}
	wg.Wait()
	refused := 0
	for _, err := range errs {
		switch {
		case errors.Is(err, store.ErrLastAdmin):
			refused++
		case err != nil:
			t.Fatal(err)
		}
	}
	var admins, audited int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM staff_roles WHERE role = 'district_admin'`).Scan(&admins); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'role_revoked'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if refused != 1 || admins != 1 || audited != 1 {
		t.Fatalf("%d refused, %d admins left, %d revokes audited; want 1, 1, 1", refused, admins, audited)
	}
}
