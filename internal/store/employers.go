package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Employer is a partner organisation (or the district itself).
type Employer struct {
	ID           string `json:"id"`
	DistrictID   string `json:"district_id"`
	Name         string `json:"name"`
	IsDistrict   bool   `json:"is_district"`
	ContactName  string `json:"contact_name,omitempty"`
	ContactEmail string `json:"contact_email,omitempty"`
	ContactPhone string `json:"contact_phone,omitempty"`
	Timezone     string `json:"timezone,omitempty"`
}

// CreateEmployer inserts an employer and returns its id.
func (s *Store) CreateEmployer(ctx context.Context, e Employer) (string, error) {
	return insertEmployer(ctx, s.Pool, e)
}

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func insertEmployer(ctx context.Context, db rowQuerier, e Employer) (string, error) {
	var id string
	err := db.QueryRow(ctx, `INSERT INTO employers (district_id, name, is_district, contact_name, contact_email, contact_phone, timezone)
		VALUES ($1,$2,$3,NULLIF($4,''),NULLIF($5,''),NULLIF($6,''),NULLIF($7,'')) RETURNING id`,
		e.DistrictID, e.Name, e.IsDistrict, e.ContactName, e.ContactEmail, e.ContactPhone, e.Timezone).Scan(&id)
	return id, err
}

// GetEmployer loads one employer.
func (s *Store) GetEmployer(ctx context.Context, id string) (Employer, error) {
	e := Employer{ID: id}
	err := s.Pool.QueryRow(ctx, `SELECT district_id, name, is_district, COALESCE(contact_name,''), COALESCE(contact_email,''),
		COALESCE(contact_phone,''), COALESCE(timezone,'') FROM employers WHERE id = $1`, id).
		Scan(&e.DistrictID, &e.Name, &e.IsDistrict, &e.ContactName, &e.ContactEmail, &e.ContactPhone, &e.Timezone)
	return e, notFound(err)
}

// Supervisor is an employer's contact for interns.
type Supervisor struct {
	ID         string `json:"id"`
	EmployerID string `json:"employer_id"`
	Name       string `json:"name"`
	Email      string `json:"email,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Timezone   string `json:"timezone,omitempty"`
	Language   string `json:"language,omitempty"`
	StaffID    string `json:"staff_id,omitempty"`
}

// CreateSupervisor inserts a supervisor and returns its id.
func (s *Store) CreateSupervisor(ctx context.Context, sv Supervisor) (string, error) {
	if sv.Language == "" {
		sv.Language = "en"
	}
	return insertSupervisor(ctx, s.Pool, sv)
}

func insertSupervisor(ctx context.Context, db rowQuerier, sv Supervisor) (string, error) {
	var id string
	err := db.QueryRow(ctx, `INSERT INTO supervisors (employer_id, name, email, phone, timezone, language, staff_id)
		VALUES ($1,$2,NULLIF($3,''),NULLIF($4,''),NULLIF($5,''),$6,NULLIF($7,'')::uuid) RETURNING id`,
		sv.EmployerID, sv.Name, sv.Email, sv.Phone, sv.Timezone, sv.Language, sv.StaffID).Scan(&id)
	return id, err
}

// Worksite is where an intern works: an address, or remote.
type Worksite struct {
	ID           string `json:"id"`
	EmployerID   string `json:"employer_id"`
	Name         string `json:"name"`
	Remote       bool   `json:"remote"`
	AddressLine1 string `json:"address_line1,omitempty"`
	City         string `json:"city,omitempty"`
	State        string `json:"state,omitempty"`
	PostalCode   string `json:"postal_code,omitempty"`
	SafetyNotes  string `json:"safety_notes,omitempty"`
	Timezone     string `json:"timezone,omitempty"`
}

// CreateWorksite inserts a worksite and returns its id.
func (s *Store) CreateWorksite(ctx context.Context, w Worksite) (string, error) {
	return insertWorksite(ctx, s.Pool, w)
}

func insertWorksite(ctx context.Context, db rowQuerier, w Worksite) (string, error) {
	var id string
	err := db.QueryRow(ctx, `INSERT INTO worksites (employer_id, name, remote, address_line1, city, state, postal_code, safety_notes, timezone)
		VALUES ($1,$2,$3,NULLIF($4,''),NULLIF($5,''),NULLIF($6,''),NULLIF($7,''),NULLIF($8,''),NULLIF($9,'')) RETURNING id`,
		w.EmployerID, w.Name, w.Remote, w.AddressLine1, w.City, w.State, w.PostalCode, w.SafetyNotes, w.Timezone).Scan(&id)
	return id, err
}

// Posting is an internship offered by an employer.
type Posting struct {
	ID                string     `json:"id"`
	EmployerID        string     `json:"employer_id"`
	ProgramID         string     `json:"program_id,omitempty"`
	WorksiteID        string     `json:"worksite_id,omitempty"`
	SupervisorID      string     `json:"supervisor_id,omitempty"`
	Title             string     `json:"title"`
	Description       string     `json:"description"`
	Pathway           string     `json:"pathway,omitempty"`
	HoursPerWeek      float64    `json:"hours_per_week,omitempty"`
	Schedule          string     `json:"schedule,omitempty"`
	PayType           string     `json:"pay_type"`
	PayCents          int        `json:"pay_cents,omitempty"`
	FundingSource     string     `json:"funding_source"`
	SpotType          string     `json:"spot_type"`
	Spots             int        `json:"spots"`
	Requirements      []string   `json:"requirements"`
	RequiredTrainings []string   `json:"required_trainings"`
	Deliverable       string     `json:"deliverable,omitempty"`
	Deadline          *time.Time `json:"deadline,omitempty"`
	Status            string     `json:"status"`
}

// CreatePosting inserts a posting (as given, draft by default) and
// returns its id. Publishing without a worksite is refused by the schema.
func (s *Store) CreatePosting(ctx context.Context, p Posting) (string, error) {
	if p.PayType == "" {
		p.PayType = "hourly"
	}
	if p.FundingSource == "" {
		p.FundingSource = "employer_paid"
	}
	if p.SpotType == "" {
		p.SpotType = "competitive"
	}
	if p.Spots == 0 {
		p.Spots = 1
	}
	if p.Status == "" {
		p.Status = "draft"
	}
	return insertPosting(ctx, s.Pool, p)
}

func insertPosting(ctx context.Context, db rowQuerier, p Posting) (string, error) {
	var id string
	err := db.QueryRow(ctx, `INSERT INTO postings (employer_id, program_id, worksite_id, supervisor_id, title, description, pathway,
			hours_per_week, schedule, pay_type, pay_cents, funding_source, spot_type, spots, requirements, required_trainings,
			deliverable, deadline, status)
		VALUES ($1, NULLIF($2,'')::uuid, NULLIF($3,'')::uuid, NULLIF($4,'')::uuid, $5, $6, NULLIF($7,''), NULLIF($8,0), NULLIF($9,''),
			$10, NULLIF($11,0), $12, $13, $14, $15, $16, NULLIF($17,''), $18, $19) RETURNING id`,
		p.EmployerID, p.ProgramID, p.WorksiteID, p.SupervisorID, p.Title, p.Description, p.Pathway, p.HoursPerWeek, p.Schedule,
		p.PayType, p.PayCents, p.FundingSource, p.SpotType, p.Spots, nonNil(p.Requirements), nonNil(p.RequiredTrainings),
		p.Deliverable, p.Deadline, p.Status).Scan(&id)
	return id, err
}

// ErrNoWorksite means a posting cannot be published without a worksite.
var ErrNoWorksite = errors.New("a posting needs a worksite address or the remote flag before it can be published")

// PublishPosting opens a posting for applications.
func (s *Store) PublishPosting(ctx context.Context, id string) error {
	tag, err := s.Pool.Exec(ctx, `UPDATE postings SET status = 'published' WHERE id = $1 AND status <> 'closed'`, id)
	if IsConstraintViolation(err) {
		return ErrNoWorksite
	}
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return err
}

// CreateTraining adds a training to the catalogue (idempotent by code).
func (s *Store) CreateTraining(ctx context.Context, code, name string) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO trainings (code, name) VALUES ($1,$2) ON CONFLICT (code) DO NOTHING`, code, name)
	return err
}

// SetTrainingNameES names a training in Spanish (texts to Spanish speakers
// use it; without it they read the English name).
func (s *Store) SetTrainingNameES(ctx context.Context, code, name string) error {
	_, err := s.Pool.Exec(ctx, `UPDATE trainings SET name_es = $2 WHERE code = $1`, code, name)
	return err
}

// Document is a stored file (resume, certificate, permit).
type Document struct {
	ID          string `json:"id"`
	JourneyID   string `json:"journey_id,omitempty"`
	Kind        string `json:"kind"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      []byte `json:"sha256"`
	Bytes       []byte `json:"-"`
	// LinkID is the action link the file arrived through ("" if none).
	LinkID string `json:"-"`
}

// SaveDocument stores a file's bytes with its hash and returns its id.
func (s *Store) SaveDocument(ctx context.Context, d Document) (string, error) {
	var id string
	err := saveDocument(ctx, s.Pool, d).Scan(&id)
	return id, err
}

func saveDocument(ctx context.Context, q rowQuerier, d Document) pgx.Row {
	return q.QueryRow(ctx, `INSERT INTO documents (journey_id, kind, filename, content_type, size_bytes, sha256, bytes, link_id)
		VALUES (NULLIF($1,'')::uuid, $2, $3, $4, $5, $6, $7, NULLIF($8,'')::uuid) RETURNING id`,
		d.JourneyID, d.Kind, d.Filename, d.ContentType, len(d.Bytes), d.SHA256, d.Bytes, d.LinkID)
}

// LinkQuota is how much one action link may store: a link lives for days,
// and without a bound one link could fill the database.
type LinkQuota struct {
	Files int
	Bytes int64
}

// Fits reports whether more files and bytes fit beside what is stored.
func (q LinkQuota) Fits(u LinkUsage, files int, bytes int64) bool {
	return u.Files+files <= q.Files && u.Bytes+bytes <= q.Bytes
}

// LinkUsage is what a link has stored so far.
type LinkUsage struct {
	Files int
	Bytes int64
}

// ErrLinkQuota: the file does not fit in what its link may store.
var ErrLinkQuota = errors.New("the link has stored all it may")

// LinkUsage reads what the link has stored.
func (s *Store) LinkUsage(ctx context.Context, linkID string) (LinkUsage, error) {
	return linkUsage(ctx, s.Pool, linkID)
}

func linkUsage(ctx context.Context, q rowQuerier, linkID string) (LinkUsage, error) {
	var u LinkUsage
	err := q.QueryRow(ctx, `SELECT count(*), COALESCE(sum(size_bytes), 0) FROM documents WHERE link_id = $1`, linkID).Scan(&u.Files, &u.Bytes)
	return u, err
}

// SaveLinkDocument stores a file that arrived through d.LinkID if it fits
// the link's quota (ErrLinkQuota if not). The link's row is locked while
// counting, so two uploads at once cannot both take the last room.
func (s *Store) SaveLinkDocument(ctx context.Context, d Document, q LinkQuota) (string, error) {
	var id string
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM action_links WHERE id = $1 FOR UPDATE`, d.LinkID); err != nil {
			return err
		}
		u, err := linkUsage(ctx, tx, d.LinkID)
		if err != nil {
			return err
		}
		if !q.Fits(u, 1, int64(len(d.Bytes))) {
			return ErrLinkQuota
		}
		return saveDocument(ctx, tx, d).Scan(&id)
	})
	return id, err
}

// DeleteLinkDocument removes a file its link stored that the journey then
// refused: nothing refers to it, and keeping it would only fill the
// database (and the link's quota).
func (s *Store) DeleteLinkDocument(ctx context.Context, id, linkID string) error {
	_, err := s.Pool.Exec(ctx, `DELETE FROM documents WHERE id = $1 AND link_id = $2`, id, linkID)
	return err
}

// GetDocument loads a document with its bytes.
func (s *Store) GetDocument(ctx context.Context, id string) (Document, error) {
	d := Document{ID: id}
	err := s.Pool.QueryRow(ctx, `SELECT COALESCE(journey_id::text,''), kind, filename, content_type, size_bytes, sha256, COALESCE(bytes, '')
		FROM documents WHERE id = $1`, id).Scan(&d.JourneyID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.Bytes)
	return d, notFound(err)
}
