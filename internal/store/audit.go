package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// writeAudit appends audit rows; Key (unique) makes a retried write a no-op.
func writeAudit(ctx context.Context, tx pgx.Tx, entries []AuditEntry) error {
	for _, a := range entries {
		if _, err := tx.Exec(ctx, `
			INSERT INTO audit_log (district_id, school_id, actor_kind, actor_ref, action, entity_kind, entity_id, before, after, reason, ip, idem_key)
			VALUES (NULLIF($1,'')::uuid, NULLIF($2,'')::uuid, $3, $4, $5, $6, $7, $8, $9, NULLIF($10,''), NULLIF($11,''), NULLIF($12,''))
			ON CONFLICT (idem_key) WHERE idem_key IS NOT NULL DO NOTHING`,
			a.DistrictID, a.SchoolID, a.ActorKind, a.ActorRef, a.Action, a.EntityKind, a.EntityID,
			nullJSON(a.Before), nullJSON(a.After), a.Reason, a.IP, a.Key); err != nil {
			return err
		}
	}
	return nil
}

// Audit writes one audit entry outside a journey record (staff actions
// that are not journey inputs: sign-in, link revocation, imports).
func (s *Store) Audit(ctx context.Context, a AuditEntry) error {
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error { return writeAudit(ctx, tx, []AuditEntry{a}) })
}

func nullJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
