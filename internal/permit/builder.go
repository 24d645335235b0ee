package permit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/internal/names"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/typeface"
)

// Builder stores permit versions and signed permits in PostgreSQL.
type Builder struct {
	Store *store.Store
}

// Doc identifies one permit version's document (the permit activity
// hands it to the journey as activities.PermitDoc).
type Doc struct {
	Version    int
	DocumentID string
	SHA256     string
	// Changes says, per language ("en", "es"), what this version changed
	// from the one before (one line per field); empty for a first version
	// or when nothing changed.
	Changes map[string]string
}

// Prepare renders version v of the journey's permit and stores it. Calling
// it again for the same version returns the stored one, so a retried
// activity never makes a second document with a different hash.
func (b *Builder) Prepare(ctx context.Context, journeyID string, version int) (Doc, error) {
	doc := Doc{Version: version}
	err := b.Store.InTx(ctx, func(tx pgx.Tx) error {
		var sum []byte
		var err error
		doc.DocumentID, sum, err = store.PermitVersionDocument(ctx, tx, journeyID, version)
		if err == nil {
			doc.SHA256 = hex.EncodeToString(sum)
			return changedLines(ctx, tx, journeyID, &doc)
		}
		fields, err := loadFields(ctx, tx, journeyID, version)
		if err != nil {
			return err
		}
		pdf, err := render(fields, nil)
		if err != nil {
			return err
		}
		doc.DocumentID, doc.SHA256, err = storeDocument(ctx, tx, journeyID, "work_permit", fmt.Sprintf("work-permit-v%d.pdf", version), pdf)
		if err != nil {
			return err
		}
		key, err := fieldsKey(fields)
		if err != nil {
			return err
		}
		if err = store.InsertPermitVersion(ctx, tx, journeyID, version, doc.DocumentID, key[:]); err != nil {
			return err
		}
		return changedLines(ctx, tx, journeyID, &doc)
	})
	return doc, err
}

// changedLines tells the signers of a corrected version what changed,
// in each language a message may be written in.
func changedLines(ctx context.Context, tx pgx.Tx, journeyID string, doc *Doc) error {
	for _, lang := range []string{"en", "es"} {
		changes, err := changesTx(ctx, tx, journeyID, doc.Version, lang)
		if err != nil || len(changes) == 0 {
			return err
		}
		if doc.Changes == nil {
			doc.Changes = map[string]string{}
		}
		doc.Changes[lang] = ChangesText(changes, lang)
	}
	return nil
}

// Finalize renders the approved permit with its audit page (who signed,
// when, how, the document hash) and links it to the permit version.
func (b *Builder) Finalize(ctx context.Context, journeyID string, version int) (string, error) {
	var id string
	err := b.Store.InTx(ctx, func(tx pgx.Tx) error {
		w, err := store.ReadPermitToFinalize(ctx, tx, journeyID, version)
		if err != nil {
			return fmt.Errorf("permit %s v%d: %w", journeyID, version, err)
		}
		permitID, docID, existing := w.ID, w.DocumentID, w.SignedPDF
		if existing != nil {
			id = *existing
			return nil
		}
		fields, err := loadFields(ctx, tx, journeyID, version)
		if err != nil {
			return err
		}
		trail, err := loadAudit(ctx, tx, permitID, docID)
		if err != nil {
			return err
		}
		pdf, err := render(fields, &trail)
		if err != nil {
			return err
		}
		if id, _, err = storeDocument(ctx, tx, journeyID, "signed_pdf", fmt.Sprintf("work-permit-v%d-signed.pdf", version), pdf); err != nil {
			return err
		}
		return store.SetSignedPDF(ctx, tx, permitID, id)
	})
	return id, err
}

func storeDocument(ctx context.Context, tx pgx.Tx, journeyID, kind, name string, body []byte) (id, sha string, err error) {
	sum := sha256.Sum256(body)
	id, err = store.InsertPDF(ctx, tx, journeyID, kind, name, body, sum[:])
	return id, hex.EncodeToString(sum[:]), err
}

// Audit is the evidence printed on a signed permit's last page.
type Audit struct {
	DocumentSHA256 string
	Signatures     []Signature
	DecidedBy      string
	DecidedAt      time.Time
}

// Signature is one signer's evidence.
type Signature struct {
	Role, TypedName, IP, UserAgent, LinkID string
	ConsentAt, SignedAt                    time.Time
	// NameOnRecord is the signer's name as the district has it; Mismatch:
	// the typed name is not it (the signer confirmed it anyway).
	NameOnRecord string
	Mismatch     bool
}

func loadAudit(ctx context.Context, tx pgx.Tx, permitID, docID string) (Audit, error) {
	var a Audit
	d, err := store.ReadPermitDecision(ctx, tx, permitID)
	if err != nil {
		return a, err
	}
	a.DecidedBy, a.DecidedAt = d.DecidedBy, d.DecidedAt
	a.DocumentSHA256 = hex.EncodeToString(d.DocumentSHA256)
	evidence, err := store.ReadSignatureEvidence(ctx, tx, docID)
	if err != nil {
		return a, err
	}
	var refs []string
	for _, e := range evidence {
		a.Signatures = append(a.Signatures, Signature{Role: e.Role, TypedName: e.TypedName, IP: e.IP, UserAgent: e.UserAgent,
			LinkID: e.LinkID, ConsentAt: e.ConsentAt, SignedAt: e.SignedAt})
		refs = append(refs, e.SignerRef)
	}
	for i := range a.Signatures {
		rec, err := names.OnRecord(ctx, tx, refs[i])
		if err != nil {
			return a, fmt.Errorf("name on record: %w", err)
		}
		s := &a.Signatures[i]
		s.NameOnRecord, s.Mismatch = rec.Name, rec.Name != "" && !names.Match(s.TypedName, rec.Names()...)
	}
	return a, nil
}

// render draws the permit form in the embedded Unicode fonts, so every
// name prints as written; with an audit trail it adds the signature block
// and an audit page.
func render(f Fields, trail *Audit) ([]byte, error) { return draw(f, trail, typeface.New) }

// renderLegacy draws an unsigned permit as permits were drawn before the
// embedded fonts (core fonts), so a version prepared then still matches
// the hash its signers are shown.
func renderLegacy(f Fields) ([]byte, error) { return draw(f, nil, typeface.Legacy) }

// drawings counts permits drawn, so a test can see one was not.
var drawings atomic.Int64

func draw(f Fields, trail *Audit, newPen func(*fpdf.Fpdf) *typeface.Pen) ([]byte, error) {
	drawings.Add(1)
	pdf := fpdf.New("P", "mm", "Letter", "")
	// A fixed creation date keeps the bytes (and the hash) reproducible.
	pdf.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	// fpdf writes its font and resource catalogs from maps; sorted, the
	// same fields always give the same bytes (FieldsFor relies on it).
	pdf.SetCatalogSort(true)
	pen := newPen(pdf)
	pdf.AddPage()
	pen.Font(typeface.Sans, "B", 16)
	pen.Cell(0, 10, "Statement of Intent to Employ a Minor and Request for Work Permit", "", 1, "C")
	if f.Spanish {
		pen.Font(typeface.Sans, "I", 11)
		pen.Cell(0, 6, "Declaración de intención de emplear a un menor y solicitud de permiso de trabajo", "", 1, "C")
	}
	pen.Font(typeface.Sans, "", 10)
	pen.Cell(0, 6, fmt.Sprintf("Program year %d · version %d", f.ProgramYear, f.Version), "", 1, "C")
	pdf.Ln(4)
	renderRows(pdf, pen, f)
	pdf.Ln(6)
	pen.MultiCell(5, "The student, a parent or guardian, and the employer each sign below. The school's permit issuer then approves or rejects the permit.")
	if f.Spanish {
		pen.Font(typeface.Sans, "I", 10)
		pen.MultiCell(5, "El estudiante, un padre o tutor y el empleador firman abajo. Después, la persona de la escuela que emite los permisos aprueba o rechaza el permiso.")
	}
	if trail != nil {
		renderSignatures(pdf, pen, *trail, f.Spanish)
		renderAuditPage(pdf, pen, *trail)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render permit: %w", err)
	}
	return buf.Bytes(), nil
}

// renderRows prints the labelled lines; a bilingual permit has the
// Spanish label (and the value as Spanish writes it, when it differs)
// beneath the English.
func renderRows(pdf *fpdf.Fpdf, pen *typeface.Pen, f Fields) {
	en, es := f.Rows("en"), f.Rows("es")
	for i, row := range en {
		if !f.Spanish {
			pen.Font(typeface.Sans, "B", 11)
			pen.Cell(50, 8, row[0], "1", 0, "L")
			pen.Font(typeface.Sans, "", 11)
			pen.Cell(0, 8, row[1], "1", 1, "L")
			continue
		}
		x, y := pdf.GetXY()
		pageW, _ := pdf.GetPageSize()
		_, _, right, _ := pdf.GetMargins()
		pdf.Rect(x, y, 50, 12, "D")
		pdf.Rect(x+50, y, pageW-right-x-50, 12, "D")
		pen.Font(typeface.Sans, "B", 11)
		pen.Cell(50, 6, row[0], "", 0, "L")
		pen.Font(typeface.Sans, "", 11)
		pen.Cell(0, 6, row[1], "", 1, "L")
		pen.Font(typeface.Sans, "I", 9)
		pen.Cell(50, 5, es[i][0], "", 0, "L")
		if es[i][1] != row[1] {
			pen.Cell(0, 5, es[i][1], "", 0, "L")
		}
		pdf.SetXY(x, y+12)
	}
}

func renderSignatures(pdf *fpdf.Fpdf, pen *typeface.Pen, a Audit, spanish bool) {
	pdf.Ln(4)
	for _, s := range a.Signatures {
		pen.Font(typeface.Sans, "", 11)
		pen.Cell(50, 8, s.Role, "1", 0, "L")
		pen.Font(typeface.Serif, "I", 13)
		pen.Cell(80, 8, "/s/ "+s.TypedName, "1", 0, "L")
		pen.Font(typeface.Sans, "", 10)
		pen.Cell(0, 8, s.SignedAt.UTC().Format("2006-01-02 15:04 MST"), "1", 1, "L")
	}
	pen.Font(typeface.Sans, "", 11)
	pen.Cell(0, 8, fmt.Sprintf("Approved by the permit issuer %s on %s", a.DecidedBy, a.DecidedAt.UTC().Format("2006-01-02")), "", 1, "L")
	if spanish {
		day := locale.L{Lang: "es"}.Day(a.DecidedAt)
		pen.Font(typeface.Sans, "I", 10)
		pen.Cell(0, 6, fmt.Sprintf("Aprobado por la persona que emite los permisos en la escuela, %s, el %s", a.DecidedBy, day), "", 1, "L")
	}
}

// recordNote says how the typed name compares with the name on record.
func recordNote(s Signature) string {
	switch {
	case s.NameOnRecord == "":
		return ""
	case s.Mismatch:
		return fmt.Sprintf(" (NOT the name on record, %q; the signer confirmed it)", s.NameOnRecord)
	}
	return fmt.Sprintf(" (name on record %q)", s.NameOnRecord)
}

func renderAuditPage(pdf *fpdf.Fpdf, pen *typeface.Pen, a Audit) {
	pdf.AddPage()
	pen.Font(typeface.Sans, "B", 14)
	pen.Cell(0, 10, "Signature audit trail", "", 1, "L")
	pen.Font(typeface.Mono, "", 9)
	pen.MultiCell(5, "Document SHA-256 (the unsigned permit every signer saw):\n"+a.DocumentSHA256)
	pdf.Ln(3)
	pen.Font(typeface.Sans, "", 10)
	for _, s := range a.Signatures {
		pen.MultiCell(5, fmt.Sprintf(
			"%s — typed name %q%s; consented to sign electronically at %s; signed at %s; IP %s; link %s; browser %s",
			s.Role, s.TypedName, recordNote(s), s.ConsentAt.UTC().Format(time.RFC3339), s.SignedAt.UTC().Format(time.RFC3339), s.IP, s.LinkID, s.UserAgent))
		pdf.Ln(2)
	}
	pen.MultiCell(5, "Each signer opened a link sent only to them, consented to do business electronically, typed their full name and pressed Sign. Electronic signatures under the federal ESIGN Act and the state's UETA.")
}
