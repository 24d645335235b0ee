package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The outbox: queueing a message inside the caller's transaction, so a
// message exists exactly when the change that sends it commits.
const (
	qJourneyStudentFirstName = `SELECT COALESCE(NULLIF(s.preferred_name,''), s.first_name)
		FROM journeys j JOIN students s ON s.id = j.student_id WHERE j.id = $1`
	qMessageByIdemKey = `SELECT id, channel FROM messages WHERE idem_key = $1`
	deleteActionLink  = `DELETE FROM action_links WHERE id = $1`
	insertMessage     = `INSERT INTO messages (idem_key, district_id, school_id, journey_id, recipient_kind,
			recipient_ref, channel, to_address, language, template, params, link_id, send_after, timezone,
			quiet_start, quiet_end, created_at, updated_at, wait_key, wait_party, reminder, home_link_id)
		VALUES ($1, NULLIF($2,'')::uuid, NULLIF($3,'')::uuid, NULLIF($4,'')::uuid, $5, $6, $7, $8, $9, $10, $11,
			NULLIF($12,'')::uuid, $13, $14, $15, $16, $17, $17, NULLIF($18,''), NULLIF($19,''), $20, NULLIF($21,'')::uuid)
		ON CONFLICT (idem_key) DO NOTHING RETURNING id`
	notifyWake = `SELECT pg_notify($1, $2)`
)

// JourneyStudentFirstName is the name the journey's student goes by (""
// when the journey is not there).
func JourneyStudentFirstName(ctx context.Context, db DB, journeyID string) (string, error) {
	var name string
	err := db.QueryRow(ctx, qJourneyStudentFirstName, journeyID).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// MessageByIdemKey finds the message queued under key; ErrNotFound when
// there is none.
func MessageByIdemKey(ctx context.Context, db DB, key string) (id int64, channel string, err error) {
	err = db.QueryRow(ctx, qMessageByIdemKey, key).Scan(&id, &channel)
	return id, channel, notFound(err)
}

// DeleteActionLink drops a link minted for a message that was not queued.
func DeleteActionLink(ctx context.Context, db DB, id string) error {
	_, err := db.Exec(ctx, deleteActionLink, id)
	return err
}

// NewMessage is a row to queue in the outbox ("" ids and links: none).
type NewMessage struct {
	IdemKey                         string
	DistrictID, SchoolID, JourneyID string
	RecipientKind, RecipientRef     string
	Channel, ToAddress              string
	Language, Template              string
	Params                          map[string]string
	LinkID, HomeLinkID              string
	SendAfter                       time.Time
	Timezone                        string
	QuietStart, QuietEnd            int
	CreatedAt                       time.Time
	WaitKey, WaitParty              string
	Reminder                        bool
}

// InsertMessage queues the message unless its key is taken (inserted is
// false then) and, when queued, wakes the sender of wakeChannel's payload
// when the transaction commits (PostgreSQL folds repeated notifications of
// one transaction into one).
func InsertMessage(ctx context.Context, db DB, m NewMessage, wakeChannel string) (id int64, inserted bool, err error) {
	err = db.QueryRow(ctx, insertMessage,
		m.IdemKey, m.DistrictID, m.SchoolID, m.JourneyID, m.RecipientKind, m.RecipientRef, m.Channel, m.ToAddress,
		m.Language, m.Template, m.Params, m.LinkID, m.SendAfter, m.Timezone, m.QuietStart, m.QuietEnd, m.CreatedAt,
		m.WaitKey, m.WaitParty, m.Reminder, m.HomeLinkID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("insert message: %w", err)
	}
	if _, err := db.Exec(ctx, notifyWake, wakeChannel, m.Channel); err != nil {
		return 0, false, fmt.Errorf("notify dispatcher: %w", err)
	}
	return id, true, nil
}
