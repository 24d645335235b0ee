package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// MOUTerms are what an MOU says beyond its standard text: how many interns
// the employer plans to host, where, and who signs for the employer. A
// returning employer's next MOU starts from its last one's terms.
type MOUTerms struct {
	Interns     int    `json:"interns,omitempty"`
	Worksites   string `json:"worksites,omitempty"`
	SignerName  string `json:"signer_name,omitempty"`
	SignerTitle string `json:"signer_title,omitempty"`
}

// MOUTermFields names the terms, in the order forms and documents show
// them (carried_fields holds these names).
var MOUTermFields = []string{"interns", "worksites", "signer_name", "signer_title"}

// Normalize trims the terms and refuses what an MOU cannot say.
func (t *MOUTerms) Normalize() error {
	t.Worksites, t.SignerName, t.SignerTitle = strings.TrimSpace(t.Worksites), strings.TrimSpace(t.SignerName), strings.TrimSpace(t.SignerTitle)
	switch {
	case t.Interns < 0 || t.Interns > 500:
		return &FieldError{Field: "interns", Message: "give the number of interns planned, from 0 to 500"}
	case len(t.Worksites) > 500:
		return &FieldError{Field: "worksites", Message: "keep the worksites under 500 characters"}
	case len(t.SignerName) > 200:
		return &FieldError{Field: "signer_name", Message: "keep the signer's name under 200 characters"}
	case len(t.SignerTitle) > 200:
		return &FieldError{Field: "signer_title", Message: "keep the signer's title under 200 characters"}
	}
	return nil
}

// field is a term's value as text ("" when not given).
func (t MOUTerms) field(name string) string {
	switch name {
	case "interns":
		if t.Interns == 0 {
			return ""
		}
		return fmt.Sprint(t.Interns)
	case "worksites":
		return t.Worksites
	case "signer_name":
		return t.SignerName
	case "signer_title":
		return t.SignerTitle
	}
	return ""
}

// Empty reports whether no term is given.
func (t MOUTerms) Empty() bool { return t == MOUTerms{} }

// carriedFrom lists the terms t kept unchanged from last (given ones only).
func (t MOUTerms) carriedFrom(last MOUTerms) []string {
	out := []string{}
	for _, f := range MOUTermFields {
		if v := t.field(f); v != "" && v == last.field(f) {
			out = append(out, f)
		}
	}
	return out
}

// PriorMOU is the MOU a returning employer's next one starts from.
type PriorMOU struct {
	ID          string
	ProgramYear int
	Terms       MOUTerms
}

// LastMOU is the employer's newest MOU of a program year before year
// (ErrNotFound: a new partner).
func (s *Store) LastMOU(ctx context.Context, employerID string, year int) (PriorMOU, error) {
	return lastMOU(ctx, s.Pool, employerID, year)
}

type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func lastMOU(ctx context.Context, q queryRower, employerID string, year int) (PriorMOU, error) {
	var p PriorMOU
	var terms []byte
	err := q.QueryRow(ctx, `SELECT id::text, program_year, terms FROM mous WHERE employer_id = $1 AND program_year < $2
		ORDER BY program_year DESC LIMIT 1`, employerID, year).Scan(&p.ID, &p.ProgramYear, &terms)
	if err != nil {
		return p, notFound(err)
	}
	return p, json.Unmarshal(terms, &p.Terms)
}

// MOUTermsOf is an MOU's terms and what was carried over from which
// program year (0: nothing).
type MOUTermsOf struct {
	Terms         MOUTerms
	CarriedFrom   int
	CarriedFields []string
}

// EmployerMOUTerms reads the terms of the employer's MOU for a year
// (ErrNotFound when none is drafted).
func (s *Store) EmployerMOUTerms(ctx context.Context, employerID string, year int) (MOUTermsOf, error) {
	var m MOUTermsOf
	var terms []byte
	err := s.Pool.QueryRow(ctx, `SELECT m.terms, COALESCE(prev.program_year, 0), m.carried_fields
		FROM mous m LEFT JOIN mous prev ON prev.id = m.carried_from WHERE m.employer_id = $1 AND m.program_year = $2`,
		employerID, year).Scan(&terms, &m.CarriedFrom, &m.CarriedFields)
	if err != nil {
		return m, notFound(err)
	}
	return m, json.Unmarshal(terms, &m.Terms)
}

// SetMOUTerms writes the terms staff gave as they draft an employer's MOU
// for a year, before its document exists (the MOU workflow writes them
// into it), with what was carried over from the last MOU and an audit
// entry. Once the document is drafted its terms are fixed: the signature
// binds to them.
func (s *Store) SetMOUTerms(ctx context.Context, by Editor, employerID string, year int, workflowID string, t MOUTerms) error {
	if err := t.Normalize(); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var from *string
		carried := []string{}
		if last, err := lastMOU(ctx, tx, employerID, year); err == nil {
			from, carried = &last.ID, t.carriedFrom(last.Terms)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		terms, _ := json.Marshal(t)
		var id string
		err := tx.QueryRow(ctx, `INSERT INTO mous (employer_id, program_year, workflow_id, terms, carried_from, carried_fields)
			VALUES ($1,$2,$3,$4,$5,$6)
			ON CONFLICT (employer_id, program_year) DO UPDATE SET terms = EXCLUDED.terms, carried_from = EXCLUDED.carried_from,
				carried_fields = EXCLUDED.carried_fields, updated_at = now()
				WHERE mous.document_id IS NULL
			RETURNING id::text`, employerID, year, workflowID, terms, from, carried).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return &FieldError{Field: "year", Message: fmt.Sprintf("the MOU for %d is already drafted", year)}
		}
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, []AuditEntry{{DistrictID: by.DistrictID, ActorKind: "staff", ActorRef: by.StaffID,
			Action: "mou_terms_set", EntityKind: "mou", EntityID: id, After: terms, IP: by.IP}})
	})
}

// DiscardMOUTerms forgets terms set for an MOU whose workflow did not
// start (no document yet), so the page offers the draft form again
// rather than an MOU that is not there.
func (s *Store) DiscardMOUTerms(ctx context.Context, employerID string, year int) error {
	_, err := s.Pool.Exec(ctx, `DELETE FROM mous WHERE employer_id = $1 AND program_year = $2 AND document_id IS NULL
		AND status = 'drafted'`, employerID, year)
	return err
}

// draftTerms are the terms a new MOU document states: those staff set,
// else (an MOU started by a journey reaching the MOU gate) the last MOU's,
// all carried over: from is that MOU (nil when staff set them or there is
// none) and carried the terms taken.
func draftTerms(ctx context.Context, tx pgx.Tx, employerID string, year int) (t MOUTerms, from *string, carried []string, err error) {
	var terms []byte
	err = tx.QueryRow(ctx, `SELECT terms FROM mous WHERE employer_id = $1 AND program_year = $2`, employerID, year).Scan(&terms)
	switch {
	case err == nil:
		return t, nil, []string{}, json.Unmarshal(terms, &t)
	case !errors.Is(err, pgx.ErrNoRows):
		return t, nil, nil, err
	}
	last, err := lastMOU(ctx, tx, employerID, year)
	switch {
	case errors.Is(err, ErrNotFound):
		return t, nil, []string{}, nil
	case err != nil:
		return t, nil, nil, err
	}
	return last.Terms, &last.ID, last.Terms.carriedFrom(last.Terms), nil
}

// termsText is the MOU's paragraph of terms ("" when none is given).
func termsText(t MOUTerms) string {
	if t.Empty() {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n6. Terms for this program year:\n")
	for _, line := range []struct{ label, v string }{
		{"Interns planned", t.field("interns")}, {"Worksites", t.Worksites},
		{"Signing for the Employer", strings.TrimSuffix(t.SignerName+", "+t.SignerTitle, ", ")},
	} {
		if v := strings.TrimPrefix(line.v, ", "); v != "" {
			fmt.Fprintf(&b, "   - %s: %s\n", line.label, v)
		}
	}
	return b.String()
}
