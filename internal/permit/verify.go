package permit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// FieldsFor reads what version v of a journey's permit says, from the
// student record and the placement, and reports whether those fields are
// the ones the signed-for document (sha256: its hash) was drawn from, or,
// for a version drawn before that was kept, whether they reproduce it
// byte for byte. Pages show the fields only when they do, so what a
// signer reads on screen is exactly what the PDF they sign says; a record
// edited since the PDF was made shows up as false.
func FieldsFor(ctx context.Context, st *store.Store, journeyID string, version int, sha []byte) (Fields, bool, error) {
	var f Fields
	var drawnFrom, drawn []byte
	err := st.InReadTx(ctx, func(tx pgx.Tx) error {
		var err error
		if f, err = loadFields(ctx, tx, journeyID, version); err != nil {
			return err
		}
		drawnFrom, drawn, err = store.PermitDrawnFrom(ctx, tx, journeyID, version)
		return err
	})
	if err != nil {
		return f, false, err
	}
	// The hash of the fields the PDF was drawn from is kept with it. The
	// same fields now say what the PDF says; different ones (a record
	// edited since, a home address a signer added) do not, since every
	// field is printed. Either way there is no need to draw it again.
	if drawnFrom != nil && bytes.Equal(drawn, sha) {
		key, err := fieldsKey(f)
		return f, err == nil && bytes.Equal(key[:], drawnFrom), err
	}
	same, err := reproduces(f, sha) // drawn outside the transaction: no connection held meanwhile
	return f, same, err
}

// fieldsKey is the SHA-256 of the fields' JSON: what a permit version
// keeps of the fields it was drawn from.
func fieldsKey(f Fields) ([32]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(b), nil
}

// Changes lists what version v of a journey's permit changed from the
// version before, in lang ("es" or English); none for a first version.
func Changes(ctx context.Context, st *store.Store, journeyID string, version int, lang string) ([]Change, error) {
	var out []Change
	err := st.InReadTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = changesTx(ctx, tx, journeyID, version, lang)
		return err
	})
	return out, err
}

// CurrentFields reads what the journey's permit would say if its next
// version were drawn now (the correction form starts from it).
func CurrentFields(ctx context.Context, st *store.Store, journeyID string, version int) (Fields, error) {
	var f Fields
	err := st.InReadTx(ctx, func(tx pgx.Tx) error {
		var err error
		f, err = loadFields(ctx, tx, journeyID, version)
		return err
	})
	return f, err
}

// reproduces says whether fields f, drawn now, give the PDF whose hash is
// sha: the check for a version drawn before its fields' hash was kept. A
// version prepared before the embedded fonts was drawn in core fonts;
// drawn that way it still reproduces its hash.
//
// The answer is remembered. Drawing is deterministic (the same fields
// always give the same bytes, which is what this check relies on), so
// for the same fields and hash it never changes; and drawing with the
// embedded fonts is costly: in a load run it was 61% of the API's CPU
// while permits were being signed, since each signer's page asks on
// opening, on confirming and on submitting (now only for older
// versions). Fields edited since give a different key, so they are
// drawn, and checked, again.
func reproduces(f Fields, sha []byte) (bool, error) {
	fk, err := fieldsKey(f)
	if err != nil {
		return false, err
	}
	k := sha256.Sum256(append(fk[:], sha...))
	if same, ok := checked.get(k); ok {
		return same, nil
	}
	for _, draw := range []func(Fields) ([]byte, error){func(f Fields) ([]byte, error) { return render(f, nil) }, renderLegacy} {
		pdf, err := draw(f)
		if err != nil {
			return false, err
		}
		if sum := sha256.Sum256(pdf); bytes.Equal(sum[:], sha) {
			checked.put(k, true)
			return true, nil
		}
	}
	checked.put(k, false)
	return false, nil
}

// checked holds reproduces' answers, a few thousand at most: a district's
// permits being signed at once.
var checked = &answers{max: 4096}

// answers is a bounded map that starts again when full: an answer
// forgotten is only drawn again.
type answers struct {
	mu  sync.Mutex
	max int
	m   map[[32]byte]bool
}

func (a *answers) get(k [32]byte) (bool, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	v, ok := a.m[k]
	return v, ok
}

func (a *answers) put(k [32]byte, v bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.m == nil || len(a.m) >= a.max {
		a.m = make(map[[32]byte]bool, a.max)
	}
	a.m[k] = v
}
