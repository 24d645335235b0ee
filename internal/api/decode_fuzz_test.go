package api

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"testing"
)

// FuzzDecode feeds arbitrary bodies to the JSON decoder every API handler
// uses: it must answer with a 400-class error or a value, never panic and
// never produce an error the API would report as a 500.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{`{"student_id":"x","program_id":"y"}`, `{}`, ``, `[]`, `{"student_id":1}`,
		`{"a":` + string(bytes.Repeat([]byte("["), 5000)), `{"student_id":"x"} trailing`, "\xff\xfe", `{"student_id":"\u0000"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/journeys", bytes.NewReader(body))
		var into struct {
			StudentID string `json:"student_id"`
			ProgramID string `json:"program_id"`
		}
		err := decode(r, &into)
		if err == nil {
			return
		}
		var he *httpError
		if !errors.As(err, &he) || he.status != 400 {
			t.Fatalf("decode(%q) = %v, want a 400", body, err)
		}
	})
}
