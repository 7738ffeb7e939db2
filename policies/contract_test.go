package policies

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	rast "github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/manifest"
)

// contractConsts reads the string constants of internal/contract, the Go
// side of the names generated output and policies share.
func contractConsts(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "internal", "contract", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						out[n.Name] = v
					}
				}
			}
		}
	}
	return out
}

// embeddedModules parses every embedded Rego file but the tests.
func embeddedModules(t *testing.T) map[string]*rast.Module {
	t.Helper()
	mods := map[string]*rast.Module{}
	err := fs.WalkDir(Embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(Embedded, p)
		if err != nil {
			return err
		}
		m, err := rast.ParseModuleWithOpts(p, string(src), rast.ParserOptions{RegoVersion: rast.RegoV1})
		if err != nil {
			return err
		}
		mods[p] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

// TestContractNamesMatchGo keeps the label and annotation names the Rego
// reads equal to internal/contract's, which the generator writes: every
// "fluxtf.io/…" or "app.kubernetes.io/…" string in a rule or the library
// is one of the Go constants, and each label_*/annotation_* name lib.rego
// defines has the Go constant of the same name (label_tier: LabelTier).
func TestContractNamesMatchGo(t *testing.T) {
	t.Parallel()
	consts := contractConsts(t)
	values := map[string]bool{}
	for _, v := range consts {
		values[v] = true
	}
	mods := embeddedModules(t)
	for p, m := range mods {
		rast.WalkTerms(m, func(term *rast.Term) bool {
			s, ok := term.Value.(rast.String)
			if !ok {
				return false
			}
			v := string(s)
			if (strings.HasPrefix(v, "fluxtf.io/") || strings.HasPrefix(v, "app.kubernetes.io/")) && !values[v] {
				t.Errorf("%s:%d: %q is not a constant of internal/contract: add it there (the generator and the policies share it)", p, term.Location.Row, v)
			}
			return false
		})
	}
	lib := mods["lib/lib.rego"]
	if lib == nil {
		t.Fatal("lib/lib.rego not embedded")
	}
	checked := 0
	for _, r := range lib.Rules {
		name := r.Head.Name.String()
		if !strings.HasPrefix(name, "label_") && !strings.HasPrefix(name, "annotation_") {
			continue
		}
		s, ok := r.Head.Value.Value.(rast.String)
		if !ok {
			continue
		}
		goName := camel(name)
		if got, ok := consts[goName]; !ok || got != string(s) {
			t.Errorf("lib/lib.rego:%d: %s = %q, internal/contract %s = %q", r.Location.Row, name, s, goName, got)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("checked %d label_/annotation_ names of lib.rego, want the labels and annotations there", checked)
	}
}

// camel turns label_migration_guide into LabelMigrationGuide.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

// TestRuleVariablesAreRendered: every Terraform variable a rule reads by
// name (lib.var, lib.fvar, lib.fvar_entry) is one the generator writes for
// the fixtures, or an internal/contract Var constant (written when a spec
// asks for it). A variable renamed in the catalogue (a component's
// versionVar, say) and not in the rule would silently disable the rule;
// this test fails instead.
func TestRuleVariablesAreRendered(t *testing.T) {
	t.Parallel()
	read := map[string][]string{}
	for p, m := range embeddedModules(t) {
		rast.WalkTerms(m, func(term *rast.Term) bool {
			call, ok := term.Value.(rast.Call)
			if !ok || len(call) < 3 {
				return false
			}
			op := call[0].String()
			if op != "lib.var" && op != "lib.fvar" && op != "lib.fvar_entry" && op != "var" && op != "fvar" && op != "fvar_entry" {
				return false
			}
			if s, ok := call[2].Value.(rast.String); ok {
				read[string(s)] = append(read[string(s)], p+":"+strconv.Itoa(term.Location.Row))
			}
			return false
		})
	}
	if len(read) < 3 {
		t.Fatalf("found %d variables read by rules; the walk no longer sees lib.fvar calls", len(read))
	}
	set, err := manifest.Load([]string{filepath.Join("..", "fixtures", "clusters")}, manifest.Options{NoCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	rendered := map[string]bool{}
	for _, d := range set.Docs {
		if d.Kind != "Terraform" {
			continue
		}
		spec, _ := d.Object["spec"].(map[string]any)
		vars, _ := spec["vars"].([]any)
		for _, v := range vars {
			if m, ok := v.(map[string]any); ok {
				if n, ok := m["name"].(string); ok {
					rendered[n] = true
				}
			}
		}
	}
	for name, v := range contractConsts(t) {
		if strings.HasPrefix(name, "Var") {
			rendered[v] = true // the generator writes it when the spec asks
		}
	}
	var missing []string
	for v, where := range read {
		if !rendered[v] {
			missing = append(missing, v+" (read at "+strings.Join(where, ", ")+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("a rule reads the Terraform variable %s, which no rendered fixture Terraform has: rename it in the rule, or the catalogue no longer writes it", m)
	}
}
