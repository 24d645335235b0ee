package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reply is a text a student or guardian sent that was not a keyword: a
// message to the student's coordinator.
type Reply struct {
	ID         int64
	JourneyID  string // "" when the student had no open journey
	StudentID  string
	SchoolID   string
	Student    string // the student's name as staff call them
	SenderKind string // "student" or "guardian"
	SenderName string
	Body       string
	ReceivedAt time.Time
}

// replySender names who wrote a reply (student or guardian).
const replySender = `CASE WHEN i.sender_kind = 'guardian' THEN COALESCE(g.name, '')
		ELSE COALESCE(NULLIF(st.preferred_name, ''), st.first_name) || ' ' || st.last_name END`

// UnreadReplies lists the newest unread replies in scope (at most limit)
// and how many are unread in all.
func (s *Store) UnreadReplies(ctx context.Context, sc Scope, limit int) ([]Reply, int, error) {
	if err := sc.check(); err != nil {
		return nil, 0, err
	}
	rows, err := s.Pool.Query(ctx, `
		SELECT i.id, COALESCE(i.journey_id::text, ''), st.id::text, st.school_id::text,
			COALESCE(NULLIF(st.preferred_name, ''), st.first_name) || ' ' || st.last_name,
			COALESCE(i.sender_kind, 'student'), `+replySender+`, left(i.body, 300), i.received_at,
			count(*) OVER ()
		FROM inbound_messages i
		JOIN students st ON st.id = i.student_id
		LEFT JOIN guardians g ON g.id = i.sender_ref AND i.sender_kind = 'guardian'
		WHERE i.read_at IS NULL AND i.keyword IS NULL AND i.student_id IS NOT NULL
			AND st.district_id = $1 AND ($2::boolean OR st.school_id = ANY($3::uuid[]))
		ORDER BY i.received_at DESC LIMIT $4`,
		sc.DistrictID, sc.SchoolIDs == nil, nonNil(sc.SchoolIDs), limit)
	if err != nil {
		return nil, 0, fmt.Errorf("unread replies: %w", err)
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Reply, error) {
		var x Reply
		err := r.Scan(&x.ID, &x.JourneyID, &x.StudentID, &x.SchoolID, &x.Student, &x.SenderKind, &x.SenderName,
			&x.Body, &x.ReceivedAt, &total)
		return x, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("unread replies: %w", err)
	}
	return list, total, nil
}

// ConversationItem is one text of a journey's conversation: a reply
// someone sent, or what we texted back (an answer from staff, an
// acknowledgement, an answer to HELP).
type ConversationItem struct {
	At time.Time
	// Inbound is true for a text someone sent us.
	Inbound bool
	// Kind is the writer's (student, guardian) or the recipient's kind.
	Kind, Ref, Name string
	// Text is the reply, or the staff answer's text.
	Text string
	// Template of what we sent: staff_reply, reply_ack, contact_help.
	Template string
	// Status is our message's delivery status.
	Status string
	// Unread: staff had not opened the page since it came in.
	Unread bool
}

// Conversation lists a journey's replies and our answers to them, oldest
// first (the newest limit items).
func (s *Store) Conversation(ctx context.Context, journeyID string, limit int) ([]ConversationItem, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT * FROM (
		(SELECT i.received_at, true, COALESCE(i.sender_kind, 'student'), COALESCE(i.sender_ref::text, ''), `+replySender+`,
			i.body, '', '', i.read_at IS NULL
			FROM inbound_messages i JOIN students st ON st.id = i.student_id
			LEFT JOIN guardians g ON g.id = i.sender_ref AND i.sender_kind = 'guardian'
			WHERE i.journey_id = $1 AND i.keyword IS NULL ORDER BY i.received_at DESC LIMIT $2)
		UNION ALL
		(SELECT m.created_at, false, m.recipient_kind, m.recipient_ref, COALESCE(m.params->>'staff_name', ''),
			COALESCE(m.params->>'text', ''), m.template, m.status, false
			FROM messages m WHERE m.journey_id = $1 AND m.template IN ('staff_reply', 'reply_ack', 'contact_help')
			ORDER BY m.created_at DESC LIMIT $2)
		) c (at, inbound, kind, ref, name, text, template, status, unread)
		ORDER BY at DESC LIMIT $2`, journeyID, limit)
	if err != nil {
		return nil, fmt.Errorf("conversation: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ConversationItem, error) {
		var c ConversationItem
		err := r.Scan(&c.At, &c.Inbound, &c.Kind, &c.Ref, &c.Name, &c.Text, &c.Template, &c.Status, &c.Unread)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("conversation: %w", err)
	}
	slices.Reverse(items)
	return items, nil
}

// MarkRepliesRead marks a journey's unread replies read by a staff member
// (they opened the student's page).
func (s *Store) MarkRepliesRead(ctx context.Context, journeyID, staffID string, at time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE inbound_messages SET read_at = $3, read_by = $2::uuid
		WHERE journey_id = $1 AND read_at IS NULL AND keyword IS NULL`, journeyID, staffID, at)
	if err != nil {
		return fmt.Errorf("mark replies read: %w", err)
	}
	return nil
}
