package links

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/testenv"
)

func TestToken_TamperedOrForeign_IsInvalidWithoutAQuery(t *testing.T) {
	m := &Minter{Secret: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "https://x"}
	tok, err := m.Token("6f1c2a3b-1111-4222-8333-444455556666")
	if err != nil {
		t.Fatal(err)
	}
	if !m.wellFormed(tok) {
		t.Fatal("a minted token is not well formed")
	}
	flipped := []byte(tok)
	flipped[len(flipped)-1] ^= 1
	other := &Minter{Secret: []byte("another-secret-another-secret-xx")}
	for name, bad := range map[string]string{"tampered": string(flipped), "foreign": tok, "short": tok[:10], "junk": "!!!"} {
		mm := m
		if name == "foreign" {
			mm = other
		}
		if mm.wellFormed(bad) {
			t.Errorf("%s token accepted", name)
		}
	}
	if len(tok) < 40 {
		t.Errorf("token %q carries too little entropy", tok)
	}
}

func TestResolve_ExpiredUsedRevoked_EachSaysWhy(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	m := &Minter{Secret: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "https://x", TTL: time.Hour}
	id, tok, err := m.Create(ctx, st.Pool, Spec{PersonKind: "student", PersonRef: "s1", Action: "survey", SingleUse: true})
	if err != nil {
		t.Fatal(err)
	}
	var stored []byte
	if err := st.Pool.QueryRow(ctx, `SELECT token_hash FROM action_links WHERE id = $1`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), tok) {
		t.Fatal("the token is stored in clear")
	}
	now := time.Now()
	if l, err := m.Resolve(ctx, st.Pool, tok, now); err != nil || l.Action != "survey" {
		t.Fatalf("fresh link: %+v %v", l, err)
	}
	if _, err := m.Resolve(ctx, st.Pool, tok, now.Add(2*time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("after its TTL: %v, want expired", err)
	}
	if err := MarkUsed(ctx, st.Pool, id); err != nil {
		t.Fatal(err)
	}
	if err := MarkUsed(ctx, st.Pool, id); !errors.Is(err, ErrUsed) {
		t.Errorf("second use of a single-use link: %v, want ErrUsed", err)
	}
	if _, err := m.Resolve(ctx, st.Pool, tok, now); !errors.Is(err, ErrUsed) {
		t.Errorf("used link resolves: %v", err)
	}
	id2, tok2, _ := m.Create(ctx, st.Pool, Spec{PersonKind: "student", PersonRef: "s1", Action: "survey"})
	if err := Revoke(ctx, st.Pool, id2); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Resolve(ctx, st.Pool, tok2, now); !errors.Is(err, ErrRevoked) {
		t.Errorf("revoked link resolves: %v", err)
	}
}

// A newer link of the same person and step supersedes only the older
// ones, and says so (it is ErrRevoked too, for callers that only need
// "off"); staff's turning off says it was staff. (Turning off one party's
// links of a journey: staff's TestRevokeLinks_*.)
func TestRevoked_SupersededOrByStaff_EachSaysWhy_OthersUntouched(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	m := &Minter{Secret: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "https://x", TTL: time.Hour}
	const journey = "" // an MOU's links carry no journey; a journey's match on it too
	mint := func(kind, ref, action, subject string) (string, string) {
		t.Helper()
		id, tok, err := m.Create(ctx, st.Pool, Spec{JourneyID: journey, PersonKind: kind, PersonRef: ref, Action: action, SubjectRef: subject})
		if err != nil {
			t.Fatal(err)
		}
		// created_at is the transaction's time: space the links out.
		if _, err := st.Pool.Exec(ctx, `UPDATE action_links SET created_at = created_at - interval '1 hour' WHERE id <> $1`, id); err != nil {
			t.Fatal(err)
		}
		return id, tok
	}
	resolve := func(tok string) error {
		_, err := m.Resolve(ctx, st.Pool, tok, time.Now())
		return err
	}
	_, old := mint("employer", "e1", "sign_mou", "emp1")
	_, otherSubject := mint("employer", "e1", "sign_mou", "emp2")
	_, otherPerson := mint("employer", "e2", "sign_mou", "emp1")
	newID, newest := mint("employer", "e1", "sign_mou", "emp1")
	if err := Supersede(ctx, st.Pool, []string{newID}); err != nil {
		t.Fatal(err)
	}
	if err := resolve(old); !errors.Is(err, ErrSuperseded) || !errors.Is(err, ErrRevoked) {
		t.Errorf("older link: %v, want superseded", err)
	}
	for name, tok := range map[string]string{"newest": newest, "other subject": otherSubject, "other person": otherPerson} {
		if err := resolve(tok); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := Revoke(ctx, st.Pool, newID); err != nil {
		t.Fatal(err)
	}
	if err := resolve(newest); !errors.Is(err, ErrRevoked) || errors.Is(err, ErrSuperseded) {
		t.Errorf("staff-revoked link: %v", err)
	}
}

// A person's page (or a supervisor's inbox) asks for their link to a step each time it is shown:
// it gets the same working link back, a new one only once that link is
// spent, expired or turned off, and never another person's or step's.
func TestEnsure_SameWorkingLinkUntilItStopsWorking(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	m := &Minter{Secret: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "https://x", TTL: time.Hour}
	spec := Spec{PersonKind: "guardian", PersonRef: "g1", Action: "sign_permit", SubjectRef: "guardian:v1",
		DocumentSHA256: make([]byte, 32), SingleUse: true}
	first, err := m.Ensure(ctx, st.Pool, spec)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := m.Ensure(ctx, st.Pool, spec); err != nil || again != first {
		t.Fatalf("shown again: %s (%v), want the same link %s", again, err, first)
	}
	other := spec
	other.PersonRef, other.SubjectRef = "g2", "guardian:v2"
	if id, _ := m.Ensure(ctx, st.Pool, other); id == first {
		t.Fatal("another person's or version's link was handed out")
	}
	inbox, _ := m.Ensure(ctx, st.Pool, InboxSpec("supervisor", "sup1"))
	for _, o := range []Spec{InboxSpec("supervisor", "sup2"), InboxSpec("employer", "sup1")} {
		if id, _ := m.Ensure(ctx, st.Pool, o); id == inbox {
			t.Fatal("another person got this supervisor's inbox")
		}
	}
	newer := spec
	newer.DocumentSHA256 = append(make([]byte, 31), 1)
	if id, _ := m.Ensure(ctx, st.Pool, newer); id == first {
		t.Fatal("a link bound to another document was handed out")
	}
	for name, off := range map[string]string{
		"spent":   `UPDATE action_links SET used_at = now() WHERE id = $1`,
		"expired": `UPDATE action_links SET expires_at = now() - interval '1 second' WHERE id = $1`,
		"revoked": `UPDATE action_links SET revoked_at = now(), revoked_reason = 'staff' WHERE id = $1`,
	} {
		cur, err := m.Ensure(ctx, st.Pool, spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Pool.Exec(ctx, off, cur); err != nil {
			t.Fatal(err)
		}
		next, err := m.Ensure(ctx, st.Pool, spec)
		if err != nil || next == cur {
			t.Fatalf("%s link: got %s (%v), want a new one", name, next, err)
		}
		tok, _ := m.Token(next)
		if _, err := m.Resolve(ctx, st.Pool, tok, time.Now()); err != nil {
			t.Fatalf("after a %s link, the new one does not work: %v", name, err)
		}
	}
}
