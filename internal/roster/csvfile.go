package roster

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// table reads one CSV file of a bundle: header first, then rows with the
// line number each starts on (quoted fields may span lines).
type table struct {
	file  string
	rc    io.ReadCloser
	r     *csv.Reader
	cols  map[string]int
	names []string
	idCol string
}

// openTable opens file and reads its header. Header names are matched
// case-insensitively because OneRoster 1.1 and 1.2 exporters disagree on
// case, and a byte-order mark (Excel's UTF-8) is dropped.
func openTable(b *Bundle, file, idCol string) (*table, error) {
	rc, err := b.open(file)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rc, 256<<10)
	if bom, _ := br.Peek(3); string(bom) == "\xef\xbb\xbf" {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1 // checked per row, so one short row is rejected, not fatal
	header, err := r.Read()
	if err != nil {
		rc.Close()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s is empty", file)
		}
		return nil, fmt.Errorf("%s header: %w", file, err)
	}
	t := &table{file: file, rc: rc, r: r, cols: map[string]int{}, idCol: idCol}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		t.names = append(t.names, name)
		if _, dup := t.cols[name]; !dup && name != "" {
			t.cols[name] = i
		}
	}
	return t, nil
}

func (t *table) close() { t.rc.Close() }

// has reports whether the header names col (lower-case).
func (t *table) has(col string) bool { _, ok := t.cols[col]; return ok }

// require fails when the header lacks a column the format cannot do without.
func (t *table) require(cols ...string) error {
	for _, c := range cols {
		if !t.has(c) {
			return fmt.Errorf("%s: the header has no %s column", t.file, c)
		}
	}
	return nil
}

// row is one record of a table.
type row struct {
	line   int
	fields []string
	t      *table
}

// get returns a column's trimmed value, "" when the column is absent.
func (r row) get(col string) string {
	i, ok := r.t.cols[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// rowError is a malformed row: the caller rejects it and reads on.
type rowError struct {
	line     int
	sourceID string
	reason   string
}

func (e *rowError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.reason) }

// next returns the next row, a *rowError for a malformed one, or io.EOF.
// Other errors (a truncated zip) end the file.
func (t *table) next() (row, error) {
	rec, err := t.r.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return row{}, &rowError{line: pe.StartLine, reason: "malformed CSV: " + pe.Err.Error()}
	case err != nil:
		if !errors.Is(err, io.EOF) {
			err = fmt.Errorf("read %s: %w", t.file, err)
		}
		return row{}, err
	}
	line, _ := t.r.FieldPos(0)
	r := row{line: line, fields: rec, t: t}
	if len(rec) != len(t.names) {
		return row{}, &rowError{line: line, sourceID: r.get(t.idCol),
			reason: fmt.Sprintf("wrong column count: %d, the header has %d", len(rec), len(t.names))}
	}
	return r, nil
}

// each calls fn for every well-formed row and reject for every malformed
// one.
func (t *table) each(fn func(row), reject func(*rowError)) error {
	for {
		r, err := t.next()
		var re *rowError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &re):
			reject(re)
		case err != nil:
			return err
		default:
			fn(r)
		}
	}
}

// list splits a OneRoster list field ("a,b" inside quotes).
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
