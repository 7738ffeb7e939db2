package policies

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/contract"
)

// Summaries of the facts in Go.
//
// With the facts themselves (facts.go) the library derived, serially and
// from every fact, a few values most rules read: the distinct shapes and
// layouts of the Terraforms (lib.tf_shapes, tf_layouts, git_shapes), the
// facts by key (lib.fact_index, baseline_fact_index), the values of the
// policies annotation (lib._tf_policies, _git_policies), the base
// Terraforms (lib.base_facts) and their OS vars (lib.base_oses), the
// release rules' groups of Terraforms (lib.common_tf_groups): about a
// tenth of a fleet's evaluation, each a walk over every object. The engine
// computes them here from the facts it made, as input.facts' values of the
// same names; each is given only with the facts it is made of, and the
// index only when no two objects share a key (the library then picks one
// by its records' order). The library's derivation stays the reference
// (FLUXTF_SLOW=facts, conftest): TestEngineFactsMatchTheLibrary holds them
// equal.

// Terms of the values given here and of the fields they read.
var (
	tTFShapes, tTFLayouts, tGitShapes = ast.StringTerm("tf_shapes"), ast.StringTerm("tf_layouts"), ast.StringTerm("git_shapes")
	tTFPolicies, tGitPolicies         = ast.StringTerm("tf_policies"), ast.StringTerm("git_policies")
	tBaseFacts, tBaseOSes             = ast.StringTerm("base_facts"), ast.StringTerm("base_oses")
	tTFGroups                         = ast.StringTerm("tf_groups")
	tOS, tValue, tPoliciesAnnotation  = ast.StringTerm("os"), ast.StringTerm("value"), ast.StringTerm(contract.AnnotationPolicies)
)

// tfSummaries adds to out the summaries of the Terraforms' facts tf (all
// of the fast path).
func tfSummaries(out inserter, tf []*ast.Term) {
	shapes, layouts := ast.NewSet(), ast.NewSet()
	var base []*ast.Term
	oses := ast.NewSet()
	for _, f := range tf {
		fo := f.Value.(ast.Object)
		x, y := fo.Get(tX), fo.Get(tY)
		shapes.Add(x)
		layouts.Add(y)
		if !x.Get(tBase).Equal(tTrue) {
			continue
		}
		base = append(base, f)
		// [f.x.tier, f.vs[i].value] for i := f.y.vm.os
		if i := at(y, tVM, tOS); i != nil {
			if v := at(fo.Get(tVS), i, tValue); v != nil {
				oses.Add(ast.ArrayTerm(x.Get(tTierKey), v))
			}
		}
	}
	out.Insert(tTFShapes, ast.NewTerm(shapes))
	out.Insert(tTFLayouts, ast.NewTerm(layouts))
	out.Insert(tTFPolicies, ast.NewTerm(policiesOf(tf)))
	out.Insert(tBaseFacts, ast.ArrayTerm(base...))
	out.Insert(tBaseOSes, ast.NewTerm(oses))
	if g := tfGroups(tf); g != nil {
		out.Insert(tTFGroups, g)
	}
}

// tfGroups is lib.common_tf_groups when every Terraform is of the common
// family and labelled with its stack: [stack, tier, component, base] ->
// the facts of tf of those, in their order; nil when a Terraform has no
// stack label.
func tfGroups(tf []*ast.Term) *ast.Term {
	groupOf := map[*ast.Term]int{} // by shape (shared within a chunk)
	numbers := ast.NewObject()     // key -> its group's number
	var keys []*ast.Term
	var groups [][]*ast.Term
	for _, f := range tf {
		x := f.Get(tX)
		g, ok := groupOf[x]
		if !ok {
			stack := x.Get(tStackKey)
			if s, _ := str(stack); s == "" {
				return nil
			}
			k := ast.ArrayTerm(stack, x.Get(tTierKey), x.Get(tComp), x.Get(tBase))
			var added bool
			if g, added = groupNumber(numbers, k, len(groups)); added {
				keys = append(keys, k)
				groups = append(groups, nil)
			}
			groupOf[x] = g
		}
		groups[g] = append(groups[g], f)
	}
	pairs := make([][2]*ast.Term, len(groups))
	for i, k := range keys {
		pairs[i] = ast.Item(k, ast.ArrayTerm(groups[i]...))
	}
	return ast.ObjectTerm(pairs...)
}

// gitSummaries adds to out the summaries of the GitRepositories' facts
// git (all of the fast path).
func gitSummaries(out inserter, git []*ast.Term) {
	shapes := ast.NewSet()
	for _, f := range git {
		shapes.Add(f.Get(tX))
	}
	out.Insert(tGitShapes, ast.NewTerm(shapes))
	out.Insert(tGitPolicies, ast.NewTerm(policiesOf(git)))
}

// policiesOf is the set of the policies annotations of the facts'
// objects, "" for one without (lib._tf_policies: object.get of the path).
func policiesOf(facts []*ast.Term) ast.Set {
	out := ast.NewSet()
	for _, f := range facts {
		v := at(f, tR, tObj, tMetadata, tAnnotations, tPoliciesAnnotation)
		if v == nil {
			v = tEmpty
		}
		out.Add(v)
	}
	return out
}

// at is t's value at the path (as Rego's ref t[k0][k1]..., and
// object.get of the path), or nil.
func at(t *ast.Term, path ...*ast.Term) *ast.Term {
	for _, k := range path {
		if t == nil {
			return nil
		}
		t = t.Get(k)
	}
	return t
}

// factIndex is lib.fact_index of all the facts (of the files or the
// baseline, in the library's order): key -> fact, or nil when two share
// a key.
func factIndex(all ...[]*ast.Term) *ast.Term {
	n := 0
	for _, fs := range all {
		n += len(fs)
	}
	idx := ast.NewObjectWithCapacity(n)
	for _, fs := range all {
		for _, f := range fs {
			idx.Insert(f.Get(tKey), f)
		}
	}
	if idx.Len() != n {
		return nil
	}
	return ast.NewTerm(idx)
}

// groupNumber is the number that numbers (a key -> number object) gives
// key; a key it lacks gets next, recorded, and added is true.
func groupNumber(numbers ast.Object, key *ast.Term, next int) (g int, added bool) {
	if n := numbers.Get(key); n != nil {
		g, _ = n.Value.(ast.Number).Int()
		return g, false
	}
	numbers.Insert(key, ast.IntNumberTerm(next))
	return next, true
}
