package records

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// Manifest describes an export archive: every file in it with its size and
// SHA-256, how many rows each table file holds, and the schema the rows
// follow. It is the archive's manifest.json.
type Manifest struct {
	StudentID   string    `json:"student_id"`
	GeneratedAt time.Time `json:"generated_at"`
	// SchemaVersion is the newest migration applied (its number and name).
	SchemaVersion   int    `json:"schema_version"`
	SchemaMigration string `json:"schema_migration"`
	Files           []File `json:"files"`
	// NotStudentData lists the tables the export leaves out and why.
	NotStudentData map[string]string `json:"tables_without_student_data"`
	Notes          []string          `json:"notes"`
}

// File is one file of the archive.
type File struct {
	Path   string `json:"path"`
	Table  string `json:"table,omitempty"`
	About  string `json:"about,omitempty"`
	Rows   *int   `json:"rows,omitempty"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Rows returns the row count the manifest gives a table (-1 if absent).
func (m Manifest) Rows(table string) int {
	for _, f := range m.Files {
		if f.Table == table && f.Rows != nil {
			return *f.Rows
		}
	}
	return -1
}

// archive collects the files of an export before they are zipped, so a
// failure midway never leaves a half-written archive.
type archive struct {
	m     Manifest
	files []archived
}

type archived struct {
	path string
	body []byte
}

func (a *archive) add(path string, body []byte, f File) {
	sum := sha256.Sum256(body)
	f.Path, f.Bytes, f.SHA256 = path, len(body), hex.EncodeToString(sum[:])
	a.m.Files = append(a.m.Files, f)
	a.files = append(a.files, archived{path, body})
}

// Export writes the student's record to w as a zip archive: manifest.json;
// tables/<table>.json with the student's rows of every table in Tables
// (messages with their text as sent); documents/ with each document's
// bytes; workflows.json with the student's Temporal workflows. The rows
// are read in one snapshot.
func (s *Service) Export(ctx context.Context, studentID string, w io.Writer) (Manifest, error) {
	a := &archive{m: Manifest{StudentID: studentID, GeneratedAt: s.now(), NotStudentData: map[string]string{},
		Notes: []string{
			"Each tables/<table>.json holds the student's rows of that table as JSON; binary columns are hex.",
			"Messages carry sent_subject and sent_text: the message as the provider was given it. Action-link tokens are withheld.",
			"Document files are in documents/<document id>/<file name>; their SHA-256 is in tables/documents.json.",
		}}}
	for _, t := range Tables {
		if t.NotStudentData != "" {
			a.m.NotStudentData[t.Name] = t.NotStudentData
		}
	}
	err := s.Store.InSnapshot(ctx, func(tx pgx.Tx) error {
		if _, err := store.StudentDistrict(ctx, tx, studentID, false); err != nil {
			return err
		}
		var err error
		if a.m.SchemaVersion, a.m.SchemaMigration, err = store.SchemaVersion(ctx, tx); err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		// Parents first (the student, guardians, journeys), the reverse of
		// the purge's order, so the archive reads from the student down.
		for _, t := range slices.Backward(store.StudentRecordTables()) {
			if err := s.exportTable(ctx, tx, a, t, studentID); err != nil {
				return err
			}
		}
		return exportDocuments(ctx, tx, a, studentID)
	})
	if err != nil {
		return a.m, err
	}
	if err := s.exportWorkflows(ctx, a, studentID); err != nil {
		return a.m, err
	}
	return a.m, a.write(w)
}

func (s *Service) exportTable(ctx context.Context, tx pgx.Tx, a *archive, t Table, studentID string) error {
	list, err := store.StudentTableRows(ctx, tx, t, studentID)
	if err != nil {
		return fmt.Errorf("export %s: %w", t.Name, err)
	}
	if t.Name == "messages" {
		for _, m := range list {
			s.addSentText(ctx, m)
		}
	}
	if list == nil {
		list = []map[string]any{}
	}
	body, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return fmt.Errorf("export %s: %w", t.Name, err)
	}
	n := len(list)
	a.add("tables/"+t.Name+".json", body, File{Table: t.Name, About: t.About, Rows: &n})
	return nil
}

// linkToken matches an action link's token in a rendered message.
var linkToken = regexp.MustCompile(`/l/[A-Za-z0-9_-]{16,}`)

// addSentText renders a message row as the dispatcher sends it. A message
// a digest email carried is rendered alone: the digest's other items are
// about other students. A message that cannot be rendered any more (a
// template since removed) says why.
func (s *Service) addSentText(ctx context.Context, m map[string]any) {
	id, ok := m["id"].(float64)
	if !ok {
		return
	}
	render := messaging.RenderStored
	if m["digest_lead"] != nil {
		render = messaging.RenderStoredAlone
		m["sent_in_digest"] = "sent in a digest email with other items; shown alone, as the others concern other students"
	}
	out, err := render(ctx, s.Store.Pool, s.Render, int64(id))
	if err != nil {
		m["sent_text_error"] = err.Error()
		return
	}
	m["sent_subject"] = out.Subject
	m["sent_text"] = linkToken.ReplaceAllString(out.Text, "/l/[link withheld]")
}

// exportDocuments adds each document's bytes. A document kept in a blob
// store (no bytes in the database) is named in the notes.
func exportDocuments(ctx context.Context, tx pgx.Tx, a *archive, studentID string) error {
	err := store.StudentDocumentFiles(ctx, tx, studentID, func(d store.DocumentFile) error {
		if d.Bytes == nil {
			a.m.Notes = append(a.m.Notes, fmt.Sprintf("document %s is kept in the blob store under %v, not in this archive", d.ID, d.BlobKey))
			return nil
		}
		a.add("documents/"+d.ID+"/"+safeName(d.Filename, d.Kind), d.Bytes, File{About: d.Kind})
		return nil
	})
	if err != nil {
		return fmt.Errorf("export documents: %w", err)
	}
	return nil
}

// safeName keeps a file name to one path element of plain characters.
func safeName(name, fallback string) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 32 || r == ':' {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, ". ")
	if name == "" {
		return fallback
	}
	return name
}

// exportWorkflows lists the student's workflows (ids, types, status and
// times; their inputs are the rows above).
func (s *Service) exportWorkflows(ctx context.Context, a *archive, studentID string) error {
	ids, err := s.workflowIDs(ctx, studentID)
	if err != nil {
		return err
	}
	runs, err := s.listRuns(ctx, ids)
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []run{}
	}
	body, err := json.MarshalIndent(runs, "", "  ")
	if err != nil {
		return err
	}
	n := len(runs)
	a.add("workflows.json", body, File{About: "the student's Temporal workflows (journeys, timesheet weeks)", Rows: &n})
	return nil
}

// write zips the files, the manifest first.
func (a *archive) write(w io.Writer) error {
	manifest, err := json.MarshalIndent(a.m, "", "  ")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := append([]archived{{"manifest.json", manifest}}, a.files...)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.path, Method: zip.Deflate, Modified: a.m.GeneratedAt})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.body); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
