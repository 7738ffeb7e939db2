package policies

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/digx/fluxtf/templates"
)

// TestCatalogueIsFresh: the policies' copies of the catalogues
// (CatalogueFile, CatalogueVersionsFile) are what the embedded catalogues
// and compatibility matrices say; -update rewrites them. Every embedded
// Rego file generated from templates/ is one of them: one generator, one
// freshness test.
func TestCatalogueIsFresh(t *testing.T) {
	t.Parallel()
	want, err := CatalogueRego(templates.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range want {
		file := filepath.FromSlash(name)
		if *update {
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := Embedded.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s is stale: run go test ./policies -run TestCatalogueIsFresh -update", file)
		}
	}
	if !strings.Contains(string(want[CatalogueVersionsFile]), `"karpenter_version"`) {
		t.Error("the catalogue data lost the Karpenter version variable")
	}
	var generated []string
	err = fs.WalkDir(Embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		data, err := Embedded.ReadFile(p)
		if err != nil {
			return err
		}
		head, _, _ := strings.Cut(string(data), "\npackage ")
		if strings.Contains(head, "DO NOT EDIT") && strings.Contains(head, "templates/") {
			generated = append(generated, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range generated {
		if _, ok := want[p]; !ok {
			t.Errorf("%s says it is generated from templates/ but CatalogueRego does not write it: generate it there, so one test keeps it fresh", p)
		}
	}
	if len(generated) != len(want) {
		names := make([]string, 0, len(want))
		for n := range want {
			names = append(names, n)
		}
		slices.Sort(names)
		t.Errorf("generated Rego files %v, CatalogueRego writes %v", generated, names)
	}
}
