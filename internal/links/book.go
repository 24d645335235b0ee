package links

import (
	"context"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// Book is the minter bound to the system of record, for callers that run
// no transaction of their own (the link pages): they hold the store and
// ask for links, never for the pool.
type Book struct {
	*Minter
	Store *store.Store
}

// Resolve is Minter.Resolve on the store.
func (b Book) Resolve(ctx context.Context, token string, now time.Time) (Link, error) {
	return b.Minter.Resolve(ctx, b.Store.Pool, token, now)
}

// Ensure is Minter.Ensure on the store.
func (b Book) Ensure(ctx context.Context, s Spec) (string, error) {
	return b.Minter.Ensure(ctx, b.Store.Pool, s)
}

// MarkUsed is MarkUsed on the store.
func (b Book) MarkUsed(ctx context.Context, id string) error {
	return MarkUsed(ctx, b.Store.Pool, id)
}
