package messaging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/testenv"
)

// BenchmarkDistrictNudge queues one survey nudge (with its own action link)
// for every student of a 50,000-student district in one BulkEnqueue, then
// drains it through the real Twilio SDK to the fake Twilio at the
// configured rate, and checks nobody got none or two.
//
//	INTERNFLOW_BENCH_STUDENTS (default 50000), INTERNFLOW_BENCH_RATE (msgs/s, default 2000)
func BenchmarkDistrictNudge(b *testing.B) {
	students := envInt("INTERNFLOW_BENCH_STUDENTS", 50000)
	rate := envInt("INTERNFLOW_BENCH_RATE", 2000)
	for range b.N {
		r := runDistrictNudge(b, students, rate, (*fakeprovider.Twilio).Config)
		b.ReportMetric(r.enqueue.Seconds(), "enqueue_s")
		b.ReportMetric(r.drainRate, "drain_msgs/s")
		b.ReportMetric(float64(r.duplicates), "duplicates")
		b.ReportMetric(float64(r.lost), "lost")
		fmt.Printf("\nDistrict-wide nudge, %d students across 40 schools, Twilio sender at %d msgs/s\n", students, rate)
		fmt.Printf("  %-28s %12s\n", "queued (BulkEnqueue)", strconv.Itoa(r.queued))
		fmt.Printf("  %-28s %11.2fs\n", "enqueue time", r.enqueue.Seconds())
		fmt.Printf("  %-28s %11.2fs\n", "drain time", r.drain.Seconds())
		fmt.Printf("  %-28s %12.0f\n", "drain rate measured (msg/s)", r.drainRate)
		fmt.Printf("  %-28s %12d\n", "duplicates at the fake", r.duplicates)
		fmt.Printf("  %-28s %12d\n\n", "lost", r.lost)
		if r.duplicates != 0 || r.lost != 0 {
			b.Fatalf("duplicates %d, lost %d", r.duplicates, r.lost)
		}
	}
}

// BenchmarkMessagingServiceBlast sends a 50,000-text blast through a
// Twilio Messaging Service (the sender pool a district registers for A2P
// 10DLC) at the 100 texts a second such a pool takes, through the real
// Twilio SDK to the fake Twilio, and counts what arrived against the
// outbox: every row sent once, through the service, none lost.
//
//	INTERNFLOW_BLAST (texts, default 50000), INTERNFLOW_BLAST_RATE (texts/s, default 100)
func BenchmarkMessagingServiceBlast(b *testing.B) {
	texts := envInt("INTERNFLOW_BLAST", 50000)
	rate := envInt("INTERNFLOW_BLAST_RATE", 100)
	for range b.N {
		r := runDistrictNudge(b, texts, rate, (*fakeprovider.Twilio).ServiceConfig)
		b.ReportMetric(r.drainRate, "drain_msgs/s")
		b.ReportMetric(r.drain.Seconds(), "drain_s")
		b.ReportMetric(float64(r.duplicates), "duplicates")
		b.ReportMetric(float64(r.lost), "lost")
		fmt.Printf("\nBlast of %d texts through a Twilio Messaging Service at %d/s (load average %s)\n", texts, rate, testenv.LoadAverage())
		fmt.Printf("  %-38s %12d\n", "outbox rows queued", r.queued)
		fmt.Printf("  %-38s %12d\n", "outbox rows sent (distinct)", r.sentRows)
		fmt.Printf("  %-38s %12d\n", "messages the fake received", r.received)
		fmt.Printf("  %-38s %12d\n", "  of them through the service, no From", r.viaService)
		fmt.Printf("  %-38s %11.1fs\n", "drain time", r.drain.Seconds())
		fmt.Printf("  %-38s %12.1f\n", "drain rate measured (texts/s)", r.drainRate)
		fmt.Printf("  %-38s %12d\n", "doubled (a recipient got two)", r.duplicates)
		fmt.Printf("  %-38s %12d\n\n", "lost (queued, not received)", r.lost)
		if r.duplicates != 0 || r.lost != 0 || r.sentRows != r.received || r.viaService != r.received {
			b.Fatalf("%d rows sent, %d received (%d through the service): %d doubled, %d lost",
				r.sentRows, r.received, r.viaService, r.duplicates, r.lost)
		}
	}
}

type nudgeResult struct {
	queued           int
	enqueue, drain   time.Duration
	drainRate        float64
	duplicates, lost int
	// sentRows counts distinct outbox rows marked sent; received and
	// viaService what the fake accepted (viaService: through the
	// Messaging Service, with no From of ours).
	sentRows, received, viaService int
}

// runDistrictNudge queues a nudge for every student and drains it to the
// fake Twilio with the sender sender picks (a number or the service).
func runDistrictNudge(b *testing.B, students, rate int, sender func(*fakeprovider.Twilio) config.TwilioConfig) nudgeResult {
	b.Helper()
	ctx := context.Background()
	pool := testenv.DB(b).Pool
	district := loadDistrict(b, ctx, pool, students)
	clock := &fakeClock{t: noonLA}
	minter := &links.Minter{Secret: []byte(testSecret), BaseURL: "https://intern.bayusd.org"}
	outbox := &Outbox{Links: minter, Clock: clock}

	b.ResetTimer()
	start := time.Now()
	n, err := outbox.BulkEnqueue(ctx, pool, BulkRequest{DistrictID: district, Template: "survey_nudge",
		IdemPrefix: "bench:survey", Link: &LinkSpec{Action: "survey"}})
	if err != nil {
		b.Fatal(err)
	}
	res := nudgeResult{queued: n, enqueue: time.Since(start)}

	tw := fakeprovider.NewTwilio()
	defer tw.Close()
	sms, err := NewTwilio(sender(tw), "", nil)
	if err != nil {
		b.Fatal(err)
	}
	d := NewDispatcher(pool, Providers{SMS: sms}, DispatcherConfig{SMSPerSecond: float64(rate), Workers: 32,
		BatchSize: rate, Links: minter, Clock: clock, Program: "Bay Unified Summer Internships",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	start = time.Now()
	st, err := d.Drain(ctx)
	if err != nil {
		b.Fatal(err)
	}
	res.drain = time.Since(start)
	b.StopTimer()
	res.drainRate = float64(st.Sent) / res.drain.Seconds()
	counts := tw.CountsByRecipient()
	for _, c := range counts {
		res.duplicates += max(c-1, 0)
	}
	res.lost = students - len(counts)
	var unsent int
	_ = pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status <> 'sent'), count(DISTINCT id) FILTER (WHERE status = 'sent')
		FROM messages`).Scan(&unsent, &res.sentRows)
	res.lost = max(res.lost, unsent)
	for _, m := range tw.Messages() {
		res.received++
		if m.MessagingServiceSID == tw.MessagingServiceSID && m.From != tw.From {
			res.viaService++
		}
	}
	return res
}

// loadDistrict COPYs a district of students with open journeys.
func loadDistrict(b testing.TB, ctx context.Context, pool *pgxpool.Pool, students int) string {
	b.Helper()
	var district, program string
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(pool.QueryRow(ctx, `INSERT INTO districts (name) VALUES ('Bench Unified') RETURNING id`).Scan(&district))
	must(pool.QueryRow(ctx, `INSERT INTO programs (district_id, name, kind, program_year) VALUES ($1, 'Summer', 'summer_paid', 2027)
		RETURNING id`, district).Scan(&program))
	var schools []uuid.UUID
	for i := range 40 {
		var s uuid.UUID
		must(pool.QueryRow(ctx, `INSERT INTO schools (district_id, name) VALUES ($1, $2) RETURNING id`, district,
			fmt.Sprintf("School %d", i)).Scan(&s))
		schools = append(schools, s)
	}
	dist, prog := uuid.MustParse(district), uuid.MustParse(program)
	stuRows, jRows := make([][]any, students), make([][]any, students)
	for i := range students {
		id := uuid.New()
		stuRows[i] = []any{id, dist, schools[i%len(schools)], fmt.Sprintf("Student%d", i), "Bench",
			fmt.Sprintf("+1555%07d", i), "en"}
		jRows[i] = []any{uuid.New(), id, prog, 2027, "journey-bench-" + strconv.Itoa(i)}
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"students"},
		[]string{"id", "district_id", "school_id", "first_name", "last_name", "phone", "language"}, pgx.CopyFromRows(stuRows))
	must(err)
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"journeys"},
		[]string{"id", "student_id", "program_id", "program_year", "workflow_id"}, pgx.CopyFromRows(jRows))
	must(err)
	_, err = pool.Exec(ctx, `ANALYZE students; ANALYZE journeys`)
	must(err)
	return district
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n > 0 {
		return n
	}
	return def
}
