package staff

import (
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"

	"github.com/internflow/internflow/internal/store"
)

// audit records a staff action that is not a journey input (exports,
// nudge requests). The action has already happened, so a failed audit
// write is logged rather than shown.
func (h *Handler) audit(r *http.Request, action, entityKind, entityID, reason string) {
	p := principal(r)
	err := h.Store.Audit(r.Context(), store.AuditEntry{DistrictID: p.DistrictID, ActorKind: "staff", ActorRef: p.StaffID,
		Action: action, EntityKind: entityKind, EntityID: entityID, Reason: reason, IP: clientip.From(r)})
	if err != nil {
		slog.ErrorContext(r.Context(), "audit staff action", "action", action, "entity_id", entityID, "err", err)
	}
}
