package reports_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/store"
)

// message adds an outbox row in a given state.
func (f *fixture) message(district, school, journey, channel, status string, sent bool) {
	f.t.Helper()
	f.n++
	var sentAt any
	if sent {
		sentAt = now
	}
	f.exec(`INSERT INTO messages (idem_key, district_id, school_id, journey_id, recipient_kind, recipient_ref, channel,
			to_address, template, status, sent_at)
		VALUES ($1, $2, NULLIF($3, '')::uuid, NULLIF($4, '')::uuid, 'student', 'x', $5, 'addr', 't', $6, $7)`,
		fmt.Sprintf("k%d", f.n), district, school, journey, channel, status, sentAt)
}

func TestMessagesByChannel_CountsSentDeliveredAndFailed(t *testing.T) {
	f := newFixture(t)
	f.standard()
	A, B, j1, j8 := f.schoolA, f.schoolB, f.journeys["j1"], f.journeys["j8"]
	f.message(f.district, A, j1, "sms", "queued", false)
	f.message(f.district, A, j1, "sms", "sent", true)
	f.message(f.district, A, j1, "sms", "delivered", true)
	f.message(f.district, A, j1, "sms", "delivered", true)
	f.message(f.district, A, j1, "sms", "failed", false)
	f.message(f.district, A, j1, "sms", "suppressed", false)
	f.message(f.district, A, j1, "email", "delivered", true)
	f.message(f.district, A, j8, "email", "undeliverable", true)
	f.message(f.district, B, "", "sms", "delivered", true)
	f.message(f.other, "", "", "sms", "delivered", true)
	ctx := context.Background()

	rows, err := f.q.MessagesByChannel(ctx, f.wholeDistrict(), allYears)
	if err != nil {
		t.Fatal(err)
	}
	wantSMS := reports.ChannelRow{Channel: "sms", Total: 7, Queued: 1, Sent: 4, Delivered: 3, Failed: 1, Suppressed: 1}
	wantEmail := reports.ChannelRow{Channel: "email", Total: 2, Sent: 2, Delivered: 1, Failed: 1}
	if len(rows) != 2 || rows[0] != wantSMS || rows[1] != wantEmail {
		t.Fatalf("messages = %+v\nwant %+v %+v", rows, wantSMS, wantEmail)
	}
	if rows[0].DeliveryRate() != 0.75 {
		t.Errorf("sms delivery rate = %v", rows[0].DeliveryRate())
	}
	schoolA, _ := f.q.MessagesByChannel(ctx, store.Scope{DistrictID: f.district, SchoolIDs: []string{A}}, allYears)
	if schoolA[0].Total != 6 || schoolA[0].Delivered != 2 {
		t.Errorf("Adams only sms = %+v", schoolA[0])
	}
	only2027, _ := f.q.MessagesByChannel(ctx, f.wholeDistrict(), year2027)
	if only2027[1].Total != 1 || only2027[0].Total != 6 {
		t.Errorf("2027 = %+v (messages of 2026 journeys and with no journey excluded)", only2027)
	}
}

func TestMessagesByChannel_ListsBothChannelsWhenEmpty(t *testing.T) {
	f := newFixture(t)
	rows, err := f.q.MessagesByChannel(context.Background(), f.wholeDistrict(), allYears)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0] != (reports.ChannelRow{Channel: "sms"}) || rows[1] != (reports.ChannelRow{Channel: "email"}) {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestOptOuts_CountsTheScopesStudentsAndGuardians(t *testing.T) {
	f := newFixture(t)
	f.standard()
	f.exec(`INSERT INTO guardians (student_id, position, name, email) VALUES ($1, 1, 'Parent', 'parent6@example.org')`, f.students["j6"])
	j1Phone := f.scalar(`SELECT phone FROM students WHERE id = $1`, f.students["j1"])
	otherPhone := f.scalar(`SELECT phone FROM students WHERE id = $1`, f.students["x1"])
	f.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES
		('sms', $1, 'stop_keyword'), ('email', 'parent6@example.org', 'bounced'),
		('sms', '+15550000000', 'stop_keyword'), ('sms', $2, 'stop_keyword')`, j1Phone, otherPhone)
	ctx := context.Background()

	rows, err := f.q.OptOuts(ctx, f.wholeDistrict(), allYears)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.OptOutRow{{Channel: "sms", Reason: "stop_keyword", Person: "student", Count: 1},
		{Channel: "email", Reason: "bounced", Person: "guardian", Count: 1}}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("opt-outs = %+v, want %+v", rows, want)
	}
	adams, _ := f.q.OptOuts(ctx, store.Scope{DistrictID: f.district, SchoolIDs: []string{f.schoolA}}, allYears)
	if len(adams) != 1 || adams[0].Person != "student" {
		t.Fatalf("Adams opt-outs = %+v", adams)
	}
}
