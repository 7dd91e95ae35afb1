package meta

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsNoFrontEnd keeps the layering: the metadata store (tests
// included) imports nothing of the S3 front end or the roles above it.
func TestImportsNoFrontEnd(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob package files: %v (%d files)", err, len(files))
	}
	banned := []string{"/gateway", "/backend/user", "/backend/provider", "/backend/keeper", "/backend/node"}
	for _, f := range files {
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned {
				if strings.HasPrefix(path, "github.com/mefs-project/mefs"+b) {
					t.Errorf("%s imports %s", f, path)
				}
			}
		}
	}
}
