package app_test

import (
	"context"
	"strings"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/proto"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

// What the app writes to Temporal is sealed: a plain client (no codec,
// as anyone with access to Temporal or its database) reading the raw
// history sees no student data, only encrypted payloads; the app itself
// still queries and updates the journey.
func TestIntegration_HistoryPayloadsAreEncrypted(t *testing.T) {
	s := newStack(t)
	f := apptest.NewFixture(t, s.Store, `{}`)
	d := newDriver(t, s, f)
	d.atStage(workflows.StageSurvey)
	d.survey() // an update through the app's client: "Health Sciences", "transit"
	d.atStage(workflows.StageInternReady)
	if st := d.status(); st.Stage != workflows.StageInternReady { // a query decoded by the app
		t.Fatalf("app reads stage %q", st.Stage)
	}

	var hist historypb.History
	it := testenv.Temporal(t).GetWorkflowHistory(context.Background(), d.workflowID, "", false, 0)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	// The wire form: payload bytes as Temporal stores them (protojson
	// would base64 them and hide clear text from this check).
	raw, err := proto.Marshal(&hist)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Health Sciences", "transit", "Maya", "student_is_minor", f.Student} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("raw history shows %q in clear text", secret)
		}
	}
	if !strings.Contains(string(raw), codec.Encoding) {
		t.Errorf("no %s payload in the raw history", codec.Encoding)
	}
}
