package policies

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/templates"
)

// varReaders are the functions that take a Terraform (fact or record) and
// a var name, as the rules and the library call them.
var varReaders = map[string]bool{
	"lib.fvar": true, "lib.fvar_entry": true, "lib.var": true, "lib.var_entry": true,
	"api.var": true, "api.has_var": true,
	// the library calls its own without the prefix
	"fvar": true, "fvar_entry": true, "var": true, "var_entry": true,
}

// varIndexes are the fields indexing a Terraform's vars by name: f.y.vm.<name>
// (the library's facts) and o.var_index.<name> (the API's records).
var varIndexes = map[string]bool{"vm": true, "var_index": true}

// ruleVarNames lists the var names the embedded rules and library read,
// by name, with the files reading each.
func ruleVarNames(t *testing.T) map[string][]string {
	t.Helper()
	mods := map[string]*ast.Module{}
	for _, root := range []string{"rules", "lib"} {
		pol, _, err := loadModules(Embedded, []string{root}, false)
		if err != nil {
			t.Fatal(err)
		}
		for n, m := range pol {
			if n != CatalogueFile {
				mods[n] = m
			}
		}
	}
	names := map[string][]string{}
	add := func(n, file string) {
		if !slices.Contains(names[n], file) {
			names[n] = append(names[n], file)
		}
	}
	for file, m := range mods {
		ast.WalkTerms(m, func(tm *ast.Term) bool {
			switch v := tm.Value.(type) {
			case ast.Call:
				if len(v) == 3 && varReaders[v[0].String()] {
					if s, ok := v[2].Value.(ast.String); ok {
						add(string(s), file)
					}
				}
			case ast.Ref:
				for i := 1; i+1 < len(v); i++ {
					if k, ok := v[i].Value.(ast.String); ok && varIndexes[string(k)] {
						if s, ok := v[i+1].Value.(ast.String); ok {
							add(string(s), file)
						}
					}
				}
			}
			return false
		})
		// statement calls: lib.fvar(f, "os") as an expression of its own
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if e.IsCall() && varReaders[e.Operator().String()] {
				if ts, ok := e.Terms.([]*ast.Term); ok && len(ts) >= 3 {
					if s, ok := ts[2].Value.(ast.String); ok {
						add(string(s), file)
					}
				}
			}
			return false
		})
	}
	return names
}

// TestRulesReadCatalogueVars: every Terraform var a rule reads by name is
// an input of some module of the embedded catalogues (a renamed or
// misspelt one would silently disable the rule), and no rule writes the
// name of a module's versionVar: those come from the catalogue
// (data.fluxtf.api.version_var), so that renaming one there is a data
// change.
func TestRulesReadCatalogueVars(t *testing.T) {
	t.Parallel()
	set := templates.Embedded()
	inputs := map[string]bool{}
	versionVars := map[string]string{}
	for _, sn := range set.StackNames() {
		st, err := set.Stack(sn)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range append([]*templates.Module{&st.Base}, componentPtrs(st)...) {
			for _, in := range st.Contract(m) {
				inputs[in.Name] = true
			}
			if m.VersionVar != "" {
				versionVars[m.VersionVar] = sn + "/" + m.Name
			}
		}
	}
	names := ruleVarNames(t)
	if len(names) < 5 {
		t.Fatalf("found only %d var names read by the rules (%v): the scan is broken", len(names), names)
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		files := strings.Join(names[n], ", ")
		if !inputs[n] {
			t.Errorf("%s: reads the var %q, which no module of templates/stacks/*.yaml takes", files, n)
		}
		if m, ok := versionVars[n]; ok {
			t.Errorf("%s: names the var %q, the versionVar of %s: read it from the catalogue with api.version_var(stack, component) or api.version(o)", files, n, m)
		}
	}
}

// TestRulesWriteNoVersionVarLiteral: no string in a rule or the library
// is the name of a versionVar, wherever it is written (not only as the
// argument of a var reader).
func TestRulesWriteNoVersionVarLiteral(t *testing.T) {
	t.Parallel()
	set := templates.Embedded()
	versionVars := map[string]string{}
	for _, sn := range set.StackNames() {
		st, err := set.Stack(sn)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range componentPtrs(st) {
			if m.VersionVar != "" {
				versionVars[m.VersionVar] = sn + "/" + m.Name
			}
		}
	}
	for _, root := range []string{"rules", "lib"} {
		pol, _, err := loadModules(Embedded, []string{root}, false)
		if err != nil {
			t.Fatal(err)
		}
		for file, m := range pol {
			// the generated copies of the catalogues are where the names
			// live: data, not a rule writing one
			if file == CatalogueFile || file == CatalogueVersionsFile {
				continue
			}
			ast.WalkTerms(m, func(tm *ast.Term) bool {
				if s, ok := tm.Value.(ast.String); ok {
					if mod, ok := versionVars[string(s)]; ok {
						t.Errorf("%s:%d: writes %q, the versionVar of %s: read it from the catalogue (api.version_var)", file, tm.Location.Row, string(s), mod)
					}
				}
				return false
			})
		}
	}
}
