package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// rerun applies a migration's SQL again to rows written the old way.
func rerun(t *testing.T, st *store.Store, file string) {
	t.Helper()
	body, err := os.ReadFile("migrations/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgx.BeginFunc(context.Background(), st.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), string(body))
		return err
	}); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestMigrations_WaivedSurveysAndOldPathwayNames would have caught a
// waived survey counted as "Survey done" and the survey's "Health
// Sciences" kept apart from "Health Science and Medical Technology" in
// reports, for journeys recorded before the fixes.
func TestMigrations_WaivedSurveysAndOldPathwayNames(t *testing.T) {
	st, d := smallDistrict(t)
	ctx := context.Background()
	var answered, waived string
	if err := st.Pool.QueryRow(ctx, `SELECT (array_agg(journey_id ORDER BY journey_id))[1]::text, (array_agg(journey_id ORDER BY journey_id))[2]::text
		FROM journey_view WHERE district_id = $1`, d.DistrictID).Scan(&answered, &waived); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM survey_responses WHERE journey_id IN ($1, $2)`,
		`UPDATE journey_view SET survey_done_at = now() WHERE journey_id IN ($1, $2)`} {
		if _, err := st.Pool.Exec(ctx, q, answered, waived); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Pool.Exec(ctx, `INSERT INTO survey_responses (journey_id, pathway, transport, contact_consent, submitted_at)
		VALUES ($1, 'Health Sciences', 'transit', true, now())`, answered); err != nil {
		t.Fatal(err)
	}
	before := districtFunnel(t, st, store.Scope{DistrictID: d.DistrictID})
	rerun(t, st, "0340_waived_survey_not_done.sql")
	rerun(t, st, "0341_pathways.sql")
	var answeredDone, waivedDone bool
	var pathway string
	if err := st.Pool.QueryRow(ctx, `SELECT
		(SELECT survey_done_at IS NOT NULL FROM journey_view WHERE journey_id = $1),
		(SELECT survey_done_at IS NOT NULL FROM journey_view WHERE journey_id = $2),
		(SELECT pathway FROM survey_responses WHERE journey_id = $1)`, answered, waived).Scan(&answeredDone, &waivedDone, &pathway); err != nil {
		t.Fatal(err)
	}
	if !answeredDone || waivedDone {
		t.Errorf("survey done: answered %v, waived %v (want true, false)", answeredDone, waivedDone)
	}
	if pathway != "Health Science and Medical Technology" {
		t.Errorf("the old survey pathway is now %q", pathway)
	}
	after := districtFunnel(t, st, store.Scope{DistrictID: d.DistrictID})
	if after.SurveyDone >= before.SurveyDone {
		t.Errorf("funnel Survey done %d → %d: the waived survey still counts", before.SurveyDone, after.SurveyDone)
	}
	if got := aggregate(t, st, d.DistrictID); got.SurveyDone != after.SurveyDone {
		t.Errorf("funnel counters (%d) drifted from the read model (%d)", after.SurveyDone, got.SurveyDone)
	}
}
