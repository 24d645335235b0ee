package roster

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParsePlainCSV feeds arbitrary bytes to the plain-CSV parser: it may
// reject rows or the whole file, but must never panic or hang.
func FuzzParsePlainCSV(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.csv")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("student_id,school_id,first_name,last_name\n1,,\"unterminated\n"))
	f.Add([]byte("\xef\xbb\xbfstudent_id,school_id\r\n\r\n,,,,,,,,,,,,,,,,,,,\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := SingleFile("students.csv", func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
		r, err := Parse(b, FormatCSV, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		if err == nil && r == nil {
			t.Fatal("Parse returned neither a roster nor an error")
		}
	})
}
