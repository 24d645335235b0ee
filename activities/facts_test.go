package activities

import (
	"reflect"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows/facts"
)

// TestFactsMatchStore_JSONNames guards restate: every workflow fact type
// has the same JSON fields, of the same shapes, as the store type the
// activities read it as.
func TestFactsMatchStore_JSONNames(t *testing.T) {
	pairs := []struct{ wf, st any }{
		{facts.Record{}, store.Record{}},
		{facts.TimesheetFact{}, store.TimesheetFact{}},
		{facts.WaitSet{}, store.WaitSet{}},
		{facts.SignatureFact{}, store.SignatureFact{}},
		{facts.PostingInfo{}, store.PostingInfo{}},
		{facts.FoundResolve{}, store.FoundResolve{}},
	}
	for _, p := range pairs {
		sameShape(t, reflect.TypeOf(p.wf).Name(), reflect.TypeOf(p.wf), reflect.TypeOf(p.st))
	}
	if facts.JourneyWaitOwner != store.JourneyWaitOwner || facts.WeekWaitOwner("2026-06-01") != store.WeekWaitOwner("2026-06-01") {
		t.Error("wait owners differ between facts and store")
	}
}

func sameShape(t *testing.T, path string, a, b reflect.Type) {
	t.Helper()
	if a.Kind() != b.Kind() {
		t.Errorf("%s: %s vs %s", path, a, b)
		return
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Slice:
		sameShape(t, path+"[]", a.Elem(), b.Elem())
	case reflect.Struct:
		if a.PkgPath() != factsPkg && a == b {
			return // a shared type (time.Time, found.Details)
		}
		if a.NumField() != b.NumField() {
			t.Errorf("%s: %d fields vs %d", path, a.NumField(), b.NumField())
			return
		}
		for i := range a.NumField() {
			fa, fb := a.Field(i), b.Field(i)
			if fa.Name != fb.Name || fa.Tag.Get("json") != fb.Tag.Get("json") {
				t.Errorf("%s: field %s %q vs %s %q", path, fa.Name, fa.Tag.Get("json"), fb.Name, fb.Tag.Get("json"))
				continue
			}
			sameShape(t, path+"."+fa.Name, fa.Type, fb.Type)
		}
	default:
		if a != b && !(strings.HasPrefix(a.PkgPath(), factsPkg) && a.Kind() == b.Kind()) {
			t.Errorf("%s: %s vs %s", path, a, b)
		}
	}
}

const factsPkg = "github.com/internflow/internflow/workflows/facts"
