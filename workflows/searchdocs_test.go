package workflows_test

import (
	"os"
	"strings"
	"testing"

	"github.com/internflow/internflow/workflows"
)

// TestSearchAttributeDocs_ListEveryCode would have caught the search
// attribute values being undocumented (people filtering the Temporal UI
// by `WorkPermit` found nothing): docs/temporal-search.md names every
// stage and party code the journey writes, as written.
func TestSearchAttributeDocs_ListEveryCode(t *testing.T) {
	doc, err := os.ReadFile("../docs/temporal-search.md")
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{workflows.SAStage.GetName(), workflows.SAWaitingOn.GetName(), workflows.SASchool.GetName(),
		workflows.SAStageSince.GetName()}
	for _, s := range []workflows.Stage{workflows.StageSurvey, workflows.StageInternReady, workflows.StageApplying,
		workflows.StageMOUGate, workflows.StageWorkPermit, workflows.StageTrainings, workflows.StageWorking,
		workflows.StageDeliverable, workflows.StageCompleting, workflows.StageCompleted, workflows.StageWithdrawn} {
		codes = append(codes, string(s))
	}
	for _, p := range []workflows.Party{workflows.PartyStudent, workflows.PartyGuardian, workflows.PartyEmployer,
		workflows.PartyCoordinator, workflows.PartyIssuer, workflows.PartyMOU, workflows.PartyOps} {
		codes = append(codes, string(p))
	}
	for _, c := range codes {
		if !strings.Contains(string(doc), "`"+c+"`") {
			t.Errorf("docs/temporal-search.md does not list `%s`", c)
		}
	}
}
