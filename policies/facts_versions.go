package policies

import (
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/templates"
)

// Component versions in Go.
//
// The release rules (component-version-pinned, release-order,
// component-compatibility...) read the component version of every
// Terraform that is not a base, which the library looks up once
// (lib.common_tf_versions: each Terraform's version var, named by the
// catalogue of its stack, lib.catalogue_versions) and which was the
// largest of its shared values on a fleet. The engine looks them up here,
// with the Terraforms' facts, as input.facts' "tf_versions" (and
// "baseline_tf_versions"): the library takes them when every Terraform's
// shape names a stack with versions in its catalogue and every Terraform
// is of the common family, the case its by-shape derivation
// (lib._common_tf_versions_by_shape) covers, which stays the reference.
// The version vars are the embedded catalogue's, of which
// lib.catalogue_versions is the generated copy
// (TestFactVersionVarsMatchTheLibrary).

// Terms of the version entries' keys.
var tVStack, tIndex, tVar = ast.StringTerm("vstack"), ast.StringTerm("index"), ast.StringTerm("var")

// versionVars is stack -> component -> its version var, of the embedded
// catalogues (nil when they do not load).
var versionVars = sync.OnceValue(func() map[string]map[string]string {
	set := templates.Embedded()
	out := map[string]map[string]string{}
	for _, name := range set.StackNames() {
		st, err := set.Stack(name)
		if err != nil {
			return nil
		}
		vs := map[string]string{}
		for _, m := range st.Components {
			if m.VersionVar != "" {
				vs[m.Name] = m.VersionVar
			}
		}
		out[st.Name] = vs
	}
	return out
})

// tfVersions is lib._common_tf_versions_by_shape of the Terraforms' facts
// tf (all of the fast path, all of the common family), or nil when the
// catalogues do not load: {"f", "stack", "vstack", "value", "index",
// "var"} of each Terraform that is not a base and whose stack's catalogue
// names its component's version var, set inline.
func tfVersions(tf []*ast.Term) *ast.Term {
	vars := versionVars()
	if vars == nil {
		return nil
	}
	var out []*ast.Term
	names := map[string]*ast.Term{}
	for _, f := range tf {
		fo := f.Value.(ast.Object)
		x := fo.Get(tX)
		if x.Get(tBase).Equal(tTrue) {
			continue
		}
		stack := x.Get(tStackKey)
		s, _ := str(stack)
		c, _ := str(x.Get(tComp))
		n, ok := vars[s][c]
		if !ok {
			continue
		}
		nt := names[n]
		if nt == nil {
			nt = ast.StringTerm(n)
			names[n] = nt
		}
		i := at(fo.Get(tY), tVM, nt)
		if i == nil {
			continue
		}
		v := at(fo.Get(tVS), i, tValue)
		if v == nil {
			continue
		}
		out = append(out, ast.ObjectTerm(
			ast.Item(tF, f), ast.Item(tStackKey, stack), ast.Item(tVStack, stack),
			ast.Item(tValue, v), ast.Item(tIndex, i), ast.Item(tVar, nt),
		))
	}
	return ast.ArrayTerm(out...)
}
