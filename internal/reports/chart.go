package reports

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Chart is a small horizontal bar chart drawn on the server as inline SVG:
// one bar per category (a school, a stage), each split into one segment
// per series (Stacked) or drawn as one thin bar per series side by side.
// Pages have no script and the site's CSP forbids inline styles, so every
// colour and size is an SVG presentation attribute. Series differ by
// colour and by pattern, every bar carries its value as text, and the
// page shows the figures again in the table beside the chart.
type Chart struct {
	// ID is unique on the page; it prefixes the SVG's element ids.
	ID    string
	Title string
	// Desc says in a sentence what the chart shows (read with the title).
	Desc string
	// Series names the values of every bar, in order (the legend).
	Series []string
	Bars   []Bar
	// Stacked puts a bar's values end to end; otherwise each value gets
	// its own bar.
	Stacked bool
}

// Bar is one category's values, one per series.
type Bar struct {
	Label  string
	Values []float64
}

// Geometry in SVG user units (the stylesheet scales the whole drawing).
const (
	chartWidth  = 760
	labelWidth  = 210 // category names, right-aligned before the bars
	valueWidth  = 64  // room for the value after the longest bar
	plotLeft    = labelWidth + 8
	plotWidth   = chartWidth - plotLeft - valueWidth
	stackHeight = 22 // a stacked bar
	groupHeight = 15 // one series' bar in a group
	barGap      = 12
	legendRow   = 22
	// labelRunes shortens long school names; the full name stays in a
	// tooltip and in the table.
	labelRunes = 30
	// minLabelled is the narrowest stacked segment that shows its value.
	minLabelled = 26
)

// fill is one series' look: a colour with at least 3:1 contrast on white
// and a pattern, so series differ without relying on colour.
type fill struct{ colour, pattern string }

var fills = []fill{
	{"#1a4480", ""},           // navy, solid
	{"#b34700", "diagonal"},   // burnt orange, diagonal stripes
	{"#0f6e5e", "dots"},       // teal, dots
	{"#6a2c91", "cross"},      // purple, cross-hatch
	{"#4d4d4d", "vertical"},   // grey, vertical stripes
	{"#8a1538", "horizontal"}, // maroon, horizontal stripes
}

// SVG draws the chart. Text is escaped; an empty chart says so.
func (c Chart) SVG() template.HTML {
	var b strings.Builder
	legendH := c.legendHeight()
	rowH := c.rowHeight()
	height := legendH + len(c.Bars)*(rowH+barGap) + barGap
	if len(c.Bars) == 0 {
		height = legendH + 40
	}
	id := esc(c.ID)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" font-family="system-ui, sans-serif" font-size="13" fill="#1b1b1b">`,
		id, id, chartWidth, height)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%s-desc">%s The table below gives the figures.</desc>`,
		id, esc(c.Title), id, esc(c.Desc))
	c.patterns(&b)
	c.legend(&b)
	if len(c.Bars) == 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d">Nothing to show yet.</text>`, plotLeft, legendH+24)
	}
	scale := c.scale()
	for i, bar := range c.Bars {
		top := legendH + barGap + i*(rowH+barGap)
		c.bar(&b, bar, top, scale)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text and attribute above is escaped
}

// scale is user units per unit of value: the longest bar fills the plot.
// All-zero data gives 0, so bars have no width rather than NaN.
func (c Chart) scale() float64 {
	peak := 0.0
	for _, bar := range c.Bars {
		sum := 0.0
		for _, v := range bar.Values {
			v = math.Max(v, 0)
			if c.Stacked {
				sum += v
			} else {
				peak = math.Max(peak, v)
			}
		}
		peak = math.Max(peak, sum)
	}
	if peak == 0 {
		return 0
	}
	return plotWidth / peak
}

func (c Chart) rowHeight() int {
	if c.Stacked || len(c.Series) < 2 {
		return stackHeight
	}
	return groupHeight * len(c.Series)
}

// legendHeight: a chart with one series needs no legend.
func (c Chart) legendHeight() int {
	if len(c.Series) < 2 {
		return 0
	}
	return legendRow * len(c.legendRows())
}

// legendRows wraps the legend's entries (x offsets) to the chart's width.
func (c Chart) legendRows() [][]int {
	var rows [][]int
	var row []int
	x := 0
	for _, name := range c.Series {
		w := 24 + 7*utf8.RuneCountInString(name) + 18
		if x > 0 && x+w > chartWidth {
			rows, row, x = append(rows, row), nil, 0
		}
		row = append(row, x)
		x += w
	}
	return append(rows, row)
}

func (c Chart) legend(b *strings.Builder) {
	if len(c.Series) < 2 {
		return
	}
	i := 0
	for r, row := range c.legendRows() {
		for _, x := range row {
			y := r*legendRow + 4
			fmt.Fprintf(b, `<rect x="%d" y="%d" width="16" height="14" fill="%s" stroke="#1b1b1b" stroke-width="0.5"/>`, x, y, c.paint(i))
			fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`, x+22, y+12, esc(c.Series[i]))
			i++
		}
	}
}

// patterns defines each series' pattern once (ids are per chart).
func (c Chart) patterns(b *strings.Builder) {
	b.WriteString(`<defs>`)
	for i := range c.Series {
		f := fills[i%len(fills)]
		if f.pattern == "" {
			continue
		}
		fmt.Fprintf(b, `<pattern id="%s-p%d" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="%s"/>`,
			esc(c.ID), i, f.colour)
		switch f.pattern {
		case "diagonal":
			b.WriteString(`<path d="M-1 1l2-2M0 6l6-6M5 7l2-2" stroke="#fff" stroke-width="1.2"/>`)
		case "dots":
			b.WriteString(`<circle cx="3" cy="3" r="1.2" fill="#fff"/>`)
		case "cross":
			b.WriteString(`<path d="M0 0l6 6M6 0l-6 6" stroke="#fff" stroke-width="0.9"/>`)
		case "vertical":
			b.WriteString(`<path d="M3 0v6" stroke="#fff" stroke-width="1.2"/>`)
		case "horizontal":
			b.WriteString(`<path d="M0 3h6" stroke="#fff" stroke-width="1.2"/>`)
		}
		b.WriteString(`</pattern>`)
	}
	b.WriteString(`</defs>`)
}

// paint is series i's fill attribute value.
func (c Chart) paint(i int) string {
	f := fills[i%len(fills)]
	if f.pattern == "" {
		return f.colour
	}
	return fmt.Sprintf("url(#%s-p%d)", esc(c.ID), i)
}

// bar draws one category: its name, its segments or bars, its values.
func (c Chart) bar(b *strings.Builder, bar Bar, top int, scale float64) {
	rowH := c.rowHeight()
	label, short := shorten(bar.Label)
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">`, labelWidth, top+rowH/2+5)
	if short {
		fmt.Fprintf(b, `<title>%s</title>`, esc(bar.Label))
	}
	fmt.Fprintf(b, `%s</text>`, esc(label))
	if c.Stacked {
		c.stack(b, bar, top, scale)
		return
	}
	for i, v := range bar.Values {
		y := top + i*groupHeight
		w := math.Max(v, 0) * scale
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s</title></rect>`,
			plotLeft, y+1, num(w), groupHeight-2, c.paint(i), esc(c.seriesName(i)), hours(v))
		fmt.Fprintf(b, `<text x="%s" y="%d" font-size="12">%s</text>`, num(plotLeft+w+4), y+groupHeight-3, hours(v))
	}
}

// stack draws a bar's values end to end, each segment labelled with its
// value when it is wide enough, and the total after the bar.
func (c Chart) stack(b *strings.Builder, bar Bar, top int, scale float64) {
	x, total := float64(plotLeft), 0.0
	for i, v := range bar.Values {
		v = math.Max(v, 0)
		total += v
		w := v * scale
		if w == 0 {
			continue
		}
		// A white edge keeps neighbouring segments apart.
		fmt.Fprintf(b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s" stroke="#fff" stroke-width="1"><title>%s: %s</title></rect>`,
			num(x), top, num(w), stackHeight, c.paint(i), esc(c.seriesName(i)), hours(v))
		if w >= minLabelled {
			// Dark text with a white halo reads on every colour and pattern.
			fmt.Fprintf(b, `<text x="%s" y="%d" text-anchor="middle" font-size="12" font-weight="600" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`,
				num(x+w/2), top+stackHeight/2+4, hours(v))
		}
		x += w
	}
	fmt.Fprintf(b, `<text x="%s" y="%d" font-weight="600">%s</text>`, num(x+4), top+stackHeight/2+5, hours(total))
}

func (c Chart) seriesName(i int) string {
	if i < len(c.Series) {
		return c.Series[i]
	}
	return ""
}

// shorten cuts a long label to labelRunes, saying whether it did.
func shorten(s string) (string, bool) {
	if utf8.RuneCountInString(s) <= labelRunes {
		return s, false
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:labelRunes-1])) + "…", true
}

// num formats a coordinate with one decimal at most.
func num(v float64) string { return fmt.Sprintf("%g", math.Round(v*10)/10) }

func esc(s string) string { return template.HTMLEscapeString(s) }
