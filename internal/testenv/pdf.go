package testenv

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
)

var (
	pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)
	pdfShow   = regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`)
)

// PDFText is the text a PDF made with fpdf shows, one line per text
// operator, as a reader would see it: page streams inflated, string
// escapes undone, the core fonts' Windows-1252 bytes read back as UTF-8
// (Latin-1, which agrees on every accented letter Spanish uses).
func PDFText(pdf []byte) string {
	var out strings.Builder
	for _, m := range pdfStream.FindAllSubmatch(pdf, -1) {
		body := m[1]
		if zr, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			if b, err := io.ReadAll(zr); err == nil {
				body = b
			}
		}
		for _, s := range pdfShow.FindAllSubmatch(body, -1) {
			out.WriteString(unescapePDF(s[1]))
			out.WriteByte('\n')
		}
	}
	return out.String()
}

func unescapePDF(b []byte) string {
	var out strings.Builder
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
		out.WriteRune(rune(c)) // Latin-1: the byte is the code point
	}
	return out.String()
}
