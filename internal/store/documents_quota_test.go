package store_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// TestSaveLinkDocument_ConcurrentUploadsCannotBothTakeTheLastRoom: eight
// uploads at once through a link with room for three store three; the
// others get ErrLinkQuota, and a refused file deleted frees its room.
func TestSaveLinkDocument_ConcurrentUploadsCannotBothTakeTheLastRoom(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	var link string
	hash := sha256.Sum256([]byte("token"))
	if err := st.Pool.QueryRow(ctx, `INSERT INTO action_links (id, token_hash, person_kind, person_ref, action, expires_at)
		VALUES (gen_random_uuid(), $1, 'student', 's1', 'upload_badge', now() + interval '1 day') RETURNING id`, hash[:]).Scan(&link); err != nil {
		t.Fatal(err)
	}
	quota := store.LinkQuota{Files: 3, Bytes: 1 << 20}
	doc := func() store.Document {
		b := make([]byte, 100)
		_, _ = rand.Read(b)
		sum := sha256.Sum256(b)
		return store.Document{Kind: "other", ContentType: "application/pdf", SHA256: sum[:], Bytes: b, LinkID: link}
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		saved  []string
		refuse int
	)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := st.SaveLinkDocument(ctx, doc(), quota)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				saved = append(saved, id)
			case errors.Is(err, store.ErrLinkQuota):
				refuse++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(saved) != 3 || refuse != 5 {
		t.Fatalf("saved %d, refused %d; want 3 and 5", len(saved), refuse)
	}
	if u, err := st.LinkUsage(ctx, link); err != nil || u.Files != 3 || u.Bytes != 300 {
		t.Fatalf("usage %+v, %v", u, err)
	}
	if err := st.DeleteLinkDocument(ctx, saved[0], link); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveLinkDocument(ctx, doc(), quota); err != nil {
		t.Fatalf("a deleted file's room: %v", err)
	}
	big := doc()
	big.Bytes = make([]byte, 1<<20)
	if err := st.DeleteLinkDocument(ctx, saved[1], link); err != nil { // room for a file, not for its bytes
		t.Fatal(err)
	}
	if _, err := st.SaveLinkDocument(ctx, big, quota); !errors.Is(err, store.ErrLinkQuota) {
		t.Fatalf("a file over the bytes left: %v", err)
	}
}
