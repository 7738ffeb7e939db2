package policies

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// The bases that runner-reachability warns about, in Go.
//
// runner-reachability read every base Terraform whose API endpoint is
// private (lib.eks_bases_by_endpoint_access[false]), looked its key up in
// the components' dependencies and read its annotation
// fluxtf.io/runner-access: on a fleet, where most bases are private and
// have components, about a third of the rules' evaluation steps, most of
// them in bases that warn. The engine picks those bases here, as
// input.facts "base_unreached" (lib.eks_unreached_bases, summaries.rego,
// whose derivation stays the reference; TestEngineSummariesMatchTheLibrary
// holds them equal), and the rule makes a finding of each.

// Terms of the summary's name and of the fields it reads.
var (
	tBaseUnreached, tRunnerAccess = ast.StringTerm("base_unreached"), ast.StringTerm("fluxtf.io/runner-access")
)

// unreachedTasks returns the task that adds "base_unreached" of the
// base facts base to the facts out, when out has the components'
// dependencies (facts_deps.go); none otherwise.
func unreachedTasks(out ast.Object, base *ast.Array) []func() [][2]*ast.Term {
	c := at(out.Get(tDeps), tComponents)
	if c == nil {
		return nil
	}
	components, ok := c.Value.(ast.Set)
	if !ok {
		return nil
	}
	return []func() [][2]*ast.Term{func() [][2]*ast.Term {
		return [][2]*ast.Term{{tBaseUnreached, unreachedBases(base, components)}}
	}}
}

// unreachedBases is lib.eks_unreached_bases of the base facts base (when
// every Terraform is of the eks family) and the keys components
// (lib.component_dependencies): in order, each base whose last
// cluster_endpoint_public_access var has the inline value false, whose
// key is in components and whose object has no annotation
// fluxtf.io/runner-access with a string of more than white space.
func unreachedBases(base *ast.Array, components ast.Set) *ast.Term {
	var out []*ast.Term
	if components.Len() == 0 {
		return ast.ArrayTerm() // the rule's count(_depended) > 0
	}
	base.Foreach(func(f *ast.Term) {
		i := at(f, tY, tVM, tEndpointAccess)
		if i == nil {
			return
		}
		if v := at(f, tVS, i, tValue); v == nil || v.Value.Compare(ast.Boolean(false)) != 0 {
			return
		}
		if k := f.Get(tKey); k == nil || !components.Contains(k) {
			return
		}
		if a, ok := str(at(f, tR, tObj, tMetadata, tAnnotations, tRunnerAccess)); ok && strings.TrimSpace(a) != "" {
			return
		}
		out = append(out, f)
	})
	return ast.ArrayTerm(out...)
}
