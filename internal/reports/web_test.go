package reports_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/store"
)

func (f *fixture) get(path string, scope *store.Scope) *httptest.ResponseRecorder {
	f.t.Helper()
	h := reports.Handler(f.q, func(*http.Request) (store.Scope, bool) {
		if scope == nil {
			return store.Scope{}, false
		}
		return *scope, true
	}, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestReportsPage_ShowsEveryReportWithCSVLinks(t *testing.T) {
	f := newFixture(t)
	f.standard()
	scope := f.wholeDistrict()
	rec := f.get("/reports?year=2027", &scope)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	for _, r := range reports.Catalog {
		if !strings.Contains(page, `<h2 id="`+r.Name+`-h">`+r.Title+`</h2>`) || !strings.Contains(page, `href="reports/`+r.Name+`.csv?year=2027"`) {
			t.Errorf("page lacks %s or its CSV link", r.Name)
		}
	}
	for _, want := range []string{
		`<th scope="row">Adams High</th><td class="n" data-label="signed up">5</td><td class="n" data-label="survey done">4</td>`,
		`<th scope="row">CTE-funded</th><td class="n" data-label="placements">1</td>`,
		`name="viewport"`, `value="2027"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "Other High") || strings.Contains(page, "could not be computed") {
		t.Error("page shows another district or a failed report")
	}
}

func TestReportsCSV_DownloadsOneReport(t *testing.T) {
	f := newFixture(t)
	f.standard()
	scope := f.wholeDistrict()
	rec := f.get("/reports/funnel-by-school.csv?year=2027", &scope)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), `filename="funnel-by-school-2027.csv"`) {
		t.Fatalf("status %d headers %v", rec.Code, rec.Header())
	}
	want := "school,signed up,survey done,intern ready,applied,placed,permit done,trainings done,working,completed\n" +
		"Adams High,5,4,3,3,3,3,2,2,2\n" +
		"Brown Academy,3,2,2,2,1,1,1,1,0\n" +
		"Total,8,6,5,5,4,4,3,3,2\n"
	if rec.Body.String() != want {
		t.Fatalf("csv =\n%s\nwant\n%s", rec.Body, want)
	}
}

func TestReportsCSV_DefusesSpreadsheetFormulasInNames(t *testing.T) {
	f := newFixture(t)
	f.standard()
	scope := f.wholeDistrict()
	body := f.get("/reports/hours-per-student.csv", &scope).Body.String()
	if !strings.Contains(body, `"'=HYPERLINK(""http://x"")"`) {
		t.Fatalf("formula not defused:\n%s", body)
	}
	// Every year: j1's student also completed 10 of 10 hours in 2026.
	if !strings.Contains(body, "Adams High,S001,Student1,Kid,110,110,yes") ||
		!strings.Contains(body, "Total (8 students; 1 met required hours),,,,190,390,\n") {
		t.Fatalf("j1's row missing:\n%s", body)
	}
}

func TestReportsHandler_RefusesWithoutScopeAndRejectsBadInput(t *testing.T) {
	f := newFixture(t)
	scope := f.wholeDistrict()
	for path, want := range map[string]int{
		"/reports":             http.StatusForbidden,
		"/reports/perkins.csv": http.StatusForbidden,
	} {
		if rec := f.get(path, nil); rec.Code != want {
			t.Errorf("%s without scope: %d, want %d", path, rec.Code, want)
		}
	}
	for path, want := range map[string]int{
		"/reports/nope.csv":            http.StatusNotFound,
		"/reports/perkins":             http.StatusNotFound,
		"/reports?year=twenty":         http.StatusBadRequest,
		"/reports/perkins.csv?year=99": http.StatusBadRequest,
		"/reports/perkins.csv":         http.StatusOK,
	} {
		if rec := f.get(path, &scope); rec.Code != want {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
	}
}

func TestWriteCSV_KeepsNumbersAndQuotesText(t *testing.T) {
	var buf bytes.Buffer
	err := reports.WriteCSV(&buf, reports.Table{Columns: []string{"name", "n"},
		Rows: [][]string{{"+1 hack", "-3.5"}, {"@SUM(1)", "12"}, {"Ana, Jr.", "0"}}, Total: []string{"Total", "8.5"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "name,n\n'+1 hack,-3.5\n'@SUM(1),12\n\"Ana, Jr.\",0\nTotal,8.5\n"
	if buf.String() != want {
		t.Fatalf("csv =\n%s\nwant\n%s", buf.String(), want)
	}
}
