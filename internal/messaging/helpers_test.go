package messaging

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/testenv"
)

// fakeClock is a settable clock shared by the outbox, the dispatcher, the
// webhooks and the fake providers.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

var losAngeles = location("America/Los_Angeles")

// noonLA is a Tuesday noon in the district's zone: no quiet hours.
var noonLA = time.Date(2027, 6, 15, 12, 0, 0, 0, losAngeles)

// world is one district with the people messages go to.
type world struct {
	district, school, school2, program string
	student, journey                   string // Emma: phone and email, English
	guardian                           string // Ana: phone, Spanish
	employer, supervisor               string // email only
	coordinators                       []string
}

const (
	emmaPhone  = "+15555550101"
	emmaEmail  = "emma@example.org"
	anaPhone   = "+15555550102"
	hrEmail    = "hr@harbor.example"
	samEmail   = "sam@harbor.example"
	testSecret = "test-link-secret-0123456789abcdef0123"
)

// env is a migrated database, fake providers and a dispatcher on a fake clock.
type env struct {
	t      *testing.T
	ctx    context.Context
	pool   *pgxpool.Pool
	clock  *fakeClock
	minter *links.Minter
	outbox *Outbox
	tw     *fakeprovider.Twilio
	sg     *fakeprovider.SendGrid
	d      *Dispatcher
	w      world
	logs   *testenv.LogBuffer

	mu            sync.Mutex
	undeliverable []Undeliverable
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), pool: testenv.DB(t).Pool, clock: &fakeClock{t: noonLA},
		logs: &testenv.LogBuffer{}}
	e.minter = &links.Minter{Secret: []byte(testSecret), BaseURL: "https://intern.example-district.org"}
	e.outbox = &Outbox{Links: e.minter, Clock: e.clock}
	e.tw = fakeprovider.NewTwilio()
	e.tw.Now = e.clock.Now
	t.Cleanup(e.tw.Close)
	e.sg = fakeprovider.NewSendGrid()
	t.Cleanup(e.sg.Close)
	e.w = newWorld(t, e.pool)
	e.d = e.dispatcher(nil)
	return e
}

// providers talk to the fakes through the real SDKs; timeouts are short
// so timeout faults do not slow the tests.
func (e *env) providers() Providers {
	hc := &http.Client{Timeout: 500 * time.Millisecond}
	tw, err := NewTwilio(e.tw.Config(), "https://intern.example-district.org/webhooks/twilio/status", hc)
	if err != nil {
		e.t.Fatal(err)
	}
	return Providers{SMS: tw, Email: NewSendGrid(e.sg.Config(), "Summer Internships", hc)}
}

// dispatcher builds a fresh dispatcher (a "restarted worker").
func (e *env) dispatcher(tune func(*DispatcherConfig)) *Dispatcher {
	cfg := DispatcherConfig{
		SMSPerSecond: 1000, EmailPerSecond: 1000, Program: "Summer Internships",
		Contact: "Ms. Lopez at (555) 555-0100", Links: e.minter, Clock: e.clock,
		OnUndeliverable: UndeliverableFunc(func(_ context.Context, u Undeliverable) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.undeliverable = append(e.undeliverable, u)
			return nil
		}),
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tune != nil {
		tune(&cfg)
	}
	return NewDispatcher(e.pool, e.providers(), cfg)
}

func (e *env) enqueue(req Request) Outcome {
	e.t.Helper()
	var out Outcome
	err := pgx.BeginFunc(e.ctx, e.pool, func(tx pgx.Tx) error {
		var err error
		out, err = e.outbox.Enqueue(e.ctx, tx, req)
		return err
	})
	if err != nil {
		e.t.Fatalf("enqueue %s: %v", req.IdemKey, err)
	}
	return out
}

// nudge is a typical journey request to Emma with a survey link.
func (e *env) nudge(key string) Request {
	return Request{IdemKey: key, DistrictID: e.w.district, SchoolID: e.w.school, JourneyID: e.w.journey,
		To: Recipient{Kind: "student", Ref: e.w.student}, Template: "survey_nudge",
		Link: &LinkSpec{Action: "survey"}}
}

func (e *env) drain() DrainStats {
	return e.drainWith(e.d)
}

func (e *env) drainWith(d *Dispatcher) DrainStats {
	e.t.Helper()
	st, err := d.Drain(e.ctx)
	if err != nil {
		e.t.Fatalf("drain: %v", err)
	}
	return st
}

func (e *env) alerts() []Undeliverable {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Undeliverable(nil), e.undeliverable...)
}

// message reads back one outbox row.
type messageRow struct {
	Status, Channel, Provider, ProviderID, FailReason string
	Attempts                                          int
	SendAfter                                         time.Time
	LinkID                                            string
}

func (e *env) message(id int64) messageRow {
	e.t.Helper()
	var m messageRow
	err := e.pool.QueryRow(e.ctx, `SELECT status, channel, COALESCE(provider,''), COALESCE(provider_id,''),
		COALESCE(fail_reason,''), attempts, send_after, COALESCE(link_id::text,'') FROM messages WHERE id = $1`, id).
		Scan(&m.Status, &m.Channel, &m.Provider, &m.ProviderID, &m.FailReason, &m.Attempts, &m.SendAfter, &m.LinkID)
	if err != nil {
		e.t.Fatalf("message %d: %v", id, err)
	}
	return m
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(e.ctx, sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.pool.Exec(e.ctx, sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

func newWorld(t *testing.T, pool *pgxpool.Pool) world {
	t.Helper()
	id := func(sql string, args ...any) string {
		t.Helper()
		var s string
		if err := pool.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return s
	}
	var w world
	w.district = id(`INSERT INTO districts (name, timezone) VALUES ('Bay Unified', 'America/Los_Angeles') RETURNING id`)
	w.school = id(`INSERT INTO schools (district_id, name) VALUES ($1, 'Lincoln High') RETURNING id`, w.district)
	w.school2 = id(`INSERT INTO schools (district_id, name) VALUES ($1, 'Roosevelt High') RETURNING id`, w.district)
	w.program = id(`INSERT INTO programs (district_id, name, kind, program_year) VALUES ($1, 'Summer Internships',
		'summer_paid', 2027) RETURNING id`, w.district)
	w.student, w.journey = addStudent(t, pool, w, w.school, "Emma", emmaPhone, emmaEmail, "en", "")
	w.guardian = id(`INSERT INTO guardians (student_id, position, name, phone, language) VALUES ($1, 1, 'Ana Rivera', $2, 'es')
		RETURNING id`, w.student, anaPhone)
	w.employer = id(`INSERT INTO employers (district_id, name, contact_email) VALUES ($1, 'Harbor Clinic', $2) RETURNING id`,
		w.district, hrEmail)
	w.supervisor = id(`INSERT INTO supervisors (employer_id, name, email) VALUES ($1, 'Sam Lee', $2) RETURNING id`,
		w.employer, samEmail)
	for i, email := range []string{"lopez@bay.example", "kim@bay.example"} {
		s := id(`INSERT INTO staff (district_id, name, email) VALUES ($1, $2, $3) RETURNING id`, w.district,
			[]string{"Maria Lopez", "Dan Kim"}[i], email)
		id(`INSERT INTO staff_roles (staff_id, role, school_id) VALUES ($1, 'coordinator', $2) RETURNING id::text`, s, w.school)
		w.coordinators = append(w.coordinators, s)
	}
	return w
}

// addStudent creates a student with an open journey.
func addStudent(t testing.TB, pool *pgxpool.Pool, w world, school, first, phone, email, lang, tz string) (string, string) {
	t.Helper()
	ctx := context.Background()
	var st, j string
	err := pool.QueryRow(ctx, `INSERT INTO students (district_id, school_id, first_name, last_name, phone, email, language, timezone)
		VALUES ($1, $2, $3, 'Rivera', NULLIF($4,''), NULLIF($5,''), $6, NULLIF($7,'')) RETURNING id`,
		w.district, school, first, phone, email, lang, tz).Scan(&st)
	if err == nil {
		err = pool.QueryRow(ctx, `INSERT INTO journeys (student_id, program_id, program_year, workflow_id)
			VALUES ($1, $2, 2027, 'journey-' || gen_random_uuid()) RETURNING id`, st, w.program).Scan(&j)
	}
	if err != nil {
		t.Fatalf("add student: %v", err)
	}
	return st, j
}

func slogTo(w *testenv.LogBuffer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

var errErrCrash = errorString("worker killed")

type errorString string

func (e errorString) Error() string { return string(e) }
