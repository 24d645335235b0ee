package permit

import (
	"bytes"
	"context"
	"crypto/sha256"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// FieldsFor reads what version v of a journey's permit says, from the
// student record and the placement, and reports whether those fields,
// rendered now, reproduce the signed-for document byte for byte (sha256:
// the document's hash). Pages show the fields only when they do, so what
// a signer reads on screen is exactly what the PDF they sign says; a
// record edited since the PDF was made shows up as false.
func FieldsFor(ctx context.Context, st *store.Store, journeyID string, version int, sha []byte) (Fields, bool, error) {
	var f Fields
	var same bool
	err := st.InReadTx(ctx, func(tx pgx.Tx) error {
		var err error
		if f, err = loadFields(ctx, tx, journeyID, version); err != nil {
			return err
		}
		// A version prepared before the embedded fonts was drawn in core
		// fonts; drawn that way it still reproduces its hash.
		for _, draw := range []func(Fields) ([]byte, error){func(f Fields) ([]byte, error) { return render(f, nil) }, renderLegacy} {
			pdf, err := draw(f)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(pdf)
			if same = bytes.Equal(sum[:], sha); same {
				return nil
			}
		}
		return nil
	})
	return f, same, err
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
