package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecErrors loads each spec of testdata/specerrors/<case>/uat.yaml
// and compares the error with want.txt (file names relative to
// testdata/specerrors; -update rewrites it): every error of the spec in
// one run, sorted by line, at most MaxSpecErrors and a count of the rest.
func TestSpecErrors(t *testing.T) {
	t.Parallel()
	root := filepath.Join("testdata", "specerrors")
	ents, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(LoadOptions{SpecsDir: filepath.Join(root, name)}, "uat")
			if err == nil {
				t.Fatal("the spec loaded; want errors")
			}
			got := strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "") + "\n"
			wantFile := filepath.Join(root, name, "want.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
