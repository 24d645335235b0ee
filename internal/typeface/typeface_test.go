package typeface

import (
	"reflect"
	"testing"

	"github.com/go-pdf/fpdf"
)

// Text splits where DejaVu lacks a character: Vietnamese and Polish stay
// in one run, Chinese goes to the fallback, spaces stay with their run.
func TestRuns_FallbackOnlyForWhatDejaVuLacks(t *testing.T) {
	p := New(fpdf.New("P", "mm", "Letter", ""))
	for text, want := range map[string][]run{
		"Nguyễn Thị Ánh":    {{"Nguyễn Thị Ánh", false}},
		"Łukasz":            {{"Łukasz", false}},
		"王小明":               {{"王小明", true}},
		"Ming 王小明 Wang":     {{"Ming ", false}, {"王小明 ", true}, {"Wang", false}},
		"/s/ 王小明 (student)": {{"/s/ ", false}, {"王小明 ", true}, {"(student)", false}},
	} {
		if got := p.runs(text); !reflect.DeepEqual(got, want) {
			t.Errorf("runs(%q) = %v, want %v", text, got, want)
		}
	}
	if legacy := Legacy(fpdf.New("P", "mm", "Letter", "")); len(legacy.runs("Ming 王小明")) != 1 {
		t.Error("a legacy pen splits text")
	}
}
