package policies

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// Dependencies in Go.
//
// The rules that follow spec.dependsOn (depends-on-resolves,
// runner-reachability) read every Terraform's entries, a few expressions
// for each of ~10,000 Terraforms of a fleet. The engine computes what they
// read of them here, with the Terraforms' facts (input.facts "deps"), and
// the library (lib/deps.rego) takes the values as they are; its
// derivations stay the reference (FLUXTF_SLOW=facts, conftest, a
// hand-made input), which TestEngineFactsMatchTheLibrary holds these equal
// to. Each value is named and documented in lib/deps.rego:
//
//	"entries"     lib.dep_entries
//	"odd"         lib.dep_odd_entries
//	"depending"   lib.depending
//	"depended_on" lib.depended_on
//	"of"          lib.dep_entries_of
//	"components"  lib.component_dependencies
//	"by_comp"     lib.tf_facts_by_comp

var (
	tF, tI, tD, tK      = ast.StringTerm("f"), ast.StringTerm("i"), ast.StringTerm("d"), ast.StringTerm("k")
	tDependsOn, tBase   = ast.StringTerm("dependsOn"), ast.StringTerm("base")
	tEntries, tOdd, tOf = ast.StringTerm("entries"), ast.StringTerm("odd"), ast.StringTerm("of")
	tDepending, tDepOn  = ast.StringTerm("depending"), ast.StringTerm("depended_on")
	tComponents, tDeps  = ast.StringTerm("components"), ast.StringTerm("deps")
	tComp, tByComp      = ast.StringTerm("comp"), ast.StringTerm("by_comp")
)

// depFacts returns input.facts "deps" of the Terraforms' facts tf (as the
// library's fast path makes them: spec an object, namespace and key
// strings, x.base a boolean).
func depFacts(tf []*ast.Term) *ast.Term {
	var entries, odd []*ast.Term
	depending, dependedOn, components := ast.NewSet(), ast.NewSet(), ast.NewSet()
	of := map[*ast.Term][]*ast.Term{} // by key term, of which keys lists the first
	var keys, comps []*ast.Term
	byKey := map[string]*ast.Term{}
	byComp := map[string][]*ast.Term{}
	for _, f := range tf {
		fo := f.Value.(ast.Object)
		if x, ok := obj(fo.Get(tX)); ok {
			c := x.Get(tComp)
			cs, _ := str(c)
			if byComp[cs] == nil {
				comps = append(comps, c)
			}
			byComp[cs] = append(byComp[cs], f)
		}
		key := fo.Get(tKey)
		own, _ := str(fo.Get(tNS))
		spec, _ := obj(fo.Get(tSpec))
		if spec == nil {
			continue
		}
		ds := spec.Get(tDependsOn)
		if ds == nil {
			continue
		}
		if x, ok := obj(fo.Get(tX)); ok && !x.Get(tBase).Equal(ast.BooleanTerm(true)) {
			eachMember(ds, func(d *ast.Term) {
				if n, ok := str(member(d, tName)); ok {
					components.Add(ast.StringTerm("Terraform/" + own + "/" + n))
				}
			})
		}
		arr, ok := ds.Value.(*ast.Array)
		if !ok || arr.Len() == 0 {
			continue
		}
		ks, _ := str(key)
		if byKey[ks] == nil {
			byKey[ks] = key
			keys = append(keys, key)
		}
		key = byKey[ks]
		for i := range arr.Len() {
			d := arr.Elem(i)
			k := depKey(own, d)
			e := ast.ObjectTerm(ast.Item(tF, f), ast.Item(tI, ast.InternedTerm(i)), ast.Item(tD, d), ast.Item(tK, k))
			entries = append(entries, e)
			of[key] = append(of[key], e)
			if _, null := k.Value.(ast.Null); null {
				odd = append(odd, e)
				continue
			}
			depending.Add(key)
			dependedOn.Add(k)
			if n := member(d, tNamespace); n != nil && !n.Equal(ast.BooleanTerm(false)) {
				odd = append(odd, e)
			}
		}
	}
	ofObj := ast.NewObject()
	for _, k := range keys {
		ofObj.Insert(k, ast.ArrayTerm(of[k]...))
	}
	byCompObj := ast.NewObject()
	for _, c := range comps {
		cs, _ := str(c)
		byCompObj.Insert(c, ast.ArrayTerm(byComp[cs]...))
	}
	return ast.ObjectTerm(
		ast.Item(tByComp, ast.NewTerm(byCompObj)),
		ast.Item(tEntries, ast.ArrayTerm(entries...)), ast.Item(tOdd, ast.ArrayTerm(odd...)),
		ast.Item(tDepending, ast.NewTerm(depending)), ast.Item(tDepOn, ast.NewTerm(dependedOn)),
		ast.Item(tOf, ast.NewTerm(ofObj)), ast.Item(tComponents, ast.NewTerm(components)),
	)
}

// depKey is lib._dep_key_or_null: "Terraform/<namespace>/<name>" of the
// entry d of a Terraform in namespace own (a namespace that is not a
// non-empty string is own), when its name is a non-empty string; else
// null.
func depKey(own string, d *ast.Term) *ast.Term {
	n, ok := str(member(d, tName))
	if !ok || n == "" {
		return ast.NullTerm()
	}
	if ns, ok := str(member(d, tNamespace)); ok && ns != "" {
		own = ns
	}
	return ast.StringTerm("Terraform/" + own + "/" + n)
}

// member is d.<k> of an object d, or nil.
func member(d, k *ast.Term) *ast.Term {
	if o, ok := obj(d); ok {
		return o.Get(k)
	}
	return nil
}

// eachMember calls fn with each member of a collection (Rego's some x in
// c: an array's elements, an object's values, a set's members); of
// anything else with none.
func eachMember(c *ast.Term, fn func(*ast.Term)) {
	switch v := c.Value.(type) {
	case *ast.Array:
		v.Foreach(fn)
	case ast.Object:
		v.Foreach(func(_, x *ast.Term) { fn(x) })
	case ast.Set:
		v.Foreach(fn)
	}
}
