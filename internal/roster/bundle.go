package roster

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// maxFileBytes bounds one uncompressed file, so a zip bomb fails instead of
// filling memory: 1 GiB is ~20 times a 50,000-student users.csv.
const maxFileBytes = 1 << 30

// Bundle is the set of CSV files one import reads, by lower-case base name
// (users.csv, orgs.csv, students.csv, ...).
type Bundle struct {
	files  map[string]func() (io.ReadCloser, error)
	closer io.Closer
}

// Close releases the files (an open zip archive).
func (b *Bundle) Close() error {
	if b.closer == nil {
		return nil
	}
	return b.closer.Close()
}

// Has reports whether the bundle holds a file.
func (b *Bundle) Has(name string) bool { _, ok := b.files[name]; return ok }

// Names lists the bundle's files, sorted.
func (b *Bundle) Names() []string {
	out := make([]string, 0, len(b.files))
	for n := range b.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (b *Bundle) open(name string) (io.ReadCloser, error) {
	open, ok := b.files[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, os.ErrNotExist)
	}
	return open()
}

// OpenPath opens a directory of CSV files, a .zip of them, or one plain
// CSV file (read as students.csv unless it is named users.csv).
func OpenPath(p string) (*Bundle, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	switch {
	case info.IsDir():
		return openDir(p)
	case strings.EqualFold(filepath.Ext(p), ".zip"):
		z, err := zip.OpenReader(p)
		if err != nil {
			return nil, fmt.Errorf("open zip %s: %w", filepath.Base(p), err)
		}
		b := zipBundle(&z.Reader)
		b.closer = z
		return b, nil
	default:
		return SingleFile(filepath.Base(p), func() (io.ReadCloser, error) { return os.Open(p) }), nil
	}
}

func openDir(dir string) (*Bundle, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	b := &Bundle{files: map[string]func() (io.ReadCloser, error){}}
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		full := filepath.Join(dir, e.Name())
		b.files[strings.ToLower(e.Name())] = func() (io.ReadCloser, error) { return os.Open(full) }
	}
	return b, nil
}

// OpenZip reads a zip archive (an upload); files may sit in a folder.
func OpenZip(r io.ReaderAt, size int64) (*Bundle, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("read zip: %w", err)
	}
	return zipBundle(z), nil
}

func zipBundle(z *zip.Reader) *Bundle {
	b := &Bundle{files: map[string]func() (io.ReadCloser, error){}}
	for _, f := range z.File {
		name := strings.ToLower(path.Base(f.Name))
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") || path.Ext(name) != ".csv" {
			continue
		}
		b.files[name] = func() (io.ReadCloser, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			return &capped{ReadCloser: rc}, nil
		}
	}
	return b
}

// SingleFile wraps one uploaded or named CSV file: users.csv stays
// users.csv (a bare OneRoster users file), anything else is students.csv.
func SingleFile(name string, open func() (io.ReadCloser, error)) *Bundle {
	key := "students.csv"
	if strings.EqualFold(filepath.Base(name), "users.csv") {
		key = "users.csv"
	}
	return &Bundle{files: map[string]func() (io.ReadCloser, error){key: open}}
}

// DetectFormat names the format a bundle holds: users.csv means OneRoster,
// students.csv the plain format.
func DetectFormat(b *Bundle) (string, error) {
	switch {
	case b.Has("users.csv"):
		return FormatOneRoster, nil
	case b.Has("students.csv"):
		return FormatCSV, nil
	}
	return "", errors.New("found neither users.csv (OneRoster) nor students.csv (plain CSV)")
}

// errTooLarge is returned when a zipped file expands past maxFileBytes.
var errTooLarge = errors.New("file in zip is larger than 1 GiB uncompressed")

// capped fails a read once more than maxFileBytes came through.
type capped struct {
	io.ReadCloser
	n int64
}

func (c *capped) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	if c.n > maxFileBytes {
		return n, errTooLarge
	}
	return n, err
}
