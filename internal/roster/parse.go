package roster

import (
	"fmt"
	"time"
)

// Parse reads and validates a bundle in the given format ("" detects it).
// now decides who is a minor. Malformed or invalid rows become Rejections;
// only an unreadable bundle is an error.
func Parse(b *Bundle, format string, now time.Time) (*Roster, error) {
	if format == "" {
		var err error
		if format, err = DetectFormat(b); err != nil {
			return nil, err
		}
	}
	bl := &builder{r: &Roster{Format: format}, now: now, first: map[string]int{},
		schoolLines: map[string]int{}, staffLines: map[string]int{}}
	var err error
	switch format {
	case FormatCSV:
		err = parsePlain(b, bl)
	case FormatOneRoster:
		err = parseOneRoster(b, bl)
	default:
		return nil, fmt.Errorf("unknown format %q (want %s or %s)", format, FormatOneRoster, FormatCSV)
	}
	if err != nil {
		return nil, err
	}
	return bl.r, nil
}

// builder accumulates a Roster while a parser reads.
type builder struct {
	r     *Roster
	now   time.Time
	first map[string]int // student source id → the line it first appeared on
	// schoolLines and staffLines find duplicate ids the same way.
	schoolLines, staffLines map[string]int
}

func (bl *builder) reject(file string, line int, sourceID, reason string) {
	bl.r.Rejected = append(bl.r.Rejected, Rejection{File: file, Line: line, SourceID: sourceID, Reason: reason})
}

// rejectRow rejects malformed rows of a file.
func (bl *builder) rejectRow(file string) func(*rowError) {
	return func(e *rowError) { bl.reject(file, e.line, e.sourceID, e.reason) }
}

// rejectStudentRow also counts a malformed row's student as listed.
func (bl *builder) rejectStudentRow(file string) func(*rowError) {
	return func(e *rowError) {
		if e.sourceID != "" {
			bl.seen(e.sourceID, e.line)
		}
		bl.reject(file, e.line, e.sourceID, e.reason)
	}
}

// seen records that the file lists a student, even if its row is bad: a
// typo must not flag the student missing. It reports the first line of a
// duplicate.
func (bl *builder) seen(id string, line int) (firstLine int, dup bool) {
	if first, ok := bl.first[id]; ok {
		return first, true
	}
	bl.first[id] = line
	bl.r.Seen = append(bl.r.Seen, id)
	return 0, false
}

// student validates one student row; the first row of a source id wins
// and later ones are rejected, since which one is right is unknowable.
func (bl *builder) student(rs rawStudent) {
	if rs.id != "" {
		if first, dup := bl.seen(rs.id, rs.line); dup {
			bl.reject(rs.file, rs.line, rs.id, fmt.Sprintf("duplicate student id (first on line %d)", first))
			return
		}
	}
	st, problems := rs.validate(bl.now)
	if len(problems) > 0 {
		bl.reject(rs.file, rs.line, rs.id, joinReasons(problems))
		return
	}
	bl.r.Students = append(bl.r.Students, st)
}

func (bl *builder) warn(format string, args ...any) {
	bl.r.Warnings = append(bl.r.Warnings, fmt.Sprintf(format, args...))
}
