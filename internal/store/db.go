// Package store is internflow's system of record: typed access to
// PostgreSQL through pgx v5, the migrations, and the journey read model.
package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store wraps the connection pool; every query goes through its methods.
type Store struct {
	Pool *pgxpool.Pool
}

// New wraps an open pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Pool: pool} }

// ErrUnreachable means PostgreSQL did not answer at all (not a query error).
var ErrUnreachable = errors.New("postgres unreachable")

// Open connects to databaseURL, pinging once so a down server is reported
// as ErrUnreachable with a hint instead of a driver stack.
func Open(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	cfg.MaxConns = max(cfg.MaxConns, 16)
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, classify(cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return pool, nil
}

func classify(host string, port uint16, err error) error {
	var netErr *net.OpError
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Errorf("postgres at %s:%d refused us: %s", host, port, pgErr.Message)
	}
	if errors.As(err, &netErr) || strings.Contains(err.Error(), "connect") {
		return fmt.Errorf("%w: nothing answers at %s:%d. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", ErrUnreachable, host, port)
	}
	return err
}

// EnsureDatabase creates the database named in databaseURL when it is
// missing, connecting to the server's "postgres" database to do so.
func EnsureDatabase(ctx context.Context, databaseURL string) (created bool, err error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return false, err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return false, errors.New("DATABASE_URL names no database")
	}
	admin := *u
	admin.Path = "/postgres"
	pool, err := Open(ctx, admin.String())
	if err != nil {
		return false, err
	}
	defer pool.Close()
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return false, err
	}
	if exists {
		return false, nil
	}
	_, err = pool.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created concurrently
		return false, nil
	}
	return err == nil, err
}

// Ping reports whether the database answers; readiness checks use it.
func (s *Store) Ping(ctx context.Context) error { return s.Pool.Ping(ctx) }

// IsUniqueViolation reports a unique-constraint error, optionally a named one.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}

// ErrNotFound is returned when a row a caller asked for does not exist (or
// is outside the caller's scope, which callers must not be able to tell apart).
var ErrNotFound = errors.New("not found")

func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// IsConstraintViolation reports an integrity error (23xxx): the input is
// wrong, and retrying the same write cannot succeed.
func IsConstraintViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "23")
}

// IsUnavailable reports an error that means the database is not answering
// (down, restarting, unreachable) rather than refusing the query: callers
// answer 503 and activities retry.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnreachable) {
		return true
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 57P0x: shutting down, cannot connect now.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P0")
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "failed to connect")
}
