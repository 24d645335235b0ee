package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Record is one journey state change as the workflow wants it persisted:
// typed facts, timeline events and the read-model row, written in one
// transaction so dashboards never see a fact without its stage (or the
// reverse). Every part is idempotent, so a retried activity is harmless.
type Record struct {
	View   JourneyView    `json:"view"`
	Events []JourneyEvent `json:"events,omitempty"`
	Survey *SurveyFact    `json:"survey,omitempty"`
	// Close marks the journey completed or withdrawn.
	Close string `json:"close,omitempty"`
}

// RecordResult says what the write changed.
type RecordResult struct {
	ViewApplied bool `json:"view_applied"`
}

// SurveyFact is the student's interest survey.
type SurveyFact struct {
	Pathway        string   `json:"pathway"`
	Interests      []string `json:"interests"`
	Availability   string   `json:"availability"`
	Transport      string   `json:"transport"`
	Languages      []string `json:"languages"`
	ContactConsent bool     `json:"contact_consent"`
}

// ApplyRecord writes a Record in one transaction.
func (s *Store) ApplyRecord(ctx context.Context, r Record) (RecordResult, error) {
	var res RecordResult
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		q := &txStore{tx: tx}
		if err := q.facts(ctx, r); err != nil {
			return err
		}
		if err := q.events(ctx, r.Events); err != nil {
			return err
		}
		applied, err := upsertView(ctx, tx, r.View)
		res.ViewApplied = applied
		if err != nil {
			return err
		}
		if r.Close != "" {
			_, err = tx.Exec(ctx, `UPDATE journeys SET status = $2, closed_at = now() WHERE id = $1 AND status = 'open'`, r.View.JourneyID, r.Close)
		}
		return err
	})
	return res, err
}

type txStore struct{ tx pgx.Tx }

func (q *txStore) facts(ctx context.Context, r Record) error {
	id := r.View.JourneyID
	if f := r.Survey; f != nil {
		at := r.View.StageSince
		if len(r.Events) > 0 {
			at = r.Events[0].At
		}
		if _, err := q.tx.Exec(ctx, `
			INSERT INTO survey_responses (journey_id, pathway, interests, availability, transport, languages, contact_consent, submitted_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (journey_id) DO NOTHING`,
			id, f.Pathway, nonNil(f.Interests), f.Availability, f.Transport, nonNil(f.Languages), f.ContactConsent, at); err != nil {
			return err
		}
	}
	return nil
}

func (q *txStore) events(ctx context.Context, events []JourneyEvent) error {
	for _, e := range events {
		detail := e.Detail
		if len(detail) == 0 {
			detail = []byte(`{}`)
		}
		if _, err := q.tx.Exec(ctx, `INSERT INTO journey_events (journey_id, seq, kind, stage, actor_kind, actor_ref, detail, at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (journey_id, seq) DO NOTHING`,
			e.JourneyID, e.Seq, e.Kind, e.Stage, e.ActorKind, e.ActorRef, detail, e.At); err != nil {
			return err
		}
	}
	return nil
}

// nonNil stores an absent list as empty, not NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
