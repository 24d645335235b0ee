package roster_test

import (
	"context"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

func TestImport_SmallBatchesGiveTheSameResult(t *testing.T) {
	e := newEnv(t)
	e.im.BatchSize = 1
	rep := e.run("plain/valid", roster.Options{})
	if rep.Students != (roster.Counts{Created: 4}) || rep.Guardians != (roster.Counts{Created: 4}) {
		t.Fatalf("batches of one: students %+v guardians %+v", rep.Students, rep.Guardians)
	}
}

// A rule only the database knows (here a constraint the test adds) must
// reject just the row that breaks it; the rest of its batch still goes in.
func TestImport_RowTheDatabaseRefusesIsRejectedAloneNotItsBatch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.st.Pool.Exec(ctx, `ALTER TABLE students ADD CONSTRAINT test_no_okafor CHECK (last_name <> 'Okafor')`); err != nil {
		t.Fatal(err)
	}
	e.im.BatchSize = 10
	rep := e.run("plain/valid", roster.Options{})
	if rep.Students != (roster.Counts{Created: 3}) || rep.Guardians != (roster.Counts{Created: 3}) {
		t.Fatalf("students %+v guardians %+v, want the other 3 students with their guardians", rep.Students, rep.Guardians)
	}
	if len(rep.Rejected) != 1 || rep.Rejected[0].SourceID != "S1002" || rep.Rejected[0].Line != 3 ||
		!strings.Contains(rep.Rejected[0].Reason, "test_no_okafor") {
		t.Fatalf("rejected %+v, want S1002 on line 3 naming the constraint", rep.Rejected)
	}
	if _, ok := e.student("S1002"); ok {
		t.Fatal("S1002 was written")
	}
	if n := e.count(`SELECT count(*) FROM guardians g JOIN students s ON s.id = g.student_id WHERE s.source_id = 'S1002'`); n != 0 {
		t.Fatal("S1002's guardian was written without the student")
	}
}
