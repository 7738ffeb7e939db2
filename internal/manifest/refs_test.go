package manifest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/builtins" //nolint:staticcheck // the built-in plugins of this kustomize version, which the test classifies
	kustypes "sigs.k8s.io/kustomize/api/types"
)

// TestEveryKustomizationFieldIsClassified: every field of kustomize's
// Kustomization (and of the generator args, patches and replacements it
// holds) is either one refs.go checks for the files it loads or on the
// explicit list of fields that load none. A field a newer kustomize adds
// fails here until it is classified, so nothing it loads slips past the
// confinement check.
func TestEveryKustomizationFieldIsClassified(t *testing.T) {
	t.Parallel()
	for _, f := range jsonFields(reflect.TypeOf(kustypes.Kustomization{})) {
		use := kustomizationUse(f)
		switch {
		case use == useUnknown:
			t.Errorf("Kustomization field %q is not classified in kustomizationUse (refs.go)", f)
		case use == useNone && !slices.Contains(nonFileKustomizationFields, f):
			t.Errorf("Kustomization field %q is classified as loading nothing but is not on the list of non-file fields: does it load a file?", f)
		case use != useNone && slices.Contains(nonFileKustomizationFields, f):
			t.Errorf("Kustomization field %q is on the list of non-file fields but kustomizationUse says it loads files", f)
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeOf(kustypes.ConfigMapArgs{}), reflect.TypeOf(kustypes.SecretArgs{})} {
		for _, f := range jsonFields(typ) {
			if use := kvUse(f); use == useNone && !slices.Contains(nonFileGeneratorFields, f) {
				t.Errorf("%s field %q: kvUse says it loads nothing but it is not on the list of non-file fields", typ.Name(), f)
			}
		}
	}
	// the fields under patches and replacements: path is the only file
	for _, typ := range []reflect.Type{reflect.TypeOf(kustypes.Patch{}), reflect.TypeOf(kustypes.ReplacementField{})} {
		for _, f := range jsonFields(typ) {
			if f != "path" && !slices.Contains([]string{"patch", "target", "options", "source", "sourcevalue", "targets"}, f) {
				t.Errorf("%s has a new field %q: does it load a file? (refs.go useWithPath checks path only)", typ.Name(), f)
			}
		}
	}
}

// builtinPluginTypes are kustomize's built-in generator and transformer
// configs, by kind; TestEveryBuiltinPluginIsClassified checks the list
// against the builtins package.
var builtinPluginTypes = map[string]reflect.Type{
	"AnnotationsTransformer":         reflect.TypeOf(builtins.AnnotationsTransformerPlugin{}),
	"ConfigMapGenerator":             reflect.TypeOf(builtins.ConfigMapGeneratorPlugin{}),
	"HashTransformer":                reflect.TypeOf(builtins.HashTransformerPlugin{}),
	"HelmChartInflationGenerator":    reflect.TypeOf(builtins.HelmChartInflationGeneratorPlugin{}),
	"IAMPolicyGenerator":             reflect.TypeOf(builtins.IAMPolicyGeneratorPlugin{}),
	"ImageTagTransformer":            reflect.TypeOf(builtins.ImageTagTransformerPlugin{}),
	"LabelTransformer":               reflect.TypeOf(builtins.LabelTransformerPlugin{}),
	"NamespaceTransformer":           reflect.TypeOf(builtins.NamespaceTransformerPlugin{}),
	"PatchJson6902Transformer":       reflect.TypeOf(builtins.PatchJson6902TransformerPlugin{}),
	"PatchStrategicMergeTransformer": reflect.TypeOf(builtins.PatchStrategicMergeTransformerPlugin{}),
	"PatchTransformer":               reflect.TypeOf(builtins.PatchTransformerPlugin{}),
	"PrefixTransformer":              reflect.TypeOf(builtins.PrefixTransformerPlugin{}),
	"SuffixTransformer":              reflect.TypeOf(builtins.SuffixTransformerPlugin{}),
	"ReplacementTransformer":         reflect.TypeOf(builtins.ReplacementTransformerPlugin{}),
	"ReplicaCountTransformer":        reflect.TypeOf(builtins.ReplicaCountTransformerPlugin{}),
	"SecretGenerator":                reflect.TypeOf(builtins.SecretGeneratorPlugin{}),
	"ValueAddTransformer":            reflect.TypeOf(builtins.ValueAddTransformerPlugin{}),
}

// TestEveryBuiltinPluginIsClassified: every built-in generator and
// transformer of the kustomize in go.mod is known to pluginFieldUse, and
// each field of its config is either one refs.go checks for files or on
// the explicit list of fields that load none (Helm is refused whole).
func TestEveryBuiltinPluginIsClassified(t *testing.T) {
	t.Parallel()
	// the kinds the builtins package exports, read from its source
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "sigs.k8s.io/kustomize/api").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "builtins", "builtins.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	ast.Inspect(f, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && strings.HasSuffix(ts.Name.Name, "Plugin") {
			kinds = append(kinds, strings.TrimSuffix(ts.Name.Name, "Plugin"))
		}
		return true
	})
	if len(kinds) < 10 {
		t.Fatalf("found only %d plugin types in %s", len(kinds), file)
	}
	for _, kind := range kinds {
		typ, ok := builtinPluginTypes[kind]
		if !ok {
			t.Errorf("kustomize's builtins has %s, which builtinPluginTypes (and maybe pluginFieldUse) does not know", kind)
			continue
		}
		if _, known := pluginFieldUse(kind, ""); !known {
			t.Errorf("pluginFieldUse does not know the built-in %s", kind)
		}
		if use, _ := pluginFieldUse(kind, "x"); use == useHelm {
			continue // refused whole
		}
		for _, field := range jsonFields(typ) {
			use, _ := pluginFieldUse(kind, field)
			nonFile := slices.Contains(nonFilePluginFields[kind], field)
			switch {
			case use == useNone && !nonFile:
				t.Errorf("%s field %q: pluginFieldUse says it loads nothing but it is not on the list of non-file fields: does it load a file?", kind, field)
			case use != useNone && nonFile:
				t.Errorf("%s field %q is on the list of non-file fields but pluginFieldUse says it loads files", kind, field)
			}
		}
	}
}
