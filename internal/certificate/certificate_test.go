package certificate_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// district is one district with a student who finished an internship.
type district struct {
	st       *store.Store
	id       string
	journey  string
	employer string
}

// completed makes a district whose student (language lang) completed
// 96.5 approved hours as a clinic assistant at Valley Clinic, rated by
// the supervisor.
func completed(t *testing.T, st *store.Store, name, lang string) district {
	t.Helper()
	ctx := context.Background()
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	exec := func(q string, args ...any) string {
		t.Helper()
		var id string
		if err := st.Pool.QueryRow(ctx, q, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	d := district{st: st}
	d.id = must(st.CreateDistrict(ctx, store.District{Name: name}))
	school := must(st.CreateSchool(ctx, store.School{DistrictID: d.id, Name: "Roosevelt High"}))
	program := must(st.CreateProgram(ctx, store.Program{DistrictID: d.id, Name: "Summer Internships", Kind: "summer_paid", ProgramYear: 2027}))
	student := must(st.CreateStudent(ctx, store.Student{DistrictID: d.id, SchoolID: school, FirstName: "María", LastName: "Núñez",
		Language: lang, Phone: "+15555550101"}))
	j, err := st.CreateJourney(ctx, student, program)
	if err != nil {
		t.Fatal(err)
	}
	d.journey = j.ID
	d.employer = exec(`INSERT INTO employers (district_id, name) VALUES ($1, 'Valley Clinic') RETURNING id::text`, d.id)
	posting := exec(`INSERT INTO postings (employer_id, title) VALUES ($1, 'Clinic assistant') RETURNING id::text`, d.employer)
	exec(`INSERT INTO placements (journey_id, posting_id, employer_id, funding_source, hours_required, title)
		VALUES ($1, $2, $3, 'employer_paid', 90, 'Clinic assistant') RETURNING id::text`, j.ID, posting, d.employer)
	working := time.Date(2027, 6, 14, 16, 0, 0, 0, time.UTC)
	if _, err := st.UpsertJourneyView(ctx, store.JourneyView{JourneyID: j.ID, StudentID: student, DistrictID: d.id, SchoolID: school,
		ProgramID: program, Stage: "completing", StageSince: working, HoursApproved: 96.5, HoursRequired: 90, WorkingAt: &working,
		UpdatedSeq: 1}); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO employer_feedback (journey_id, ratings, comment, submitted_at) VALUES ($1,
		'{"communication": 5, "reliability": 4, "teamwork": 5, "initiative": 3, "professionalism": 5}', 'Great with patients', now())
		RETURNING journey_id::text`, j.ID)
	return d
}

// completedAt is 6:30 pm in California on August 20: still August 20 for the student.
var completedAt = time.Date(2027, 8, 21, 1, 30, 0, 0, time.UTC)

// The certificate says, in the student's language, how many hours were
// approved, where, when and how the employer rated each skill, and prints
// the code staff verify it by.
func TestIssue_PDFSaysHoursEmployerDatesSkillsInTheStudentsLanguage(t *testing.T) {
	st := testenv.DB(t)
	for _, tc := range []struct {
		lang string
		want []string
		not  []string
	}{
		{"en", []string{"Certificate of Completion", "This certifies that", "María Núñez", "a student at Roosevelt High",
			"completed 96.5 hours of work-based learning", "as Clinic assistant at Valley Clinic", "Summer Internships · program year 2027",
			"From June 14, 2027 to August 20, 2027", "Skills rated by the employer (1 to 5)", "Communication", "5 of 5", "Initiative", "3 of 5",
			"Verification code: "}, []string{"Certificado", "horas"}},
		{"es", []string{"Certificado de Finalización", "Se certifica que", "María Núñez", "estudiante de Roosevelt High",
			"completó 96.5 horas de aprendizaje basado en el trabajo", "como Clinic assistant en Valley Clinic",
			"Del 14 de junio de 2027 al 20 de agosto de 2027", "Habilidades evaluadas por el empleador (de 1 a 5)", "Comunicación",
			"Iniciativa", "3 de 5", "Código de verificación: "}, []string{"Certificate", "hours", "June"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			d := completed(t, st, "District "+tc.lang, tc.lang)
			issuer := &certificate.Issuer{Store: st}
			c, err := issuer.Issue(context.Background(), d.journey, completedAt)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := st.GetDocument(context.Background(), c.DocumentID)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Kind != "certificate" || doc.ContentType != "application/pdf" || !strings.HasPrefix(string(doc.Bytes), "%PDF") {
				t.Fatalf("stored certificate: kind %q type %q", doc.Kind, doc.ContentType)
			}
			text := testenv.PDFText(doc.Bytes)
			for _, w := range append(tc.want, c.Code) {
				if !strings.Contains(text, w) {
					t.Errorf("the %s certificate does not say %q:\n%s", tc.lang, w, text)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(text, w) {
					t.Errorf("the %s certificate says %q:\n%s", tc.lang, w, text)
				}
			}
		})
	}
}

// Issuing again (a retried activity, the student's page racing the
// journey) returns the one certificate: one code, one document.
func TestIssue_ExactlyOnce(t *testing.T) {
	st := testenv.DB(t)
	d := completed(t, st, "Springfield", "en")
	issuer := &certificate.Issuer{Store: st}
	codes := make([]string, 6)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			c, err := issuer.Issue(context.Background(), d.journey, completedAt.Add(time.Duration(i)*time.Hour))
			if err != nil {
				t.Error(err)
			}
			codes[i] = c.Code
		})
	}
	wg.Wait()
	for _, c := range codes {
		if c != codes[0] {
			t.Fatalf("issuing six times gave codes %v", codes)
		}
	}
	var docs, certs int
	_ = st.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM documents WHERE journey_id = $1 AND kind = 'certificate'),
		(SELECT count(*) FROM certificates WHERE journey_id = $1)`, d.journey).Scan(&docs, &certs)
	if docs != 1 || certs != 1 {
		t.Fatalf("%d certificate documents and %d certificates, want one of each", docs, certs)
	}
}

// Staff look a code up as it is printed or typed loosely; an unknown code
// and another district's code are the same "not found"; a revoked
// certificate says so, with the reason.
func TestLookup_ByCodeWithinTheDistrict(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	ours := completed(t, st, "Springfield", "en")
	theirs := completed(t, st, "Shelbyville", "en")
	issuer := &certificate.Issuer{Store: st}
	mine, err := issuer.Issue(ctx, ours.journey, completedAt)
	if err != nil {
		t.Fatal(err)
	}
	other, err := issuer.Issue(ctx, theirs.journey, completedAt)
	if err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(strings.ReplaceAll(mine.Code, "-", " "))
	got, err := issuer.Lookup(ctx, ours.id, typed)
	if err != nil || got.JourneyID != ours.journey || got.StudentName != "María Núñez" || got.Hours != 96.5 ||
		got.Employer != "Valley Clinic" || !got.Valid() || got.Completed.Format(time.DateOnly) != "2027-08-20" {
		t.Fatalf("lookup of %q: %+v, %v", typed, got, err)
	}
	for _, code := range []string{other.Code, certificate.NewCode(), "", "not a code", mine.Code + "X"} {
		if _, err := issuer.Lookup(ctx, ours.id, code); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("lookup of %q in our district: %v, want not found", code, err)
		}
	}
	if _, err := issuer.Revoke(ctx, theirs.id, mine.Code, "", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another district revoked our certificate: %v", err)
	}
	if j, err := issuer.Revoke(ctx, ours.id, mine.Code, "", "Hours were entered twice"); err != nil || j != ours.journey {
		t.Fatalf("revoking: %q, %v", j, err)
	}
	got, _ = issuer.Lookup(ctx, ours.id, mine.Code)
	if got.Valid() || got.RevokedReason != "Hours were entered twice" {
		t.Fatalf("after revoking: %+v", got)
	}
}

func TestCodes_ShortUnambiguousAndNormalized(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := certificate.NewCode()
		if len(c) != 14 || strings.ContainsAny(c, "01OI") || seen[c] {
			t.Fatalf("code %q (seen before: %v)", c, seen[c])
		}
		seen[c] = true
		if n, ok := certificate.NormalizeCode(" " + strings.ToLower(strings.ReplaceAll(c, "-", "")) + " "); !ok || n != c {
			t.Fatalf("normalizing %q gave %q, %v", c, n, ok)
		}
	}
}
