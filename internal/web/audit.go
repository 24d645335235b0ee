package web

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/internflow/internflow/internal/store"
)

// audit records a use of a link: who (the link's person, by id), what,
// on which journey, from which address. Never a name, phone or email, and
// never the token. key, when set, makes the entry once-only (a double tap
// on one submission is one "link_used").
func (p *Pages) audit(ctx context.Context, c *call, action, reason, key string) {
	if c.link.ID == "" {
		return
	}
	entity, id := "journey", c.link.JourneyID
	if id == "" {
		entity, id = "action_link", c.link.ID
	}
	after, _ := json.Marshal(map[string]string{"link_id": c.link.ID, "link_action": c.link.Action})
	e := store.AuditEntry{DistrictID: c.j.DistrictID, SchoolID: c.j.SchoolID, ActorKind: c.link.PersonKind,
		ActorRef: c.link.PersonRef, Action: action, EntityKind: entity, EntityID: id, After: after, Reason: reason, IP: c.ip}
	if key != "" {
		e.Key = action + ":" + key
	}
	if err := p.Store.Audit(ctx, e); err != nil {
		slog.WarnContext(ctx, "audit link use", "link_id", c.link.ID, "action", action, "err", err)
	}
}
