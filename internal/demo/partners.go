package demo

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// partners are the demo employers' ids the student scripts use.
type partners struct {
	clinicPosting   string // district CTE-funded: waits on the clinic's MOU
	parksPosting    string // employer-paid
	helpDeskPosting string // in-district: the district is the employer
	microPosting    string // a micro-internship project
	clinic          string
	supervisors     map[string]string // posting id → supervisor id
}

const (
	programName = "Summer Paid Internship"
	microName   = "Micro-internships"
)

// seedPartners creates the programs, the training catalogue, three
// employers with worksites, supervisors and published postings.
func seedPartners(ctx context.Context, st *store.Store, res *Result) (partners, error) {
	p := partners{supervisors: map[string]string{}}
	var err error
	year := time.Now().Year()
	if res.ProgramID, err = ensureProgram(ctx, st, res.DistrictID, programName, "summer_paid", year); err != nil {
		return p, err
	}
	if res.MicroID, err = ensureProgram(ctx, st, res.DistrictID, microName, "micro", year); err != nil {
		return p, err
	}
	for code, name := range map[string][2]string{"hipaa": {"HIPAA privacy basics", "Privacidad de pacientes (HIPAA)"},
		"workplace_safety": {"Workplace safety for young workers", "Seguridad en el trabajo para jóvenes"}} {
		if err := st.CreateTraining(ctx, code, name[0]); err != nil {
			return p, err
		}
		if err := st.SetTrainingNameES(ctx, code, name[1]); err != nil {
			return p, err
		}
	}
	if p.clinic, err = st.DemoClinic(ctx, res.DistrictID); err == nil {
		return p, loadPostings(ctx, st, res.DistrictID, &p) // seeded on an earlier, interrupted start
	} else if !errors.Is(err, store.ErrNotFound) {
		return p, err
	}
	for _, e := range employers {
		if err := seedEmployer(ctx, st, res.DistrictID, res.ProgramID, res.MicroID, e, &p); err != nil {
			return p, fmt.Errorf("%s: %w", e.name, err)
		}
	}
	return p, seedLastYearMOUs(ctx, st, res.DistrictID, year-1)
}

// seedLastYearMOUs gives the clinic and the parks department last year's
// MOU (expired, with its terms), so their pages show an MOU history and
// this year's MOU starting from it: the clinic's, drafted when a student
// reaches the MOU gate, carries the terms over; the parks department's
// draft form comes pre-filled.
func seedLastYearMOUs(ctx context.Context, st *store.Store, district string, year int) error {
	for name, terms := range map[string]string{
		"Valley Community Clinic": `{"interns":4,"worksites":"Main clinic, 1200 Valley Rd","signer_name":"Rosa Alvarez","signer_title":"Clinic Director"}`,
		"City Parks & Recreation": `{"interns":10,"worksites":"Every city park; summer day camps","signer_name":"Dana Brooks","signer_title":"Recreation Manager"}`,
	} {
		if err := st.SeedExpiredMOU(ctx, district, name, year, terms); err != nil {
			return fmt.Errorf("last year's MOU of %s: %w", name, err)
		}
	}
	return nil
}

func ensureProgram(ctx context.Context, st *store.Store, district, name, kind string, year int) (string, error) {
	id, err := st.ProgramByName(ctx, district, name)
	if errors.Is(err, store.ErrNotFound) {
		return st.CreateProgram(ctx, store.Program{DistrictID: district, Name: name, Kind: kind, ProgramYear: year})
	}
	return id, err
}

type demoEmployer struct {
	name, email, supervisor, supEmail string
	isDistrict                        bool
	site                              store.Worksite
	posting                           store.Posting
	slot                              func(*partners) *string
	micro                             bool
}

var employers = []demoEmployer{
	{name: "Valley Community Clinic", email: "hr@clinic.example.org", supervisor: "Dr. Lena Kim", supEmail: "kim@clinic.example.org",
		site: store.Worksite{Name: "Main clinic", AddressLine1: "200 Oak Ave", City: "Fresno", State: "CA", PostalCode: "93721"},
		posting: store.Posting{Title: "Patient services assistant", Pathway: "Health Science and Medical Technology",
			Description:  "Greet patients, help them check in, keep the waiting room running, and learn how a clinic works.",
			HoursPerWeek: 12, Schedule: "Mon/Wed/Fri 3-7pm", PayType: "hourly", PayCents: 1650, FundingSource: "district_cte",
			RequiredTrainings: []string{"hipaa"}, Requirements: []string{"tb_test"}},
		slot: func(p *partners) *string { return &p.clinicPosting }},
	{name: "City Parks & Recreation", email: "jobs@parks.example.org", supervisor: "Marcus Hill", supEmail: "hill@parks.example.org",
		site: store.Worksite{Name: "Riverside Park", AddressLine1: "1 River Rd", City: "Fresno", State: "CA", PostalCode: "93704"},
		posting: store.Posting{Title: "Summer camp counselor aide", Pathway: "Education, Child Development, and Family Services",
			Description: "Help run games, crafts and field trips for kids aged 6 to 10.", HoursPerWeek: 20, Schedule: "Mon-Fri 9am-1pm",
			PayType: "hourly", PayCents: 1600, FundingSource: "employer_paid", RequiredTrainings: []string{"workplace_safety"}},
		slot: func(p *partners) *string { return &p.parksPosting }},
	{name: "Demo USD IT Help Desk", email: "it@demo.example.org", supervisor: "Priya Shah", supEmail: "shah@demo.example.org", isDistrict: true,
		site: store.Worksite{Name: "District office", AddressLine1: "50 School Way", City: "Fresno", State: "CA", PostalCode: "93701"},
		posting: store.Posting{Title: "IT help desk intern", Pathway: "Information and Communication Technologies",
			Description: "Set up laptops, answer help tickets and learn how a school district's network runs.", HoursPerWeek: 15,
			PayType: "hourly", PayCents: 1700, FundingSource: "district_cte"},
		slot: func(p *partners) *string { return &p.helpDeskPosting }},
	{name: "Bright Media Studio", email: "hello@brightmedia.example.org", supervisor: "Tess Morgan", supEmail: "tess@brightmedia.example.org",
		site: store.Worksite{Name: "Remote", Remote: true}, micro: true,
		posting: store.Posting{Title: "Audit our social media", Pathway: "Arts, Media, and Entertainment",
			Description: "Review our Instagram and TikTok and suggest three improvements, with examples.", PayType: "stipend", PayCents: 15000,
			FundingSource: "employer_paid", Deliverable: "A two-page audit with three suggested improvements"},
		slot: func(p *partners) *string { return &p.microPosting }},
}

func seedEmployer(ctx context.Context, st *store.Store, district, program, micro string, e demoEmployer, p *partners) error {
	id, err := st.CreateEmployer(ctx, store.Employer{DistrictID: district, Name: e.name, IsDistrict: e.isDistrict, ContactEmail: e.email})
	if err != nil {
		return err
	}
	if e.name == "Valley Community Clinic" {
		p.clinic = id
	}
	e.site.EmployerID = id
	site, err := st.CreateWorksite(ctx, e.site)
	if err != nil {
		return err
	}
	sup, err := st.CreateSupervisor(ctx, store.Supervisor{EmployerID: id, Name: e.supervisor, Email: e.supEmail})
	if err != nil {
		return err
	}
	post := e.posting
	post.EmployerID, post.WorksiteID, post.SupervisorID, post.ProgramID, post.Status, post.Spots = id, site, sup, program, "published", 5
	if e.micro {
		post.ProgramID = micro
	}
	posting, err := st.CreatePosting(ctx, post)
	if err != nil {
		return err
	}
	*e.slot(p) = posting
	p.supervisors[posting] = sup
	return nil
}

// loadPostings finds the demo postings after an interrupted seed.
func loadPostings(ctx context.Context, st *store.Store, district string, p *partners) error {
	for _, e := range employers {
		posting, sup, err := st.PostingByTitle(ctx, district, e.posting.Title)
		if err != nil {
			return err
		}
		*e.slot(p) = posting
		p.supervisors[posting] = sup
	}
	return nil
}

// document stores a small demo file (a resume, a certificate).
func document(ctx context.Context, st *store.Store, journeyID, kind string) (string, error) {
	body := []byte(fmt.Sprintf("%%PDF-1.4\n%% demo %s for journey %s\n", kind, journeyID))
	sum := sha256.Sum256(body)
	return st.SaveDocument(ctx, store.Document{JourneyID: journeyID, Kind: kind, Filename: kind + ".pdf",
		ContentType: "application/pdf", SHA256: sum[:], Bytes: body})
}
