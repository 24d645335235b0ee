package roster_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/roster"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

const benchStudents = 50_000

// BenchmarkImport50k imports a generated 50,000-student plain CSV (with
// one or two guardians each) into a fresh district, then imports it again
// (nothing changed). The bar: under a minute.
func BenchmarkImport50k(b *testing.B) {
	st := testenv.DB(b)
	path := writeBenchRoster(b, benchStudents, 20)
	im := roster.NewImporter(st)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		district := benchDistrict(b, st, 20)
		b.StartTimer()
		first := benchImport(b, im, path, district)
		again := benchImport(b, im, path, district)
		if first.rep.Students.Created != benchStudents || again.rep.Students.Unchanged != benchStudents {
			b.Fatalf("first %+v, again %+v", first.rep.Students, again.rep.Students)
		}
		if first.secs > 60 {
			b.Fatalf("import took %.1fs, over a minute", first.secs)
		}
		b.ReportMetric(first.secs, "import-s")
		b.ReportMetric(benchStudents/first.secs, "students/s")
		b.ReportMetric(again.secs, "reimport-s")
		b.Logf("50,000 students (+%d guardians): import %.2fs (%.0f students/s); re-import, nothing changed, %.2fs",
			first.rep.Guardians.Created, first.secs, benchStudents/first.secs, again.secs)
	}
}

type benchResult struct {
	rep  roster.Report
	secs float64
}

func benchImport(b *testing.B, im *roster.Importer, path, district string) benchResult {
	b.Helper()
	bundle, err := roster.OpenPath(path)
	if err != nil {
		b.Fatal(err)
	}
	defer bundle.Close()
	start := time.Now()
	rep, err := im.Import(context.Background(), bundle, roster.Options{DistrictID: district})
	if err != nil {
		b.Fatal(err)
	}
	if len(rep.Rejected) != 0 {
		b.Fatalf("%d rejected, first %+v", len(rep.Rejected), rep.Rejected[0])
	}
	return benchResult{rep, time.Since(start).Seconds()}
}

func benchDistrict(b *testing.B, st *store.Store, schools int) string {
	b.Helper()
	ctx := context.Background()
	d, err := st.CreateDistrict(ctx, store.District{Name: "Bench Unified"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range schools {
		if _, err := st.EnsureSchool(ctx, store.School{DistrictID: d, Name: fmt.Sprintf("School %d", i), SourceID: fmt.Sprintf("SCH%02d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	return d
}

// writeBenchRoster writes n students spread over schools; every other
// student has a second guardian, phones come in the formats people type.
func writeBenchRoster(b *testing.B, n, schools int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "students.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	_ = w.Write([]string{"student_id", "school_id", "first_name", "last_name", "date_of_birth", "grade", "phone", "email",
		"language", "timezone", "address_line1", "city", "state", "postal_code",
		"guardian1_name", "guardian1_relationship", "guardian1_phone", "guardian1_email", "guardian1_language",
		"guardian2_name", "guardian2_relationship", "guardian2_phone", "guardian2_email", "guardian2_language"})
	formats := []string{"(555) 2%02d-%04d", "555.2%02d.%04d", "+1 555 2%02d %04d", "1-555-2%02d-%04d"}
	for i := range n {
		phone := func(k int) string { return fmt.Sprintf(formats[(i+k)%4], (i/10000)%100, (i*3+k)%10000) }
		lang := []string{"en", "Spanish"}[i%2]
		row := []string{fmt.Sprintf("B%06d", i), fmt.Sprintf("SCH%02d", i%schools), "First" + fmt.Sprint(i), "Last" + fmt.Sprint(i%977),
			fmt.Sprintf("20%02d-%02d-%02d", 8+i%4, 1+i%12, 1+i%28), fmt.Sprint(9 + i%4), phone(0),
			fmt.Sprintf("student%d@students.example.org", i), lang, "America/Chicago", fmt.Sprintf("%d Elm St", i%900),
			"Springfield", "IL", fmt.Sprintf("627%02d", i%100),
			"Parent" + fmt.Sprint(i), "mother", phone(1), fmt.Sprintf("parent%d@example.org", i), lang}
		if i%2 == 0 {
			row = append(row, "Other"+fmt.Sprint(i), "father", phone(2), "", lang)
		} else {
			row = append(row, "", "", "", "", "")
		}
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}
