package links

import (
	"context"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/testenv"
)

// Ensure hands out the link the person already holds for a step, and a
// new one only when that link can no longer be used.
func TestEnsure_ReusesTheLiveLink_NewOnceUsedRevokedOrExpired(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	m := &Minter{Secret: []byte("0123456789abcdef0123456789abcdef"), BaseURL: "https://x", TTL: time.Hour}
	spec := Spec{PersonKind: "supervisor", PersonRef: "sup1", Action: "sign_mou", SubjectRef: "emp1", SingleUse: true}
	ensure := func(s Spec) string {
		t.Helper()
		id, err := m.Ensure(ctx, st.Pool, s)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := ensure(spec)
	if again := ensure(spec); again != first {
		t.Fatalf("a second Ensure minted %s, want the live %s", again, first)
	}
	other := spec
	other.SubjectRef = "emp2"
	if ensure(other) == first {
		t.Fatal("another subject got the same link")
	}
	inbox := ensure(InboxSpec("supervisor", "sup1"))
	if ensure(InboxSpec("supervisor", "sup2")) == inbox || ensure(InboxSpec("employer", "sup1")) == inbox {
		t.Fatal("another person got this supervisor's inbox")
	}

	if err := MarkUsed(ctx, st.Pool, first); err != nil {
		t.Fatal(err)
	}
	used := ensure(spec)
	if used == first {
		t.Fatal("a used single-use link was handed out again")
	}
	if err := Revoke(ctx, st.Pool, used); err != nil {
		t.Fatal(err)
	}
	revoked := ensure(spec)
	if revoked == used {
		t.Fatal("a revoked link was handed out again")
	}
	if _, err := st.Pool.Exec(ctx, `UPDATE action_links SET expires_at = now() - interval '1 second' WHERE id = $1`, revoked); err != nil {
		t.Fatal(err)
	}
	if ensure(spec) == revoked {
		t.Fatal("an expired link was handed out again")
	}
}
