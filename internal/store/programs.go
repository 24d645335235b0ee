package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ProgramSummary is a program as the programs page lists it.
type ProgramSummary struct {
	ID          string
	Name        string
	Kind        string
	ProgramYear int
	Version     int
	UpdatedAt   time.Time
	// Open counts the program's running journeys; Behind those on an
	// older version than the current one.
	Open, Behind int
}

// DistrictProgramSummaries lists a district's programs, newest year first.
func (s *Store) DistrictProgramSummaries(ctx context.Context, districtID string) ([]ProgramSummary, error) {
	rows, err := s.Pool.Query(ctx, `SELECT p.id::text, p.name, p.kind, p.program_year, p.version, p.updated_at,
			count(j.id), count(j.id) FILTER (WHERE j.program_version < p.version)
		FROM programs p LEFT JOIN journeys j ON j.program_id = p.id AND j.status = 'open'
		WHERE p.district_id = $1 GROUP BY p.id ORDER BY p.program_year DESC, lower(p.name), p.id`, districtID)
	if err != nil {
		return nil, fmt.Errorf("program summaries: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ProgramSummary])
}

// CreateProgramBy inserts a program as its version 1, made by a staff
// member, and returns its id.
func (s *Store) CreateProgramBy(ctx context.Context, p Program, staffID string) (string, error) {
	var id string
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO programs (district_id, name, kind, program_year, definition)
			VALUES ($1,$2,$3,$4,$5) RETURNING id`, p.DistrictID, p.Name, p.Kind, p.ProgramYear, p.Definition).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE program_versions SET created_by = $2 WHERE program_id = $1 AND version = 1`, id, staffID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create program: %w", err)
	}
	return id, nil
}

// UpdateProgram stores a district's program with a new name, kind, year
// or definition as its next version (kept beside the older ones) and
// returns that version. Running journeys keep theirs until migrated.
func (s *Store) UpdateProgram(ctx context.Context, p Program, staffID string) (int, error) {
	var v int
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE programs SET name = $3, kind = $4, program_year = $5, definition = $6,
				version = version + 1, updated_at = now()
			WHERE id = $1 AND district_id = $2 RETURNING version`,
			p.ID, p.DistrictID, p.Name, p.Kind, p.ProgramYear, p.Definition).Scan(&v)
		if err != nil {
			return notFound(err)
		}
		_, err = tx.Exec(ctx, `UPDATE program_versions SET created_by = $3 WHERE program_id = $1 AND version = $2`, p.ID, v, staffID)
		return err
	})
	return v, err
}

// ProgramVersion is one kept version of a program definition.
type ProgramVersion struct {
	Version    int
	Name       string
	Definition []byte
	CreatedBy  string // the staff member's name; empty when set from the CLI
	CreatedAt  time.Time
	// Open counts the running journeys on this version.
	Open int
}

// ProgramVersions lists a program's kept versions, newest first.
func (s *Store) ProgramVersions(ctx context.Context, programID string) ([]ProgramVersion, error) {
	rows, err := s.Pool.Query(ctx, `SELECT v.version, v.name, v.definition, COALESCE(st.name, ''), v.created_at,
			(SELECT count(*) FROM journeys j WHERE j.program_id = v.program_id AND j.status = 'open' AND j.program_version = v.version)
		FROM program_versions v LEFT JOIN staff st ON st.id = v.created_by
		WHERE v.program_id = $1 ORDER BY v.version DESC`, programID)
	if err != nil {
		return nil, fmt.Errorf("program versions: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ProgramVersion])
}
