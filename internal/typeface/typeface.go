// Package typeface writes people's names and the forms around them on a
// PDF in embedded Unicode fonts, so "Nguyễn Thị Ánh", "Łukasz" and
// "王小明" print as written. DejaVu (Sans and Serif) carries Latin,
// Vietnamese, Greek and Cyrillic; Droid Sans Fallback carries the CJK
// characters DejaVu lacks, chosen run by run, so a mixed name renders.
// The fonts and their licences are in fonts/ (taken from Debian's
// fonts-dejavu-core, fonts-dejavu-extra and fonts-droid-fallback).
package typeface

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"
)

//go:embed fonts/*.ttf
var fonts embed.FS

// Family is a kind of letter; each maps to an embedded font (or, in a
// Legacy pen, to the PDF core font documents were drawn with before).
type Family int

// The families a document may ask for.
const (
	Sans  Family = iota // labels and body text
	Serif               // typed signatures and the certificate's name
	Mono                // hashes and codes: ASCII by construction
)

// files name each family and style's font; the fallback covers what they lack.
var files = map[Family]map[string]string{
	Sans:  {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"},
	Serif: {"I": "DejaVuSerif-Italic.ttf", "BI": "DejaVuSerif-BoldItalic.ttf"},
}

const fallbackFile = "DroidSansFallbackFull.ttf"

// core are the PDF core fonts: what a Legacy pen uses, and Mono always.
var core = map[Family]string{Sans: "Helvetica", Serif: "Times", Mono: "Courier"}

// Pen writes text on one PDF in the current family, style and size.
type Pen struct {
	pdf    *fpdf.Fpdf
	legacy bool
	tr     func(string) string
	family Family
	style  string
	size   float64
}

// New is a pen that writes in the embedded Unicode fonts.
func New(pdf *fpdf.Fpdf) *Pen { return &Pen{pdf: pdf} }

// Legacy is a pen that writes as documents were drawn before the
// embedded fonts (core fonts, Windows-1252), so a document made then can
// be drawn again byte for byte to check its hash.
func Legacy(pdf *fpdf.Fpdf) *Pen {
	return &Pen{pdf: pdf, legacy: true, tr: pdf.UnicodeTranslatorFromDescriptor("")}
}

// Font selects the family, style ("", "B", "I", "BI") and size in points.
func (p *Pen) Font(f Family, style string, size float64) {
	p.family, p.style, p.size = f, style, size
	p.pdf.SetFont(p.name(f, style, false), style, size)
}

// name is the fpdf font family for a family and style, registering the
// embedded font with this PDF the first time it is used.
func (p *Pen) name(f Family, style string, fallback bool) string {
	if p.legacy || f == Mono {
		return core[f]
	}
	file := files[f][style]
	if fallback {
		file = fallbackFile
	}
	if file == "" {
		p.pdf.SetError(fmt.Errorf("typeface: no %v font in style %q", f, style))
		return core[f]
	}
	b, err := fonts.ReadFile("fonts/" + file)
	if err != nil {
		p.pdf.SetError(err)
		return core[f]
	}
	family := strings.TrimSuffix(file, ".ttf")
	p.pdf.AddUTF8FontFromBytes(family, style, b) // a no-op once added
	return family
}

// run is a stretch of text one font draws.
type run struct {
	text     string
	fallback bool
}

// runs splits text where the main fonts lack a character (CJK), so each
// stretch is drawn by a font that has it. Spaces and punctuation both
// fonts share stay with the run they are in.
func (p *Pen) runs(text string) []run {
	if p.legacy || p.family == Mono {
		return []run{{text: text}}
	}
	cov := coverage()
	var out []run
	start, fb := 0, false
	for i, r := range text {
		need := !cov.has(r)
		if r == ' ' {
			need = fb
		}
		if i > start && need != fb {
			out = append(out, run{text[start:i], fb})
			start = i
		}
		fb = need
	}
	return append(out, run{text[start:], fb})
}

// use selects the font for one run at the pen's size.
func (p *Pen) use(r run) {
	style := p.style
	if r.fallback {
		style = "" // the fallback has one style
	}
	p.pdf.SetFont(p.name(p.family, style, r.fallback), style, p.size)
}

// text is what fpdf is given for a run: translated for core fonts.
func (p *Pen) text(s string) string {
	if p.legacy || p.family == Mono {
		if p.tr == nil {
			p.tr = p.pdf.UnicodeTranslatorFromDescriptor("")
		}
		return p.tr(s)
	}
	return s
}

// Width is the text's width in the current font, in the PDF's units.
func (p *Pen) Width(text string) float64 {
	rs := p.runs(text)
	var w float64
	for _, r := range rs {
		p.use(r)
		w += p.pdf.GetStringWidth(p.text(r.text))
	}
	p.use(run{})
	return w
}

// Cell is fpdf's CellFormat for text that may need more than one font.
func (p *Pen) Cell(w, h float64, text, border string, ln int, align string) {
	rs := p.runs(text)
	if len(rs) == 1 && !rs[0].fallback {
		p.pdf.CellFormat(w, h, p.text(text), border, ln, align, false, 0, "")
		return
	}
	pdf := p.pdf
	x, y := pdf.GetXY()
	if w == 0 {
		pageW, _ := pdf.GetPageSize()
		_, _, right, _ := pdf.GetMargins()
		w = pageW - right - x
	}
	// The cell's border first, then each run placed by the total width.
	pdf.CellFormat(w, h, "", border, ln, align, false, 0, "")
	after := func() (float64, float64) { return pdf.GetXY() }
	ax, ay := after()
	margin := pdf.GetCellMargin()
	total := p.Width(text)
	start := x + margin
	switch align {
	case "C", "CM", "CT", "CB", "CA":
		start = x + (w-total)/2
	case "R", "RM", "RT", "RB", "RA":
		start = x + w - margin - total
	}
	pdf.SetCellMargin(0)
	pdf.SetXY(start, y)
	for _, r := range rs {
		p.use(r)
		pdf.CellFormat(pdf.GetStringWidth(r.text), h, r.text, "", 0, "L", false, 0, "")
	}
	pdf.SetCellMargin(margin)
	p.use(run{})
	pdf.SetXY(ax, ay)
}

// MultiCell is fpdf's left-aligned MultiCell across the page for text
// that may need more than one font: runs flow on, wrapping at the margin.
func (p *Pen) MultiCell(h float64, text string) {
	rs := p.runs(text)
	if len(rs) == 1 && !rs[0].fallback {
		p.pdf.MultiCell(0, h, p.text(text), "", "L", false)
		return
	}
	for _, r := range rs {
		p.use(r)
		p.pdf.Write(h, r.text)
	}
	p.use(run{})
	p.pdf.Ln(h)
}

var (
	coverOnce sync.Once
	cover     runeSet
)

// coverage is the set of characters the main (DejaVu) fonts draw; every
// style covers the same scripts, so the regular face stands for them.
func coverage() runeSet {
	coverOnce.Do(func() {
		b, err := fonts.ReadFile("fonts/" + files[Sans][""])
		if err == nil {
			cover, err = cmapRunes(b)
		}
		if err != nil {
			panic(fmt.Sprintf("typeface: embedded font unreadable: %v", err)) // a broken build, not input
		}
	})
	return cover
}
