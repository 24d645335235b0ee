package messaging

import (
	"context"
	"log/slog"
	"strconv"
)

// LogProvider is the local provider: the outbox row is the record and a
// redacted log line says a message would have gone out. It is the default
// when no provider keys are configured, so the demo runs without accounts.
type LogProvider struct {
	log *slog.Logger
	// InboxURL is where `internflow dev` shows the message in full (the
	// local inbox); the log line points there.
	InboxURL string
}

// NewLogProvider logs to logger (slog.Default when nil).
func NewLogProvider(logger *slog.Logger) *LogProvider {
	if logger == nil {
		logger = slog.Default()
	}
	return &LogProvider{log: logger.With("component", "messaging.log_provider")}
}

// Name implements Provider.
func (p *LogProvider) Name() string { return "log" }

// Send logs the message without its body or full address. The id is
// derived from the outbox id, so sending again is idempotent.
func (p *LogProvider) Send(ctx context.Context, m Message) (string, error) {
	p.log.InfoContext(ctx, "message kept locally (no provider configured): read it in the local inbox",
		"inbox", p.inboxLink(m.OutboxID), "channel", m.Channel, "template", m.Template, "outbox_id", m.OutboxID, "to", Redact(m.To))
	return logProviderID(m.OutboxID), nil
}

// Find never finds anything: a resend only repeats a log line.
func (p *LogProvider) Find(context.Context, Message) (string, bool, error) { return "", false, nil }

func logProviderID(outboxID int64) string { return "log-" + strconv.FormatInt(outboxID, 10) }

// inboxLink points at the message on the local inbox page.
func (p *LogProvider) inboxLink(outboxID int64) string {
	if p.InboxURL == "" {
		return "internflow dev: /dev/inbox"
	}
	return p.InboxURL + "#m" + strconv.FormatInt(outboxID, 10)
}
