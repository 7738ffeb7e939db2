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
		x, hasX := obj(fo.Get(tX))
		if hasX {
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
		if hasX && !x.Get(tBase).Equal(tTrue) {
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

// API records of the base Terraforms.
//
// api.base_terraforms is the record (api._tf) of every base Terraform, a
// score of fields each, built for every base of the fleet before a rule
// (prod-os-bottlerocket) picks the few it reads. The engine builds them
// here, with the facts (input.facts "base_records", lib.given_base_records),
// when every base is labelled with its stack (api's stack is then the
// label, without a look-up of its source).

var (
	tBaseRecords                    = ast.StringTerm("base_records")
	tAnnotations, tStackKey         = ast.StringTerm("annotations"), ast.StringTerm("stack")
	tAPIVersionKey, tObject         = ast.StringTerm("api_version"), ast.StringTerm("object")
	tBaseline, tTierKey, tComponent = ast.StringTerm("baseline"), ast.StringTerm("tier"), ast.StringTerm("component")
	tTarget, tAccount, tVarsKey     = ast.StringTerm("target"), ast.StringTerm("account"), ast.StringTerm("vars")
	tVarIndex, tSource, tNamespaceK = ast.StringTerm("var_index"), ast.StringTerm("source"), ast.StringTerm("namespace")
	tVM, tEmpty                     = ast.StringTerm("vm"), ast.StringTerm("")
)

// baseRecords returns api._tf(f, false) of every base fact of tf, in
// order, or nil when some base has no stack label (or a fact is not as
// the fast path makes it).
func baseRecords(tf []*ast.Term) *ast.Term {
	var recs []*ast.Term
	for _, f := range tf {
		fo := f.Value.(ast.Object)
		x, ok := obj(fo.Get(tX))
		if !ok {
			return nil
		}
		if !x.Get(tBase).Equal(ast.BooleanTerm(true)) {
			continue
		}
		if s, ok := str(x.Get(tStackKey)); !ok || s == "" {
			return nil
		}
		y, ok1 := obj(fo.Get(tY))
		r, ok2 := obj(fo.Get(tR))
		if !ok1 || !ok2 {
			return nil
		}
		o := r.Get(tObj)
		m, _ := obj(o.Value.(ast.Object).Get(tMetadata))
		api := x.Get(tAPI)
		if _, ok := str(api); !ok {
			api = tEmpty
		}
		recs = append(recs, ast.ObjectTerm(
			ast.Item(tKind, tTerraform), ast.Item(tAPIVersionKey, api), ast.Item(tName, fo.Get(tName)),
			ast.Item(tNamespaceK, fo.Get(tNS)), ast.Item(tKey, fo.Get(tKey)), ast.Item(tPath, r.Get(tPath)),
			ast.Item(tObject, o), ast.Item(tLabels, objectOrEmpty(m, tLabels)), ast.Item(tAnnotations, objectOrEmpty(m, tAnnotations)),
			ast.Item(tBaseline, ast.BooleanTerm(false)), ast.Item(tTierKey, x.Get(tTierKey)), ast.Item(tStackKey, x.Get(tStackKey)),
			ast.Item(tComponent, x.Get(tComp)), ast.Item(tBase, x.Get(tBase)), ast.Item(tTarget, x.Get(tTarget)),
			ast.Item(tAccount, x.Get(tAccount)), ast.Item(tSpec, fo.Get(tSpec)), ast.Item(tVarsKey, fo.Get(tVS)),
			ast.Item(tVarIndex, y.Get(tVM)), ast.Item(tSource, fo.Get(tSrc)),
		))
	}
	return ast.ArrayTerm(recs...)
}

// objectOrEmpty is lib.labels and lib.annotations: m's field k when it is
// an object, else {}.
func objectOrEmpty(m ast.Object, k *ast.Term) *ast.Term {
	if m != nil {
		if v := m.Get(k); v != nil {
			if _, ok := v.Value.(ast.Object); ok {
				return v
			}
		}
	}
	return ast.ObjectTerm()
}
