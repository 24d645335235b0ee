package testenv

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

var (
	pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	// pdfOp is a font selection or a shown string, in page order.
	pdfOp        = regexp.MustCompile(`(?s)/(F\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)\s*Tj`)
	pdfFontRef   = regexp.MustCompile(`/(F\S+) (\d+) 0 R`)
	pdfType0Font = regexp.MustCompile(`(\d+) 0 obj\s*<</Type /Font\s*/Subtype /Type0`)
)

// PDFText is the text a PDF made with fpdf shows, one line per text
// operator, as a reader would see it: page streams inflated, string
// escapes undone, strings in an embedded Unicode font read as the UTF-16
// they are, and the core fonts' Windows-1252 bytes read back as UTF-8
// (Latin-1, which agrees on every accented letter Spanish uses).
func PDFText(pdf []byte) string {
	unicodeFont := unicodeFonts(pdf)
	var out strings.Builder
	for _, m := range pdfStream.FindAllSubmatch(pdf, -1) {
		body := m[1]
		if zr, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			if b, err := io.ReadAll(zr); err == nil {
				body = b
			}
		}
		wide := false
		for _, op := range pdfOp.FindAllSubmatch(body, -1) {
			if op[1] != nil {
				wide = unicodeFont[string(op[1])]
				continue
			}
			out.WriteString(decodePDFString(unescapePDF(op[2]), wide))
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// unicodeFonts are the resource names (F1, ...) of the PDF's Type0
// fonts: fpdf's embedded UTF-8 fonts, whose strings are UTF-16BE.
func unicodeFonts(pdf []byte) map[string]bool {
	type0 := map[string]bool{}
	for _, m := range pdfType0Font.FindAllSubmatch(pdf, -1) {
		type0[string(m[1])] = true
	}
	out := map[string]bool{}
	for _, m := range pdfFontRef.FindAllSubmatch(pdf, -1) {
		if type0[string(m[2])] {
			out[string(m[1])] = true
		}
	}
	return out
}

func decodePDFString(b []byte, wide bool) string {
	if !wide {
		var out strings.Builder
		for _, c := range b {
			out.WriteRune(rune(c)) // Latin-1: the byte is the code point
		}
		return out.String()
	}
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(units))
}

func unescapePDF(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\\' && i+1 < len(b) {
			i++
			switch b[i] {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			default:
				c = b[i]
			}
		}
		out = append(out, c)
	}
	return out
}
