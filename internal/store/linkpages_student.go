package store

// The student's link pages' reads: their week of hours, badge, postings,
// applications, placement, trainings and deliverable.

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/hours"
)

// TimesheetDay is a day's hours and end time as stored.
type TimesheetDay struct {
	Hours float64
	End   string
}

// StoredTimesheet is a week of hours as stored, by work date.
type StoredTimesheet struct {
	Status     string
	Hours      float64
	ReviewNote string
	ReviewedAt string // "" never reviewed
	Breaches   []hours.Breach
	Withheld   float64
	Days       map[string]TimesheetDay
}

const (
	storedTimesheetSQL = `SELECT id, status, hours_total::float8, COALESCE(review_note,''), COALESCE(reviewed_at::text,''),
		breaches, hours_withheld::float8
		FROM timesheets WHERE journey_id = $1 AND week_start = $2`
	storedTimesheetDaysSQL = `SELECT work_date::text, hours::float8, COALESCE(end_time,'') FROM timesheet_entries WHERE timesheet_id = $1`
)

// StoredTimesheet reads a journey's week (ErrNotFound: nothing yet).
func (s *Store) StoredTimesheet(ctx context.Context, journeyID, week string) (StoredTimesheet, error) {
	var t StoredTimesheet
	var id string
	err := s.Pool.QueryRow(ctx, storedTimesheetSQL, journeyID, week).
		Scan(&id, &t.Status, &t.Hours, &t.ReviewNote, &t.ReviewedAt, &t.Breaches, &t.Withheld)
	if err != nil {
		return t, notFound(err)
	}
	rows, err := s.Pool.Query(ctx, storedTimesheetDaysSQL, id)
	if err != nil {
		return t, err
	}
	t.Days = map[string]TimesheetDay{}
	var d string
	var sd TimesheetDay
	_, err = pgx.ForEachRow(rows, []any{&d, &sd.Hours, &sd.End}, func() error { t.Days[d] = sd; return nil })
	return t, err
}

const lastBadgeReturnSQL = `SELECT COALESCE(detail->>'comment', '') FROM journey_events
		WHERE journey_id = $1 AND kind = 'badge_returned' ORDER BY seq DESC LIMIT 1`

// LastBadgeReturn is the coordinator's comment the last time they
// returned the badge documents (ErrNotFound: never returned).
func (s *Store) LastBadgeReturn(ctx context.Context, journeyID string) (string, error) {
	var comment string
	err := s.Pool.QueryRow(ctx, lastBadgeReturnSQL, journeyID).Scan(&comment)
	return comment, notFound(err)
}

const latestDocumentSQL = `SELECT id, filename FROM documents WHERE journey_id = $1 AND kind = $2
			ORDER BY created_at DESC LIMIT 1`

// LatestDocument is the journey's newest document of a kind (ErrNotFound:
// none).
func (s *Store) LatestDocument(ctx context.Context, journeyID, kind string) (id, filename string, err error) {
	err = s.Pool.QueryRow(ctx, latestDocumentSQL, journeyID, kind).Scan(&id, &filename)
	return id, filename, notFound(err)
}

const badgeDocumentSQL = `SELECT detail->>'document_id' FROM journey_events
		WHERE journey_id = $1 AND kind = $2 ORDER BY seq DESC LIMIT 1`

// BadgeDocument is the document the journey last accepted as the
// student's resume or cover letter (from its timeline: uploads the
// journey refused are not the student's badge); "" if none or on error.
func (s *Store) BadgeDocument(ctx context.Context, journeyID, kind string) string {
	var id string
	_ = s.Pool.QueryRow(ctx, badgeDocumentSQL, journeyID, "uploaded_"+kind).Scan(&id)
	return id
}

// SiteAddress is where a posting's work is, as the pages print it.
type SiteAddress struct {
	Name, Line1, City, State, Zip string
	Remote                        bool
}

// OfferOnLink is the offer a student is about to accept.
type OfferOnLink struct {
	Status, Title, Employer string
	HoursPerWeek            float64
	Schedule, PayType       string
	PayCents                int
	Site                    SiteAddress
}

const offerOnLinkSQL = `
		SELECT a.status, p.title, e.name, COALESCE(p.hours_per_week,0)::float8, COALESCE(p.schedule,''), p.pay_type,
			COALESCE(p.pay_cents,0), COALESCE(w.remote,false), COALESCE(w.name,''), COALESCE(w.address_line1,''),
			COALESCE(w.city,''), COALESCE(w.state,''), COALESCE(w.postal_code,'')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN employers e ON e.id = p.employer_id
		LEFT JOIN worksites w ON w.id = p.worksite_id
		WHERE a.id::text = $1 AND a.journey_id = $2`

// OfferOnLink reads an application of the journey with its posting.
func (s *Store) OfferOnLink(ctx context.Context, applicationID, journeyID string) (OfferOnLink, error) {
	var o OfferOnLink
	w := &o.Site
	err := s.Pool.QueryRow(ctx, offerOnLinkSQL, applicationID, journeyID).Scan(&o.Status, &o.Title, &o.Employer,
		&o.HoursPerWeek, &o.Schedule, &o.PayType, &o.PayCents, &w.Remote, &w.Name, &w.Line1, &w.City, &w.State, &w.Zip)
	return o, err
}

// ApplicationDetails is an application as the student reads it.
type ApplicationDetails struct {
	Status, Note, Title, Employer string
	Remote                        bool
	Address                       [4]string // line 1, city, state, postal code
}

const applicationDetailsSQL = `
		SELECT a.status, COALESCE(a.note,''), p.title, e.name, COALESCE(w.remote,false),
			COALESCE(w.address_line1,''), COALESCE(w.city,''), COALESCE(w.state,''), COALESCE(w.postal_code,'')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN employers e ON e.id = p.employer_id
		LEFT JOIN worksites w ON w.id = p.worksite_id
		WHERE a.id::text = $1 AND a.journey_id = $2`

// ApplicationDetails reads an application of the journey.
func (s *Store) ApplicationDetails(ctx context.Context, applicationID, journeyID string) (ApplicationDetails, error) {
	var a ApplicationDetails
	err := s.Pool.QueryRow(ctx, applicationDetailsSQL, applicationID, journeyID).Scan(&a.Status, &a.Note, &a.Title,
		&a.Employer, &a.Remote, &a.Address[0], &a.Address[1], &a.Address[2], &a.Address[3])
	return a, err
}

// OpenPosting is a published posting a student may apply to.
type OpenPosting struct {
	ID, Title, Description, Pathway, Employer string
	HoursPerWeek                              float64
	Schedule, PayType                         string
	PayCents                                  int
	Remote                                    bool
	City                                      string
	Deadline                                  *time.Time
	Requirements, Trainings                   []string
}

const openPostingsSQL = `
		SELECT p.id, p.title, p.description, COALESCE(p.pathway,''), e.name, COALESCE(p.hours_per_week,0)::float8,
			COALESCE(p.schedule,''), p.pay_type, COALESCE(p.pay_cents,0), COALESCE(w.remote,false), COALESCE(w.city,''), p.deadline,
			p.requirements, ARRAY(SELECT t.name FROM trainings t WHERE t.code = ANY(p.required_trainings) ORDER BY t.name)
		FROM postings p JOIN employers e ON e.id = p.employer_id LEFT JOIN worksites w ON w.id = p.worksite_id
		WHERE e.district_id = $1 AND p.status = 'published' AND (p.deadline IS NULL OR p.deadline >= current_date)
		  AND (p.program_id IS NULL OR p.program_id = $2)
		  AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.journey_id = $3 AND a.posting_id = p.id)
		ORDER BY p.deadline NULLS LAST, p.title LIMIT 100`

// OpenPostings are the district's published postings for the program
// that the journey has not applied to yet.
func (s *Store) OpenPostings(ctx context.Context, districtID, programID, journeyID string) ([]OpenPosting, error) {
	rows, err := s.Pool.Query(ctx, openPostingsSQL, districtID, programID, journeyID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (OpenPosting, error) {
		var p OpenPosting
		err := r.Scan(&p.ID, &p.Title, &p.Description, &p.Pathway, &p.Employer, &p.HoursPerWeek, &p.Schedule,
			&p.PayType, &p.PayCents, &p.Remote, &p.City, &p.Deadline, &p.Requirements, &p.Trainings)
		return p, err
	})
}

// LinkApplicant is an application as the employer deciding on it reads it.
type LinkApplicant struct {
	Status, PostingTitle, FirstName, Preferred, School string
	Grade                                              *int16
	Pathway                                            string
	Interests                                          []string
}

const linkApplicantSQL = `
		SELECT a.status, p.title, s.first_name, COALESCE(s.preferred_name,''), sc.name, s.grade,
			COALESCE(sr.pathway,''), COALESCE(sr.interests,'{}')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN journeys j ON j.id = a.journey_id
		JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
		LEFT JOIN survey_responses sr ON sr.journey_id = j.id
		WHERE a.id::text = $1 AND a.journey_id = $2`

// LinkApplicant reads an application of the journey with the student.
func (s *Store) LinkApplicant(ctx context.Context, applicationID, journeyID string) (LinkApplicant, error) {
	var a LinkApplicant
	err := s.Pool.QueryRow(ctx, linkApplicantSQL, applicationID, journeyID).Scan(&a.Status, &a.PostingTitle,
		&a.FirstName, &a.Preferred, &a.School, &a.Grade, &a.Pathway, &a.Interests)
	return a, err
}

const homeNamesSQL = `SELECT COALESCE(NULLIF(s.preferred_name,''), s.first_name), p.name
		FROM journeys j JOIN students s ON s.id = j.student_id JOIN programs p ON p.id = j.program_id
		WHERE j.id = $1`

// HomeNames are the student's first (preferred) name and the program's.
func (s *Store) HomeNames(ctx context.Context, journeyID string) (first, program string, err error) {
	err = s.Pool.QueryRow(ctx, homeNamesSQL, journeyID).Scan(&first, &program)
	return first, program, err
}

// ApplicationNote is the records' side of an application: the employer,
// their note, when it last changed.
type ApplicationNote struct {
	Employer, Note string
	Updated        time.Time
}

const applicationNotesSQL = `SELECT a.id::text, e.name, COALESCE(a.note,''), a.updated_at
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN employers e ON e.id = p.employer_id
		WHERE a.journey_id = $1`

// ApplicationNotes are the journey's applications by id.
func (s *Store) ApplicationNotes(ctx context.Context, journeyID string) (map[string]ApplicationNote, error) {
	rows, err := s.Pool.Query(ctx, applicationNotesSQL, journeyID)
	if err != nil {
		return nil, err
	}
	out := map[string]ApplicationNote{}
	var id string
	var n ApplicationNote
	_, err = pgx.ForEachRow(rows, []any{&id, &n.Employer, &n.Note, &n.Updated}, func() error { out[id] = n; return nil })
	return out, err
}

// HomePlacement is the student's placement as their own page shows it.
type HomePlacement struct {
	Title, Employer string
	Site            SiteAddress
	Schedule        string
	HoursPerWeek    float64
	PayType         string
	PayCents        int64
	Supervisor      string
}

const homePlacementSQL = `SELECT COALESCE(NULLIF(pl.title,''), po.title), e.name, COALESCE(w.name,''),
			COALESCE(w.address_line1,''), COALESCE(w.city,''), COALESCE(w.state,''), COALESCE(w.postal_code,''),
			COALESCE(w.remote, false), COALESCE(po.schedule,''), COALESCE(po.hours_per_week, 0)::float8, po.pay_type,
			COALESCE(po.pay_cents, 0), COALESCE(sp.name, '')
		FROM placements pl JOIN postings po ON po.id = pl.posting_id JOIN employers e ON e.id = pl.employer_id
		LEFT JOIN worksites w ON w.id = COALESCE(pl.worksite_id, po.worksite_id)
		LEFT JOIN supervisors sp ON sp.id = COALESCE(pl.supervisor_id, po.supervisor_id)
		WHERE pl.journey_id = $1`

// HomePlacement reads the journey's placement (ErrNotFound: none yet).
func (s *Store) HomePlacement(ctx context.Context, journeyID string) (HomePlacement, error) {
	var p HomePlacement
	w := &p.Site
	err := s.Pool.QueryRow(ctx, homePlacementSQL, journeyID).Scan(&p.Title, &p.Employer, &w.Name, &w.Line1, &w.City,
		&w.State, &w.Zip, &w.Remote, &p.Schedule, &p.HoursPerWeek, &p.PayType, &p.PayCents, &p.Supervisor)
	return p, notFound(err)
}

// TrainingDone is a required training and when the journey completed it.
type TrainingDone struct {
	Code, Name, URL string
	Done            *time.Time
}

const trainingsDoneSQL = `SELECT t.code, t.name, COALESCE(t.url,''), tc.completed_on
		FROM trainings t LEFT JOIN training_completions tc ON tc.training_code = t.code AND tc.journey_id = $1
		WHERE t.code = ANY($2) ORDER BY t.name`

// TrainingsDone lists these trainings, done or not, by name.
func (s *Store) TrainingsDone(ctx context.Context, journeyID string, codes []string) ([]TrainingDone, error) {
	rows, err := s.Pool.Query(ctx, trainingsDoneSQL, journeyID, codes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TrainingDone, error) {
		var t TrainingDone
		return t, r.Scan(&t.Code, &t.Name, &t.URL, &t.Done)
	})
}

// Deliverable is a micro-internship's latest submission with the project
// it is for.
type Deliverable struct {
	Version              int
	DocumentID, Note     string
	Hours                float64
	Status, Comment      string
	Project, Description string
	Intern               string
}

const (
	deliverableProjectSQL = `SELECT pl.title, COALESCE(po.deliverable,''),
			COALESCE(NULLIF(s.preferred_name,''), s.first_name)
		FROM placements pl JOIN postings po ON po.id = pl.posting_id JOIN journeys j ON j.id = pl.journey_id
		JOIN students s ON s.id = j.student_id WHERE pl.journey_id = $1`
	latestDeliverableSQL = `SELECT version, COALESCE(document_id::text,''), note, hours::float8, status,
			COALESCE(review_comment,'')
		FROM deliverables WHERE journey_id = $1 ORDER BY version DESC LIMIT 1`
)

// LatestDeliverable reads the newest version (zero value: none yet) with
// the project it is for.
func (s *Store) LatestDeliverable(ctx context.Context, journeyID string) (Deliverable, error) {
	var d Deliverable
	err := s.Pool.QueryRow(ctx, deliverableProjectSQL, journeyID).Scan(&d.Project, &d.Description, &d.Intern)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return d, err
	}
	err = s.Pool.QueryRow(ctx, latestDeliverableSQL, journeyID).Scan(
		&d.Version, &d.DocumentID, &d.Note, &d.Hours, &d.Status, &d.Comment)
	if errors.Is(err, pgx.ErrNoRows) {
		err = nil
	}
	return d, err
}
