package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// The employer partner record: what accumulates about an employer across
// program years (placements, completions, hours, what their supervisors
// rated and what the students said), so staff cultivate the partners that
// work and recommend them. Aggregates are the district's (the employer is
// a district partner); the students' own comments are read within the
// reader's scope, except those staff marked as shareable stories.

// PartnerYear is one program year of an employer's partner record.
type PartnerYear struct {
	Year        int
	Placements  int
	Completions int
	// Hours are the approved hours of the year's placements.
	Hours float64
	// Feedback counts the placements their supervisor rated; Ratings is
	// the average rating per soft skill (1-5) over those, Rating over
	// every skill.
	Feedback int
	Ratings  map[string]float64
	Rating   float64
	// Recommend is the students' average "would you recommend this
	// placement to a friend" (1-5) over Recommends answers.
	Recommend  float64
	Recommends int
}

// PartnerComment is a student's comment about their placement, for staff
// only: the employer never reads it.
type PartnerComment struct {
	JourneyID string
	Year      int
	School    string
	Recommend int
	Comment   string
	At        time.Time
	// Story: staff marked it a shareable story (StoryAt, by whom).
	Story   bool
	StoryAt *time.Time
	StoryBy string
	// InScope: the reader may open the student's page and mark the story.
	InScope bool
}

// PartnerRecord is an employer's record, newest program year first.
type PartnerRecord struct {
	Years    []PartnerYear
	Comments []PartnerComment
	MOUs     []MOUHistory
}

// RecommendScore is the students' recommendation of an employer: the
// average of Count answers (Count 0: none yet).
type RecommendScore struct {
	Average float64
	Count   int
}

// MOUHistory is one of an employer's MOUs with its dates.
type MOUHistory struct {
	ID                 string
	ProgramYear        int
	Status             string
	EmployerSignedAt   *time.Time
	ApprovedAt         *time.Time
	ImplementationDate *time.Time
	ExpiresOn          *time.Time
	// CarriedFrom is the program year whose MOU this one started from
	// (0: none), CarriedFields the terms taken from it unchanged.
	CarriedFrom   int
	CarriedFields []string
}

// EmployerPartnerRecord reads the employer's partner record within the
// scope's district; comments within its schools (stories from any).
func (s *Store) EmployerPartnerRecord(ctx context.Context, sc Scope, employerID string) (PartnerRecord, error) {
	var pr PartnerRecord
	if err := sc.check(); err != nil {
		return pr, err
	}
	var err error
	if pr.Years, err = s.partnerYears(ctx, sc.DistrictID, employerID); err != nil {
		return pr, err
	}
	if pr.Comments, err = s.partnerComments(ctx, sc, employerID); err != nil {
		return pr, err
	}
	pr.MOUs, err = s.EmployerMOUs(ctx, employerID)
	return pr, err
}

// partnerPlacements are an employer's placements of the district's
// journeys, with the journey's program year: the base of every figure.
const partnerPlacements = `
	SELECT pl.journey_id, j.program_year, j.status, jv.hours_approved, jv.school_id
	FROM placements pl JOIN journeys j ON j.id = pl.journey_id JOIN journey_view jv ON jv.journey_id = pl.journey_id
	WHERE pl.employer_id = $1 AND jv.district_id = $2`

func (s *Store) partnerYears(ctx context.Context, districtID, employerID string) ([]PartnerYear, error) {
	rows, err := s.Pool.Query(ctx, `WITH p AS (`+partnerPlacements+`)
		SELECT p.program_year, count(*)::int, count(*) FILTER (WHERE p.status = 'completed')::int,
			COALESCE(sum(p.hours_approved), 0)::float8, count(fb.journey_id)::int,
			COALESCE(avg(r.recommend), 'NaN')::float8, count(r.recommend)::int
		FROM p LEFT JOIN employer_feedback fb ON fb.journey_id = p.journey_id
		LEFT JOIN reflections r ON r.journey_id = p.journey_id
		GROUP BY p.program_year ORDER BY p.program_year DESC`, employerID, districtID)
	if err != nil {
		return nil, fmt.Errorf("partner years: %w", err)
	}
	years, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PartnerYear, error) {
		y := PartnerYear{Ratings: map[string]float64{}, Rating: math.NaN()}
		return y, r.Scan(&y.Year, &y.Placements, &y.Completions, &y.Hours, &y.Feedback, &y.Recommend, &y.Recommends)
	})
	if err != nil {
		return nil, fmt.Errorf("partner years: %w", err)
	}
	// The supervisors' ratings per skill (and over all skills) by year.
	rows, err = s.Pool.Query(ctx, `WITH p AS (`+partnerPlacements+`)
		SELECT p.program_year, COALESCE(rt.key, ''), avg(rt.value::numeric)::float8
		FROM p JOIN employer_feedback fb ON fb.journey_id = p.journey_id, jsonb_each_text(fb.ratings) rt
		GROUP BY GROUPING SETS ((p.program_year, rt.key), (p.program_year))`, employerID, districtID)
	if err != nil {
		return nil, fmt.Errorf("partner ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var year int
		var skill string
		var avg float64
		if err := rows.Scan(&year, &skill, &avg); err != nil {
			return nil, fmt.Errorf("partner ratings: %w", err)
		}
		for i := range years {
			switch {
			case years[i].Year != year:
			case skill == "":
				years[i].Rating = avg
			default:
				years[i].Ratings[skill] = avg
			}
		}
	}
	return years, rows.Err()
}

func (s *Store) partnerComments(ctx context.Context, sc Scope, employerID string) ([]PartnerComment, error) {
	rows, err := s.Pool.Query(ctx, `WITH p AS (`+partnerPlacements+`)
		SELECT p.journey_id::text, p.program_year, sc.name, COALESCE(r.recommend, 0), r.comment, r.submitted_at,
			r.story_marked_at, COALESCE(st.name, ''), ($3 OR p.school_id = ANY($4::uuid[]))
		FROM p JOIN reflections r ON r.journey_id = p.journey_id JOIN schools sc ON sc.id = p.school_id
		LEFT JOIN staff st ON st.id = r.story_marked_by
		WHERE btrim(r.comment) <> '' AND ($3 OR p.school_id = ANY($4::uuid[]) OR r.story_marked_at IS NOT NULL)
		ORDER BY p.program_year DESC, r.submitted_at DESC, p.journey_id`,
		employerID, sc.DistrictID, sc.SchoolIDs == nil, nonNil(sc.SchoolIDs))
	if err != nil {
		return nil, fmt.Errorf("partner comments: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PartnerComment, error) {
		var c PartnerComment
		err := r.Scan(&c.JourneyID, &c.Year, &c.School, &c.Recommend, &c.Comment, &c.At, &c.StoryAt, &c.StoryBy, &c.InScope)
		c.Story = c.StoryAt != nil
		return c, err
	})
}

// EmployerMOUs lists every MOU of an employer, newest program year first.
func (s *Store) EmployerMOUs(ctx context.Context, employerID string) ([]MOUHistory, error) {
	rows, err := s.Pool.Query(ctx, `SELECT m.id::text, m.program_year, m.status, m.employer_signed_at, m.approved_at,
			m.implementation_date::timestamptz, m.expires_on::timestamptz, COALESCE(prev.program_year, 0), m.carried_fields
		FROM mous m LEFT JOIN mous prev ON prev.id = m.carried_from
		WHERE m.employer_id = $1 ORDER BY m.program_year DESC`, employerID)
	if err != nil {
		return nil, fmt.Errorf("mou history: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[MOUHistory])
}

// EmployerRecommendScore is the students' recommendation of an employer
// over every program year, in the district.
func (s *Store) EmployerRecommendScore(ctx context.Context, districtID, employerID string) (RecommendScore, error) {
	var sc RecommendScore
	err := s.Pool.QueryRow(ctx, `WITH p AS (`+partnerPlacements+`)
		SELECT COALESCE(avg(r.recommend), 0)::float8, count(r.recommend)::int
		FROM p JOIN reflections r ON r.journey_id = p.journey_id`, employerID, districtID).Scan(&sc.Average, &sc.Count)
	if err != nil {
		return sc, fmt.Errorf("recommend score: %w", err)
	}
	return sc, nil
}

// MarkStory marks (or unmarks) a student's comment about their placement
// as a shareable story, with its audit entry. The comment must be about
// the employer's placement and its journey within the scope; else
// ErrNotFound.
func (s *Store) MarkStory(ctx context.Context, by Editor, sc Scope, employerID, journeyID string, story bool) error {
	if err := sc.check(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var schoolID string
		err := tx.QueryRow(ctx, `UPDATE reflections r SET
				story_marked_at = CASE WHEN $5 THEN COALESCE(r.story_marked_at, now()) END,
				story_marked_by = CASE WHEN $5 THEN COALESCE(r.story_marked_by, NULLIF($6,'')::uuid) END
			FROM placements pl JOIN journey_view jv ON jv.journey_id = pl.journey_id
			WHERE r.journey_id = $1 AND pl.journey_id = r.journey_id AND pl.employer_id = $2 AND jv.district_id = $3
				AND ($4 OR jv.school_id = ANY($7::uuid[])) AND btrim(r.comment) <> ''
			RETURNING jv.school_id::text`,
			journeyID, employerID, sc.DistrictID, sc.SchoolIDs == nil, story, by.StaffID, nonNil(sc.SchoolIDs)).Scan(&schoolID)
		if err != nil {
			return notFound(err)
		}
		action := "story_marked"
		if !story {
			action = "story_unmarked"
		}
		return writeAudit(ctx, tx, []AuditEntry{{DistrictID: by.DistrictID, SchoolID: schoolID, ActorKind: "staff", ActorRef: by.StaffID,
			Action: action, EntityKind: "reflection", EntityID: journeyID, IP: by.IP}})
	})
}
