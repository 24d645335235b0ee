package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/loadtest/synthetic"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// smallDistrict loads a few hundred synthetic journeys (no audit rows).
func smallDistrict(t *testing.T) (*store.Store, synthetic.District) {
	t.Helper()
	st := testenv.DB(t)
	d, err := synthetic.Load(context.Background(), st.Pool, synthetic.Options{Schools: 3, Journeys: 600,
		AuditRows: 1, EventsPerJourney: 2, MessagesPerJourney: 1, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	return st, d
}

// aggregate counts the funnel straight from journey_view, to check the
// trigger-kept counters against.
func aggregate(t *testing.T, st *store.Store, districtID string) store.Funnel {
	t.Helper()
	var f store.Funnel
	err := st.Pool.QueryRow(context.Background(), `SELECT count(*), count(survey_done_at), count(intern_ready_at),
		count(applied_at), count(placed_at), count(permit_done_at), count(trainings_done_at), count(working_at),
		count(completed_at), count(withdrawn_at) FROM journey_view WHERE district_id = $1`, districtID).
		Scan(&f.SignedUp, &f.SurveyDone, &f.InternReady, &f.Applied, &f.Placed, &f.PermitDone, &f.TrainingsDone,
			&f.Working, &f.Completed, &f.Withdrawn)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func districtFunnel(t *testing.T, st *store.Store, sc store.Scope) store.Funnel {
	t.Helper()
	rows, err := st.FunnelBySchool(context.Background(), sc, "")
	if err != nil {
		t.Fatal(err)
	}
	tot := store.FunnelTotal(rows)
	return tot.Funnel.Add(tot.Micro)
}

func TestFunnel_CountersFollowInsertsUpdatesMovesAndDeletes(t *testing.T) {
	st, d := smallDistrict(t)
	ctx := context.Background()
	all := store.Scope{DistrictID: d.DistrictID}
	if got, want := districtFunnel(t, st, all), aggregate(t, st, d.DistrictID); got != want {
		t.Fatalf("after COPY: counters %+v, aggregate %+v", got, want)
	}
	// A journey reaches its next milestone through the projection's upsert.
	id := d.JourneyIDs[d.SchoolIDs[0]][0]
	v, err := st.GetJourneyView(ctx, id)
	must(t, err)
	now := time.Now()
	v.SurveyDoneAt, v.InternReadyAt, v.UpdatedSeq = &now, &now, v.UpdatedSeq+1
	_, err = st.UpsertJourneyView(ctx, v)
	must(t, err)
	// Another moves school, a third is purged, and a stale write is ignored.
	_, err = st.Pool.Exec(ctx, `UPDATE journey_view SET school_id = $1 WHERE journey_id = $2`, d.SchoolIDs[2], d.JourneyIDs[d.SchoolIDs[1]][0])
	must(t, err)
	_, err = st.Pool.Exec(ctx, `DELETE FROM journey_view WHERE journey_id = $1`, d.JourneyIDs[d.SchoolIDs[1]][1])
	must(t, err)
	v.UpdatedSeq, v.CompletedAt = 0, &now
	_, err = st.UpsertJourneyView(ctx, v)
	must(t, err)
	if got, want := districtFunnel(t, st, all), aggregate(t, st, d.DistrictID); got != want {
		t.Fatalf("after changes: counters %+v, aggregate %+v", got, want)
	}
	one, err := st.FunnelBySchool(ctx, store.Scope{DistrictID: d.DistrictID, SchoolIDs: []string{d.SchoolIDs[1]}}, "")
	must(t, err)
	if len(one) != 1 || one[0].SignedUp != 200-2 {
		t.Fatalf("school 2 after one moved out and one purged: %+v", one)
	}
}

func TestFunnel_IsMonotone(t *testing.T) {
	st, d := smallDistrict(t)
	f := districtFunnel(t, st, store.Scope{DistrictID: d.DistrictID})
	steps := []int{f.SignedUp, f.SurveyDone, f.InternReady, f.Applied, f.Placed, f.PermitDone, f.TrainingsDone, f.Working, f.Completed}
	if !slices.IsSortedFunc(steps, func(a, b int) int { return b - a }) || f.SignedUp != 600 || f.Completed == 0 {
		t.Fatalf("funnel not a funnel: %v", steps)
	}
}

func TestListJourneys_KeysetPagesCoverTheSchoolOnceInOrder(t *testing.T) {
	st, d := smallDistrict(t)
	sc := store.Scope{DistrictID: d.DistrictID, SchoolIDs: []string{d.SchoolIDs[0]}}
	var seen []store.ListRow
	var after *store.ListCursor
	for pages := 0; ; pages++ {
		if pages > 20 {
			t.Fatal("paging never ended")
		}
		page, err := st.ListJourneys(context.Background(), sc, store.ListFilter{Stage: store.StageFilterAll}, after, 37)
		must(t, err)
		seen = append(seen, page.Rows...)
		if page.Next == nil {
			break
		}
		// The cursor survives a round trip through a URL.
		c, err := store.ParseListCursor(page.Next.String())
		must(t, err)
		after = &c
	}
	if len(seen) != 200 {
		t.Fatalf("pages held %d rows, want the school's 200", len(seen))
	}
	ids := map[string]bool{}
	for i, r := range seen {
		if r.SchoolID != d.SchoolIDs[0] || ids[r.JourneyID] {
			t.Fatalf("row %d: school %s, repeated %v", i, r.SchoolID, ids[r.JourneyID])
		}
		ids[r.JourneyID] = true
		if i > 0 && !listedBefore(seen[i-1], r) {
			t.Fatalf("rows %d and %d out of order: %+v then %+v", i-1, i, seen[i-1].Cursor(), r.Cursor())
		}
	}
	if !seen[0].Overdue || seen[len(seen)-1].Overdue {
		t.Fatal("overdue journeys are not listed first")
	}
}

// listedBefore is the list's order: overdue first, then longest in stage.
func listedBefore(a, b store.ListRow) bool {
	if a.Overdue != b.Overdue {
		return a.Overdue
	}
	if !a.StageSince.Equal(b.StageSince) {
		return a.StageSince.Before(b.StageSince)
	}
	return a.JourneyID < b.JourneyID
}

func TestListJourneys_FiltersAndSearch(t *testing.T) {
	st, d := smallDistrict(t)
	ctx := context.Background()
	sc := store.Scope{DistrictID: d.DistrictID, SchoolIDs: d.SchoolIDs[:2]}
	page, err := st.ListJourneys(ctx, sc, store.ListFilter{Stage: "survey", WaitingOn: "student", Overdue: true}, nil, 500)
	must(t, err)
	if len(page.Rows) == 0 {
		t.Fatal("no overdue survey journeys in the sample")
	}
	for _, r := range page.Rows {
		if r.Stage != "survey" || r.WaitingOn != "student" || !r.Overdue || r.SchoolID == d.SchoolIDs[2] {
			t.Fatalf("row outside the filter or scope: %+v", r)
		}
	}
	_, err = st.Pool.Exec(ctx, `UPDATE students SET first_name = 'Zelda', last_name = 'O''Neil_50%' WHERE id = $1`, page.Rows[0].StudentID)
	must(t, err)
	for _, q := range []string{"zel", "ZELDA o'neil_50", "o'neil_50%"} {
		found, err := st.ListJourneys(ctx, sc, store.ListFilter{Stage: store.StageFilterAll, Search: q}, nil, 50)
		must(t, err)
		if len(found.Rows) != 1 || found.Rows[0].StudentID != page.Rows[0].StudentID {
			t.Fatalf("search %q found %d rows", q, len(found.Rows))
		}
	}
	// "_" and "%" are literal: "o'neil_5" matches, "o'neil%" does not.
	found, err := st.ListJourneys(ctx, sc, store.ListFilter{Stage: store.StageFilterAll, Search: "o'neil%"}, nil, 50)
	must(t, err)
	if len(found.Rows) != 0 {
		t.Fatalf("a %% in the search acted as a wildcard: %d rows", len(found.Rows))
	}
}

func TestScopedQueries_OutOfScopeIsNotFound(t *testing.T) {
	st, d := smallDistrict(t)
	ctx := context.Background()
	other := d.JourneyIDs[d.SchoolIDs[1]][0]
	schoolA := store.Scope{DistrictID: d.DistrictID, SchoolIDs: []string{d.SchoolIDs[0]}}
	if _, err := st.ScopedJourney(ctx, schoolA, other); err != store.ErrNotFound {
		t.Fatalf("school A reading school B's journey: %v", err)
	}
	if _, err := st.ScopedJourney(ctx, store.Scope{DistrictID: d.DistrictID, SchoolIDs: []string{}}, other); err != store.ErrNotFound {
		t.Fatalf("an empty school list read a journey: %v", err)
	}
	otherDistrict, err := st.CreateDistrict(ctx, store.District{Name: "Elsewhere"})
	must(t, err)
	if _, err := st.ScopedJourney(ctx, store.Scope{DistrictID: otherDistrict}, other); err != store.ErrNotFound {
		t.Fatalf("another district read the journey: %v", err)
	}
	if j, err := st.ScopedJourney(ctx, store.Scope{DistrictID: d.DistrictID}, other); err != nil || j.View.SchoolID != d.SchoolIDs[1] {
		t.Fatalf("district scope: %v", err)
	}
	refs, err := st.ScopedJourneyRefs(ctx, schoolA, []string{other, d.JourneyIDs[d.SchoolIDs[0]][3]})
	must(t, err)
	if len(refs) != 1 || refs[0].SchoolID != d.SchoolIDs[0] {
		t.Fatalf("bulk refs kept %+v", refs)
	}
}

func TestStuckJourneys_GroupsByCauseWithCountsAndLongestWaitingFirst(t *testing.T) {
	st, d := smallDistrict(t)
	ctx := context.Background()
	_, err := st.Pool.Exec(ctx, `UPDATE journey_view SET stuck_reason = 'failed:record'
		WHERE journey_id IN (SELECT journey_id FROM journey_view WHERE stage NOT IN ('completed','withdrawn') ORDER BY journey_id LIMIT 3)`)
	must(t, err)
	var failing int
	must(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM journey_view WHERE stuck_reason <> '' AND stage NOT IN ('completed','withdrawn')`).Scan(&failing))
	groups, err := st.StuckJourneys(ctx, store.Scope{DistrictID: d.DistrictID}, 4)
	must(t, err)
	if len(groups) < 3 || groups[0].Cause != store.CauseFailing || groups[0].Count != failing || failing < 3 ||
		groups[len(groups)-1].Cause != store.CauseUnreachable {
		t.Fatalf("%d groups, first %s (%d of %d failing), last %s", len(groups), groups[0].Cause, groups[0].Count, failing,
			groups[len(groups)-1].Cause)
	}
	total := 0
	for _, g := range groups {
		if len(g.Rows) > 4 || len(g.Rows) > g.Count {
			t.Fatalf("%s %s/%s lists %d rows of %d", g.Cause, g.Reason, g.WaitingOn, len(g.Rows), g.Count)
		}
		for i, r := range g.Rows {
			if r.Stage == "completed" || r.Stage == "withdrawn" || (i > 0 && r.StageSince.Before(g.Rows[i-1].StageSince)) {
				t.Fatalf("%s: row %d closed or out of order", g.Cause, i)
			}
			if g.Cause == store.CauseOverdue && (!r.Overdue || r.Stage != g.Reason || r.WaitingOn != g.WaitingOn) {
				t.Fatalf("overdue group %s/%s holds %+v", g.Reason, g.WaitingOn, r)
			}
		}
		if g.Cause == store.CauseOverdue {
			total += g.Count
		}
	}
	var want int
	must(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM journey_view WHERE overdue AND stage NOT IN ('completed','withdrawn')`).Scan(&want))
	if total != want || want == 0 {
		t.Fatalf("overdue groups count %d, the read model %d", total, want)
	}
	// One school's scope sees only its own.
	one, err := st.StuckJourneys(ctx, store.Scope{DistrictID: d.DistrictID, SchoolIDs: []string{d.SchoolIDs[1]}}, 100)
	must(t, err)
	for _, g := range one {
		for _, r := range g.Rows {
			if r.SchoolID != d.SchoolIDs[1] {
				t.Fatalf("school scope listed another school's journey")
			}
		}
	}
}
