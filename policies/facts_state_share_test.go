package policies

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestSecretWritersShareCatalogueKeys: Terraforms of one catalogue module
// that list no outputs write the module's outputs, one set shared by
// their Secret writers' entries, not a set made for each.
func TestSecretWritersShareCatalogueKeys(t *testing.T) {
	var path string
	for key, outs := range catalogueOutputs() {
		if len(outs) > 0 {
			path = "./" + key
			break
		}
	}
	if path == "" {
		t.Fatal("no catalogue module has outputs")
	}
	var tf []*ast.Term
	var specs []ast.Object
	for _, name := range []string{"a", "b", "c"} {
		tf = append(tf, ast.ObjectTerm(ast.Item(tNS, ast.StringTerm("flux-system")), ast.Item(tName, ast.StringTerm(name))))
		specs = append(specs, ast.NewObject(
			ast.Item(tPath, ast.StringTerm(path)),
			ast.Item(tWriteOutputsToSecret, ast.ObjectTerm(ast.Item(tName, ast.StringTerm(name+"-outputs")))),
		))
	}
	w := secretWriters(tf, specs)
	if w.Len() != 3 {
		t.Fatalf("%d writers, want 3: %v", w.Len(), w)
	}
	var first *ast.Term
	w.Foreach(func(_, v *ast.Term) {
		ks := v.Value.(*ast.Array).Elem(2)
		if first == nil {
			first = ks
		} else if ks != first {
			t.Errorf("writers' keys %v and %v are two sets, want one shared", first, ks)
		}
	})
}
