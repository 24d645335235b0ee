package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// AuditTx writes one audit entry inside the caller's transaction, so a
// staff action and its audit row commit together (sign-in, say).
func AuditTx(ctx context.Context, tx pgx.Tx, a AuditEntry) error {
	return writeAudit(ctx, tx, []AuditEntry{a})
}
