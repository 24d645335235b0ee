package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Scope is what a signed-in staff member may read: one district and,
// unless SchoolIDs is nil, only those schools. Every dashboard query and
// every report takes one and applies it in SQL, so a row out of scope is
// simply not found.
type Scope struct {
	DistrictID string
	// SchoolIDs nil means the whole district (district roles); an empty,
	// non-nil slice means no school at all, never "everything".
	SchoolIDs []string
}

// Check refuses malformed ids before they reach SQL as a cast error; the
// reports, which run their own scoped SQL, check with it too.
func (sc Scope) Check() error { return sc.check() }

func (sc Scope) check() error {
	if _, err := uuid.Parse(sc.DistrictID); err != nil {
		return fmt.Errorf("scope: district id %q is not a UUID", sc.DistrictID)
	}
	for _, id := range sc.SchoolIDs {
		if _, err := uuid.Parse(id); err != nil {
			return fmt.Errorf("scope: school id %q is not a UUID", id)
		}
	}
	return nil
}

// sqlQuery builds a WHERE clause with numbered arguments.
type sqlQuery struct {
	conds []string
	args  []any
}

func (q *sqlQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *sqlQuery) and(cond string) { q.conds = append(q.conds, cond) }

func (q *sqlQuery) where() string { return strings.Join(q.conds, " AND ") }

// scoped adds the scope's conditions on the journey_view alias.
func (q *sqlQuery) scoped(sc Scope, alias string) {
	q.and(alias + ".district_id = " + q.arg(sc.DistrictID) + "::uuid")
	switch {
	case sc.SchoolIDs == nil:
	case len(sc.SchoolIDs) == 1: // equality lets the planner use the per-school indexes
		q.and(alias + ".school_id = " + q.arg(sc.SchoolIDs[0]) + "::uuid")
	default:
		q.and(alias + ".school_id = ANY(" + q.arg(sc.SchoolIDs) + "::uuid[])")
	}
}

// Stage filters beyond the stage names themselves.
const (
	StageFilterOpen = ""    // every stage but completed and withdrawn
	StageFilterAll  = "all" // every journey
)

// ListFilter narrows the coordinator's student list.
type ListFilter struct {
	// Stage is StageFilterOpen, StageFilterAll or one stage.
	Stage     string
	WaitingOn string
	Overdue   bool
	// Search keeps students whose first, last or preferred name starts
	// with every word of it, or whose student number or state student id
	// is each word (case-insensitive).
	Search string
	// SchoolID keeps one school (within the scope).
	SchoolID string
}

// ListCursor is the keyset position of the last row shown: the list's
// order is overdue first, then longest in stage, then journey id.
type ListCursor struct {
	Overdue   bool
	Since     time.Time
	JourneyID string
}

// String encodes the cursor for a URL.
func (c ListCursor) String() string {
	raw := fmt.Sprintf("%t|%s|%s", c.Overdue, c.Since.UTC().Format(time.RFC3339Nano), c.JourneyID)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ErrBadCursor means a page cursor was not one this server made.
var ErrBadCursor = errors.New("bad page cursor")

// ParseListCursor decodes ListCursor.String.
func ParseListCursor(s string) (ListCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(raw), "|")
	if err != nil || len(parts) != 3 {
		return ListCursor{}, ErrBadCursor
	}
	var c ListCursor
	c.Overdue, err = strconv.ParseBool(parts[0])
	if err == nil {
		c.Since, err = time.Parse(time.RFC3339Nano, parts[1])
	}
	if _, uerr := uuid.Parse(parts[2]); err != nil || uerr != nil {
		return ListCursor{}, ErrBadCursor
	}
	c.JourneyID = parts[2]
	return c, nil
}

// ListRow is one student on the coordinator's list.
type ListRow struct {
	JourneyID     string
	StudentID     string
	SchoolID      string
	SchoolName    string
	FirstName     string
	LastName      string
	PreferredName string
	Grade         int
	Stage         string
	WaitingOn     string
	WaitingDetail string
	StageSince    time.Time
	// AskedAt is when the party now waited on was asked (the stage's
	// start for journeys written before that was recorded).
	AskedAt       time.Time
	Overdue       bool
	Unreachable   bool
	StuckReason   string
	NextNudgeAt   *time.Time
	HoursApproved float64
	HoursRequired float64
	// HoursHeld: some approved or submitted hours break an hour rule for
	// minors and wait for a staff decision.
	HoursHeld bool
	// StudentNumber and StateID are the roster's numbers for the student.
	StudentNumber string
	StateID       string
}

// Cursor is the keyset position after this row.
func (r ListRow) Cursor() ListCursor {
	return ListCursor{Overdue: r.Overdue, Since: r.StageSince, JourneyID: r.JourneyID}
}

// ListPage is one page of the list and the cursor of the next (nil on the
// last page).
type ListPage struct {
	Rows []ListRow
	Next *ListCursor
}

// MaxListLimit bounds a page (and a CSV export).
const MaxListLimit = 10000

// ListJourneys pages through the journeys in scope matching f, overdue
// first, then longest in their stage. after is the previous page's Next.
//
// Overdue is a boolean sorted descending, which a single row comparison
// cannot seek past; so the query is two branches (overdue, then not), each
// an index range scan from the cursor on (school or district, [stage or
// waiting_on,] overdue, stage_since, journey_id), and only the first
// limit+1 rows of each are ever read.
func (s *Store) ListJourneys(ctx context.Context, sc Scope, f ListFilter, after *ListCursor, limit int) (ListPage, error) {
	if err := sc.check(); err != nil {
		return ListPage{}, err
	}
	limit = min(max(limit, 1), MaxListLimit)
	q := &sqlQuery{}
	limitArg := q.arg(limit + 1)
	var branches []string
	for _, overdue := range []bool{true, false} {
		if (f.Overdue && !overdue) || (after != nil && !after.Overdue && overdue) {
			continue
		}
		b := &sqlQuery{args: q.args}
		listConditions(b, sc, f)
		b.and("jv.overdue = " + strconv.FormatBool(overdue))
		if after != nil && after.Overdue == overdue {
			b.and("(jv.stage_since, jv.journey_id) > (" + b.arg(after.Since) + "::timestamptz, " + b.arg(after.JourneyID) + "::uuid)")
		}
		q.args = b.args
		branches = append(branches, `(SELECT `+listColumns+` FROM journey_view jv JOIN students st ON st.id = jv.student_id
			WHERE `+b.where()+` ORDER BY jv.stage_since, jv.journey_id LIMIT `+limitArg+`)`)
	}
	sql := `SELECT b.*, sc.name FROM (` + strings.Join(branches, " UNION ALL ") + `) b
		JOIN schools sc ON sc.id = b.school_id
		ORDER BY b.overdue DESC, b.stage_since, b.journey_id LIMIT ` + limitArg
	rows, err := s.Pool.Query(ctx, sql, q.args...)
	if err != nil {
		return ListPage{}, fmt.Errorf("list journeys: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanListRow)
	if err != nil {
		return ListPage{}, fmt.Errorf("list journeys: %w", err)
	}
	page := ListPage{Rows: list}
	if len(list) > limit {
		page.Rows = list[:limit]
		next := list[limit-1].Cursor()
		page.Next = &next
	}
	return page, nil
}

// listConditions adds the scope and the filter (everything but the keyset).
func listConditions(q *sqlQuery, sc Scope, f ListFilter) {
	q.scoped(sc, "jv")
	if f.SchoolID != "" {
		q.and("jv.school_id = " + q.arg(f.SchoolID) + "::uuid")
	}
	switch f.Stage {
	case StageFilterOpen:
		q.and("jv.stage NOT IN ('completed', 'withdrawn')")
	case StageFilterAll:
	default:
		q.and("jv.stage = " + q.arg(f.Stage))
	}
	if f.WaitingOn != "" {
		waitingOnCondition(q, f.WaitingOn)
	}
	for _, word := range strings.Fields(strings.ToLower(f.Search)) {
		p := q.arg(likePrefix(word))
		n := q.arg(word)
		q.and("(lower(st.last_name) LIKE " + p + " OR lower(st.first_name) LIKE " + p +
			" OR lower(st.preferred_name) LIKE " + p + " OR lower(st.student_number) = " + n + " OR lower(st.state_id) = " + n + ")")
	}
}

// likePrefix escapes LIKE's wildcards so a search for "50%" means it.
func likePrefix(word string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(word) + "%"
}

const listColumns = `jv.journey_id, jv.student_id, jv.school_id, st.first_name, st.last_name,
	COALESCE(st.preferred_name, '') AS preferred_name, COALESCE(st.grade, 0)::int AS grade, jv.stage,
	` + waitingOnSQL + ` AS waiting_on, jv.waiting_detail, jv.stage_since, jv.overdue, jv.unreachable, jv.stuck_reason, jv.next_nudge_at,
	jv.hours_approved::float8 AS hours_approved, jv.hours_required::float8 AS hours_required,
	COALESCE(jv.waiting_since, jv.stage_since) AS asked_at,
	EXISTS (SELECT 1 FROM timesheets t WHERE t.journey_id = jv.journey_id AND t.hours_withheld > 0
		AND t.hours_decision IS NULL) AS hours_held,
	COALESCE(st.student_number, '') AS student_number, COALESCE(st.state_id, '') AS state_id`

func scanListRow(r pgx.CollectableRow) (ListRow, error) {
	var l ListRow
	err := r.Scan(&l.JourneyID, &l.StudentID, &l.SchoolID, &l.FirstName, &l.LastName, &l.PreferredName, &l.Grade,
		&l.Stage, &l.WaitingOn, &l.WaitingDetail, &l.StageSince, &l.Overdue, &l.Unreachable, &l.StuckReason,
		&l.NextNudgeAt, &l.HoursApproved, &l.HoursRequired, &l.AskedAt, &l.HoursHeld, &l.StudentNumber, &l.StateID, &l.SchoolName)
	return l, err
}
