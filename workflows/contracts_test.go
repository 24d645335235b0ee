package workflows

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCallersUseTheContracts: outside workflows/ and activities/, code
// talks to a workflow through its contract file, never through the
// activities package. The worker's wiring (internal/app), which builds
// the activities it registers, is the one exception.
func TestCallersUseTheContracts(t *testing.T) {
	const activities = "github.com/internflow/internflow/activities"
	allowed := map[string]bool{"workflows": true, "activities": true, "internal/app": true}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || allowed[rel]) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == activities {
				t.Errorf("%s imports activities; use the workflow's contract in workflows/", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
