package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DB is the pool or a transaction. Store functions whose statements must
// commit together with a caller's other writes take one, so the caller
// opens the transaction (with InTx) and nothing is half-written.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled
// back when it returns an error (or panics).
func (s *Store) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.Pool, fn)
}

// InReadTx runs fn in one read-only transaction (read committed: each
// statement sees what was committed when it began).
func (s *Store) InReadTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, fn)
}

// InSnapshot runs fn in a read-only repeatable-read transaction, so every
// read sees one snapshot (an export reads a student's record this way).
func (s *Store) InSnapshot(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}
