package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// RowQuerier reads one row: the pool, or a transaction in progress.
type RowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// NameRecord is a person's name as the district has it.
type NameRecord struct {
	Name      string // legal name as printed on documents
	Preferred string // a student's preferred first name with the last name, if any
}

// nameOnRecordSQL reads by the primary keys (id = $1::uuid): a cast of the
// column instead would read every student, guardian and supervisor on
// each signature.
const nameOnRecordSQL = `SELECT COALESCE(
			(SELECT first_name || ' ' || last_name FROM students WHERE id = $1::uuid),
			(SELECT name FROM guardians WHERE id = $1::uuid),
			(SELECT name FROM supervisors WHERE id = $1::uuid),
			(SELECT contact_name FROM employers WHERE id = $1::uuid), ''),
		COALESCE((SELECT preferred_name || ' ' || last_name FROM students WHERE id = $1::uuid AND preferred_name <> ''), '')`

// NameOnRecord reads the name on record of a signer: ref is the id of a
// student, guardian, supervisor or employer (its contact). An unknown ref
// or an employer without a contact name gives an empty record.
func NameOnRecord(ctx context.Context, q RowQuerier, ref string) (NameRecord, error) {
	var r NameRecord
	if uuid.Validate(ref) != nil {
		return r, nil // not an id: nobody's name
	}
	err := q.QueryRow(ctx, nameOnRecordSQL, ref).Scan(&r.Name, &r.Preferred)
	return r, err
}

// NameOnRecord is NameOnRecord outside a transaction.
func (s *Store) NameOnRecord(ctx context.Context, ref string) (NameRecord, error) {
	return NameOnRecord(ctx, s.Pool, ref)
}
