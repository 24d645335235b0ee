package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/workflows/facts"
)

func writeHoursDecision(ctx context.Context, tx pgx.Tx, journeyID string, f *facts.HoursDecisionFact) error {
	if f == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE timesheets SET hours_decision = $3, hours_decided_by = $4, hours_decided_at = $5,
		hours_decision_reason = $6 WHERE journey_id = $1 AND week_start = $2 AND hours_decision IS NULL`,
		journeyID, f.Week, f.Decision, f.StaffID, f.At, f.Reason)
	return err
}

// RuledWeek is a timesheet week that breaks an hour rule, as staff see it.
type RuledWeek struct {
	Week     string
	Status   string
	Hours    float64
	Withheld float64
	Breaches []hours.Breach
	// Decision is "" while the withheld hours wait for staff.
	Decision, DecidedBy, Reason string
	DecidedAt                   *time.Time
}

// RuledWeeks lists a journey's weeks that break an hour rule, newest first.
func (s *Store) RuledWeeks(ctx context.Context, journeyID string) ([]RuledWeek, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT t.week_start::text, t.status, t.hours_total::float8, t.hours_withheld::float8, t.breaches,
			COALESCE(t.hours_decision,''), COALESCE(st.name,''), COALESCE(t.hours_decision_reason,''), t.hours_decided_at
		FROM timesheets t LEFT JOIN staff st ON st.id::text = t.hours_decided_by
		WHERE t.journey_id = $1 AND t.breaches <> '[]'::jsonb ORDER BY t.week_start DESC`, journeyID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (RuledWeek, error) {
		var w RuledWeek
		var raw []byte
		if err := r.Scan(&w.Week, &w.Status, &w.Hours, &w.Withheld, &raw, &w.Decision, &w.DecidedBy, &w.Reason, &w.DecidedAt); err != nil {
			return w, err
		}
		return w, json.Unmarshal(raw, &w.Breaches)
	})
}

// TimesheetBreaches reads a week's breaches and withheld hours (none: an
// empty list).
func (s *Store) TimesheetBreaches(ctx context.Context, journeyID, week string) ([]hours.Breach, float64, error) {
	var raw []byte
	var withheld float64
	err := s.Pool.QueryRow(ctx, `SELECT breaches, hours_withheld::float8 FROM timesheets WHERE journey_id = $1 AND week_start = $2`,
		journeyID, week).Scan(&raw, &withheld)
	if err != nil {
		return nil, 0, notFound(err)
	}
	var bs []hours.Breach
	return bs, withheld, json.Unmarshal(raw, &bs)
}

// DistrictHourRules are the hour rules for minors in the district's
// state: the federal rules and the state's.
func (s *Store) DistrictHourRules(ctx context.Context, districtID string) ([]hours.Rule, error) {
	d, err := s.GetDistrict(ctx, districtID)
	if err != nil {
		return nil, err
	}
	return hours.For(d.State), nil
}

// ErrBadState is a state that is not a two-letter US code.
var ErrBadState = errors.New("state: give the two-letter code of a US state, like CA")

// DistrictState is the district's US state (two letters).
func (s *Store) DistrictState(ctx context.Context, districtID string) (string, error) {
	var state string
	err := s.Pool.QueryRow(ctx, `SELECT state FROM districts WHERE id = $1`, districtID).Scan(&state)
	return state, notFound(err)
}

// SetDistrictState records the district's US state, audited with the
// staff member who set it. Programs enrolling students from now on follow
// the federal hour rules for minors and that state's; running journeys
// keep their rules until their program is migrated.
func (s *Store) SetDistrictState(ctx context.Context, districtID, state, staffID string) error {
	state = strings.ToUpper(strings.TrimSpace(state))
	if len(state) != 2 || strings.Trim(state, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return ErrBadState
	}
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var before string
		if err := tx.QueryRow(ctx, `SELECT state FROM districts WHERE id = $1 FOR UPDATE`, districtID).Scan(&before); err != nil {
			return notFound(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE districts SET state = $2 WHERE id = $1`, districtID, state); err != nil {
			return err
		}
		was, _ := json.Marshal(map[string]string{"state": before})
		now, _ := json.Marshal(map[string]string{"state": state})
		return writeAudit(ctx, tx, []AuditEntry{{DistrictID: districtID, ActorKind: "staff", ActorRef: staffID,
			Action: "district_state_set", EntityKind: "district", EntityID: districtID, Before: was, After: now}})
	})
}
