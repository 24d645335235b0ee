package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows/facts"
)

// ClosingWords are what the student and the employer said as a journey
// ended: the student's reflection and the employer's ratings and comment.
// Both are told their coordinator can see them; the student page shows
// them.
type ClosingWords struct {
	Reflection *facts.ReflectionFact
	Feedback   *facts.FeedbackFact
	// Rater is the supervisor who gave the feedback ("" when unknown).
	Rater string
}

// JourneyClosingWords reads a journey's reflection and employer feedback
// (either may be missing). The caller has checked the journey is in scope.
func (s *Store) JourneyClosingWords(ctx context.Context, journeyID string) (ClosingWords, error) {
	var w ClosingWords
	var r facts.ReflectionFact
	err := s.Pool.QueryRow(ctx, `SELECT body, submitted_at, COALESCE(recommend, 0), comment FROM reflections WHERE journey_id = $1`,
		journeyID).Scan(&r.Body, &r.At, &r.Recommend, &r.Comment)
	switch {
	case err == nil:
		w.Reflection = &r
	case !errors.Is(err, pgx.ErrNoRows):
		return w, fmt.Errorf("reflection: %w", err)
	}
	var f facts.FeedbackFact
	var ratings []byte
	err = s.Pool.QueryRow(ctx, `SELECT fb.ratings, fb.comment, COALESCE(fb.supervisor_id::text, ''), fb.submitted_at, COALESCE(sv.name, '')
		FROM employer_feedback fb LEFT JOIN supervisors sv ON sv.id = fb.supervisor_id WHERE fb.journey_id = $1`, journeyID).
		Scan(&ratings, &f.Comment, &f.SupervisorID, &f.At, &w.Rater)
	switch {
	case err == nil:
		if err := json.Unmarshal(ratings, &f.Ratings); err != nil {
			return w, fmt.Errorf("feedback ratings: %w", err)
		}
		w.Feedback = &f
	case !errors.Is(err, pgx.ErrNoRows):
		return w, fmt.Errorf("employer feedback: %w", err)
	}
	return w, nil
}
