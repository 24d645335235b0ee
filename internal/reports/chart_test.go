package reports_test

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/reports"
)

// element is one SVG element as a browser would read it.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parseSVG reads the chart as XML (it must be well formed) into its
// elements in document order.
func parseSVG(t *testing.T, svg string) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var out []element
	var open []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("chart is not well-formed SVG: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			open = append(open, len(out)-1)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			if len(open) > 0 {
				out[open[len(open)-1]].text += string(tok)
			}
		}
	}
}

// bars are the chart's data rectangles (those that carry a tooltip).
func bars(t *testing.T, els []element) []element {
	t.Helper()
	var out []element
	for i, e := range els {
		if e.name == "rect" && i+1 < len(els) && els[i+1].name == "title" {
			out = append(out, e)
		}
	}
	return out
}

func width(t *testing.T, e element) float64 {
	t.Helper()
	w, err := strconv.ParseFloat(e.attrs["width"], 64)
	if err != nil {
		t.Fatalf("bar width %q: %v", e.attrs["width"], err)
	}
	return w
}

func texts(els []element) string {
	var s []string
	for _, e := range els {
		if e.name == "text" {
			s = append(s, strings.TrimSpace(e.text))
		}
	}
	return strings.Join(s, "|")
}

func TestChart_BarsAreProportionalToValuesAndLabelled(t *testing.T) {
	c := reports.Chart{ID: "placements", Title: "Placements", Desc: "Placements by funding source.",
		Series: []string{"placements"}, Bars: []reports.Bar{{"Employer-paid", []float64{10}}, {"CTE-funded", []float64{5}}, {"City", []float64{2.5}}}}
	els := parseSVG(t, string(c.SVG()))
	got := bars(t, els)
	if len(got) != 3 {
		t.Fatalf("%d bars, want 3", len(got))
	}
	long := width(t, got[0])
	for i, want := range []float64{1, 0.5, 0.25} {
		if w := width(t, got[i]); w < want*long-0.2 || w > want*long+0.2 {
			t.Errorf("bar %d is %.1f wide, want %.2f of %.1f", i, w, want, long)
		}
	}
	for _, want := range []string{"Employer-paid", "CTE-funded", "10", "5", "2.5"} {
		if !strings.Contains("|"+texts(els)+"|", "|"+want+"|") {
			t.Errorf("chart shows no text %q: %s", want, texts(els))
		}
	}
}

func TestChart_IsAnImageNamedByItsTitleAndDescription(t *testing.T) {
	c := reports.Chart{ID: "hours", Title: "Hours approved vs required", Desc: "Per school.", Series: []string{"a"},
		Bars: []reports.Bar{{"X", []float64{1}}}}
	els := parseSVG(t, string(c.SVG()))
	svg := els[0]
	if svg.name != "svg" || svg.attrs["role"] != "img" || svg.attrs["aria-labelledby"] != "hours-title hours-desc" {
		t.Fatalf("root = %+v", svg)
	}
	ids := map[string]string{}
	for _, e := range els {
		if id := e.attrs["id"]; id != "" {
			ids[id] = e.name + ":" + e.text
		}
	}
	if ids["hours-title"] != "title:Hours approved vs required" || !strings.HasPrefix(ids["hours-desc"], "desc:Per school.") {
		t.Errorf("title and desc = %q, %q", ids["hours-title"], ids["hours-desc"])
	}
	if strings.Contains(string(c.SVG()), "style=") || strings.Contains(string(c.SVG()), "<style") || strings.Contains(string(c.SVG()), "<script") {
		t.Error("chart uses inline style or script, which the site's CSP blocks")
	}
}

func TestChart_EscapesLabelsAndTitles(t *testing.T) {
	evil := `<script>alert("x")</script> & "Co"`
	c := reports.Chart{ID: `a"b`, Title: evil, Desc: evil, Series: []string{evil, "b"},
		Bars: []reports.Bar{{evil, []float64{1, 2}}}, Stacked: true}
	svg := string(c.SVG())
	if strings.Contains(svg, "<script") || strings.Contains(svg, `a"b`) {
		t.Fatalf("unescaped text in chart:\n%s", svg)
	}
	els := parseSVG(t, svg)
	if !strings.Contains(texts(els), `<script>alert("x")</script> & "Co"`) {
		t.Errorf("the legend does not read the name back as written: %s", texts(els))
	}
}

func TestChart_ZeroValuesAndNoDataDrawNothingBroken(t *testing.T) {
	zero := reports.Chart{ID: "z", Title: "Z", Series: []string{"a", "b"}, Stacked: true,
		Bars: []reports.Bar{{"Adams", []float64{0, 0}}, {"Brown", []float64{0, 0}}}}
	svg := string(zero.SVG())
	if strings.Contains(svg, "NaN") || strings.Contains(svg, "Inf") {
		t.Fatalf("zero data gives %s", svg)
	}
	els := parseSVG(t, svg)
	if n := len(bars(t, els)); n != 0 {
		t.Errorf("zero values drew %d segments", n)
	}
	if tx := texts(els); !strings.Contains(tx, "Adams|0") || !strings.Contains(tx, "Brown|0") {
		t.Errorf("zero bars are not labelled 0: %s", tx)
	}
	grouped := reports.Chart{ID: "g", Title: "G", Series: []string{"a", "b"}, Bars: []reports.Bar{{"Adams", []float64{0, 0}}}}
	for _, b := range bars(t, parseSVG(t, string(grouped.SVG()))) {
		if width(t, b) != 0 {
			t.Errorf("zero value drawn %v wide", width(t, b))
		}
	}
	empty := reports.Chart{ID: "e", Title: "E", Series: []string{"a"}}
	if tx := texts(parseSVG(t, string(empty.SVG()))); tx != "Nothing to show yet." {
		t.Errorf("empty chart says %q", tx)
	}
}

func TestChart_LongSchoolNamesAreShortenedWithTheFullNameKept(t *testing.T) {
	long := "Dr. Martin Luther King Jr. Early College and Career Academy"
	c := reports.Chart{ID: "l", Title: "L", Series: []string{"a"}, Bars: []reports.Bar{{long, []float64{3}}}}
	els := parseSVG(t, string(c.SVG()))
	var label element
	for _, e := range els {
		if e.name == "text" && strings.HasPrefix(strings.TrimSpace(e.text), "Dr. Martin") {
			label = e
		}
	}
	if !strings.HasSuffix(label.text, "…") || len([]rune(label.text)) > 30 {
		t.Errorf("label %q is not shortened", label.text)
	}
	found := false
	for _, e := range els {
		found = found || (e.name == "title" && e.text == long)
	}
	if !found {
		t.Error("the full name is not kept as the label's tooltip")
	}
}

func TestChart_StackedSegmentsAddUpAndDifferByPatternNotOnlyColour(t *testing.T) {
	c := reports.Chart{ID: "f", Title: "F", Series: []string{"getting ready", "applying", "placed"}, Stacked: true,
		Bars: []reports.Bar{{"Adams", []float64{2, 1, 1}}, {"Brown", []float64{1, 1, 0}}}}
	els := parseSVG(t, string(c.SVG()))
	segs := bars(t, els)
	if len(segs) != 5 {
		t.Fatalf("%d segments, want 5 (zero segments are not drawn)", len(segs))
	}
	adams := width(t, segs[0]) + width(t, segs[1]) + width(t, segs[2])
	brown := width(t, segs[3]) + width(t, segs[4])
	if adams < 2*brown-0.3 || adams > 2*brown+0.3 {
		t.Errorf("Adams (4) is %.1f wide, Brown (2) %.1f", adams, brown)
	}
	fills := map[string]bool{}
	for _, s := range segs[:3] {
		fills[s.attrs["fill"]] = true
	}
	if len(fills) != 3 || !fills["url(#f-p1)"] || !fills["url(#f-p2)"] {
		t.Errorf("segment fills = %v, want a solid colour and two patterns", fills)
	}
	tx := texts(els)
	for _, want := range []string{"getting ready", "applying", "placed", "Adams", "|4", "|2"} {
		if !strings.Contains(tx, want) {
			t.Errorf("chart lacks %q (legend, names, totals): %s", want, tx)
		}
	}
}
