package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// TestDistrictState_DefaultsToCaliforniaAndIsSetAudited: a district is in
// California unless set otherwise; setting it takes a two-letter code,
// is audited, and picks the hour rules its programs get.
func TestDistrictState_DefaultsToCaliforniaAndIsSetAudited(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	id, err := st.CreateDistrict(ctx, store.District{Name: "Desert USD"})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := st.GetDistrict(ctx, id); d.State != "CA" {
		t.Fatalf("new district in %q, want CA", d.State)
	}
	if err := st.SetDistrictState(ctx, id, "Texas", "staff-1"); !errors.Is(err, store.ErrBadState) {
		t.Fatalf("state Texas: %v, want the two-letter code asked for", err)
	}
	if err := st.SetDistrictState(ctx, id, "tx", "staff-1"); err != nil {
		t.Fatal(err)
	}
	rules, err := st.DistrictHourRules(ctx, id)
	if err != nil || len(rules) != len(hours.For("TX")) || rules[len(rules)-1].Law != "US" {
		t.Fatalf("rules in TX: %+v (%v), want the federal ones only", rules, err)
	}
	var n int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'district_state_set' AND entity_id = $1
		AND actor_ref = 'staff-1' AND before->>'state' = 'CA' AND after->>'state' = 'TX'`, id).Scan(&n); err != nil || n != 1 {
		t.Fatalf("audit rows %d (%v), want 1", n, err)
	}
	if err := st.SetDistrictState(ctx, "00000000-0000-0000-0000-000000000000", "CA", "staff-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown district: %v", err)
	}
}
