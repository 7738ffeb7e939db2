package policies

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/templates"
)

// TestCatalogueIsFresh: the policies' copy of the module contracts
// (lib/catalogue.rego) is what the embedded catalogues say; -update
// rewrites it.
func TestCatalogueIsFresh(t *testing.T) {
	t.Parallel()
	want, err := CatalogueRego(templates.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.FromSlash(CatalogueFile)
	if *update {
		if err := os.WriteFile(file, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Embedded.ReadFile(CatalogueFile)
	if err != nil {
		t.Fatal(err)
	}
	if !*update && !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go test ./policies -run TestCatalogueIsFresh -update", file)
	}
}
