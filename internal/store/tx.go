package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// InTx runs fn in one transaction: statements that belong together are
// written together or not at all (fn's error rolls everything back).
func (s *Store) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.Pool, fn)
}

// InReadTx runs fn in one read-only transaction: reads that must agree
// with each other see one snapshot.
func (s *Store) InReadTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, fn)
}
