package policies

import (
	"runtime"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/parallel"
)

// Summaries of the facts for single rules, in Go.
//
// A few rules began with a walk over every Terraform (or every Terraform
// and GitRepository) to collect a handful of distinct values before they
// looked at any object: source-ref-resolves the keys of the sources,
// state-key-unique the state keys, release-order the distinct component
// versions, account-by-tier the account ids, names-valid every name
// (together about a tenth of the rules' evaluation steps on a fleet). The
// engine collects them here from the facts it made, as input.facts'
// values of the library's names (lib/summaries.rego), each given only
// with the facts it is made of. The library's derivations stay the
// reference (FLUXTF_SLOW=facts, conftest): TestEngineSummariesMatchTheLibrary
// holds them equal.

// Terms of the summaries' names and of the fields they read.
var (
	tTFSourceKeys, tTFStateKeys       = ast.StringTerm("tf_source_keys"), ast.StringTerm("tf_state_keys")
	tTFStateKeySet, tTFStateKeyNames  = ast.StringTerm("tf_state_key_set"), ast.StringTerm("tf_state_key_names")
	tTFAccountIDs, tNamesValid        = ast.StringTerm("tf_account_ids"), ast.StringTerm("names_valid")
	tAccountID                        = ast.StringTerm("account_id")
	tVersionKeys, tBaselineVersionKey = ast.StringTerm("tf_version_keys"), ast.StringTerm("baseline_tf_version_keys")
	tTFContractShapes                 = ast.StringTerm("tf_contract_shapes")
	tTFContractShapeFirsts            = ast.StringTerm("tf_contract_shape_firsts")
	tTFSpecValues, tTFCustomMissing   = ast.StringTerm("tf_spec_values"), ast.StringTerm("tf_custom_backend_missing_tiers")
	// lib._spec_fields
	specFields = [...]*ast.Term{ast.StringTerm("approvePlan"), ast.StringTerm("force"), ast.StringTerm("destroyResourcesOnDeletion")}
	// lib._spec_keys
	specKeys                      = [...]*ast.Term{ast.StringTerm("runnerPodTemplate"), ast.StringTerm("cloud")}
	tBaseByOS, tBaseByNodeGroups  = ast.StringTerm("base_by_os"), ast.StringTerm("base_by_node_groups")
	tNodeGroups                   = ast.StringTerm("node_groups")
	tBaseByEndpointAccess         = ast.StringTerm("base_by_endpoint_access")
	tEndpointAccess               = ast.StringTerm("cluster_endpoint_public_access")
	tTFSpecKeys, tTFVersionValues = ast.StringTerm("tf_spec_keys"), ast.StringTerm("tf_version_values")
)

// summaries adds to out, the facts of the files (prefix "") or the
// baseline ("baseline_") as side made them, the summaries of them that
// single rules read: each on its own goroutine, the Terraforms' walk in
// chunks (as the facts are made, on every CPU).
func summaries(out ast.Object, prefix string) {
	if prefix != "" {
		if vs := out.Get(ast.StringTerm(prefix + "tf_versions")); vs != nil {
			out.Insert(tBaselineVersionKey, versionKeys(vs))
		}
		return
	}
	var results [][2]*ast.Term // what the tasks give, by task
	var tasks []func() [][2]*ast.Term
	if vs := out.Get(ast.StringTerm("tf_versions")); vs != nil {
		tasks = append(tasks, func() [][2]*ast.Term {
			return [][2]*ast.Term{{tVersionKeys, versionKeys(vs)}, {tTFVersionValues, versionValues(vs)}}
		})
	}
	if shapes := out.Get(tTFContractShapes); shapes != nil {
		tasks = append(tasks, func() [][2]*ast.Term { return [][2]*ast.Term{{tTFContractShapeFirsts, shapeFirsts(shapes)}} })
	}
	if keys := out.Get(tTFStateKeys); keys != nil {
		tasks = append(tasks, func() [][2]*ast.Term {
			set, names := stateKeySummaries(keys)
			return [][2]*ast.Term{{tTFStateKeySet, set}, {tTFStateKeyNames, names}}
		})
	}
	if base, ok := termArray(out.Get(tBaseFacts)); ok {
		tasks = append(tasks, func() [][2]*ast.Term {
			return [][2]*ast.Term{{tBaseByOS, basesByVar(base, tOS)}, {tBaseByNodeGroups, basesByVar(base, tNodeGroups)},
				{tBaseByEndpointAccess, basesByVar(base, tEndpointAccess)}}
		})
		tasks = append(tasks, unreachedTasks(out, base)...) // facts_reach.go
		if vs := out.Get(ast.StringTerm("tf_versions")); vs != nil {
			tasks = append(tasks, func() [][2]*ast.Term { return [][2]*ast.Term{{tVersionK8s, versionK8s(vs, base)}} })
		}
	}
	tf, _ := termArray(out.Get(ast.StringTerm("tf")))
	git, _ := termArray(out.Get(ast.StringTerm("git")))
	var parts []*tfSummary
	if tf != nil {
		if git != nil {
			tasks = append(tasks, func() [][2]*ast.Term { return [][2]*ast.Term{{tNamesValid, ast.BooleanTerm(namesValid(tf, git))}} })
		}
		chunks := min(runtime.GOMAXPROCS(0), max(1, tf.Len()/factChunk))
		parts = make([]*tfSummary, chunks)
		for k := range chunks {
			tasks = append(tasks, func() [][2]*ast.Term {
				parts[k] = summarize(tf, k*tf.Len()/chunks, (k+1)*tf.Len()/chunks)
				return nil
			})
		}
	}
	byTask := make([][][2]*ast.Term, len(tasks))
	parallel.For(len(tasks), func(i int) { byTask[i] = tasks[i]() })
	for _, r := range byTask {
		results = append(results, r...)
	}
	for _, r := range results {
		out.Insert(r[0], r[1])
	}
	if tf == nil {
		return
	}
	all := parts[0]
	for _, p := range parts[1:] {
		all.merge(p)
	}
	out.Insert(tTFSourceKeys, ast.NewTerm(all.sources))
	out.Insert(tTFAccountIDs, ast.NewTerm(all.ids))
	out.Insert(tTFSpecValues, ast.NewTerm(all.specValues))
	out.Insert(tTFCustomMissing, ast.NewTerm(all.customMissing))
	out.Insert(tTFSpecKeys, ast.NewTerm(all.specKeys))
}

// tfSummary is what summaries collects of every Terraform: the sets
// lib.tf_source_keys, common_tf_account_ids, tf_spec_values,
// tf_custom_backend_missing_tiers and tf_spec_keys.
type tfSummary struct {
	sources, ids, specValues, customMissing, specKeys ast.Set
}

// summarize is the tfSummary of the facts tf[from:to].
func summarize(tf *ast.Array, from, to int) *tfSummary {
	s := &tfSummary{ast.NewSet(), ast.NewSet(), ast.NewSet(), ast.NewSet(), ast.NewSet()}
	for i := from; i < to; i++ {
		f := tf.Elem(i)
		tier, spec := at(f, tX, tTierKey), f.Get(tSpec)
		for _, k := range specFields {
			if v := spec.Get(k); v != nil {
				s.specValues.Add(ast.ArrayTerm(tier, k, v))
			}
		}
		for _, k := range specKeys {
			if spec.Get(k) != nil {
				s.specKeys.Add(k)
			}
		}
		// object.get(f, ["spec", "backendConfig", "customConfiguration"], "") == ""
		if c := at(spec, tBackendConfig, tCustomConfiguration); c == nil || c.Equal(tEmpty) {
			s.customMissing.Add(tier)
		}
		if k := at(f, tSrc, tKey); k != nil {
			s.sources.Add(k)
		}
		// [f.vs[i].value, f.x.tier] for i := f.y.vm.account_id
		if i := at(f, tY, tVM, tAccountID); i != nil {
			if v := at(f, tVS, i, tValue); v != nil {
				s.ids.Add(ast.ArrayTerm(v, tier))
			}
		}
	}
	return s
}

// merge adds o's sets to s's.
func (s *tfSummary) merge(o *tfSummary) {
	for _, p := range [][2]ast.Set{{s.sources, o.sources}, {s.ids, o.ids}, {s.specValues, o.specValues}, {s.customMissing, o.customMissing}, {s.specKeys, o.specKeys}} {
		p[1].Foreach(func(t *ast.Term) { p[0].Add(t) })
	}
}

// termArray returns t's array, if it is one.
func termArray(t *ast.Term) (*ast.Array, bool) {
	if t == nil {
		return nil, false
	}
	a, ok := t.Value.(*ast.Array)
	return a, ok
}

// versionKeys is lib._version_keys of the version entries vs
// (facts_versions.go): the distinct [stack, tier, component, version]
// with a stack and a tier.
func versionKeys(vs *ast.Term) *ast.Term {
	out := ast.NewSet()
	seen := map[[2]*ast.Term]bool{} // [x, value]: equal ones are often one term
	if a, ok := termArray(vs); ok {
		a.Foreach(func(v *ast.Term) {
			stack, x := v.Get(tStackKey), at(v, tF, tX)
			p := [2]*ast.Term{x, v.Get(tValue)}
			if seen[p] {
				return
			}
			seen[p] = true
			tier := x.Get(tTierKey)
			if stack.Equal(tEmpty) || tier.Equal(tEmpty) {
				return
			}
			out.Add(ast.ArrayTerm(stack, tier, x.Get(tComp), v.Get(tValue)))
		})
	}
	return ast.NewTerm(out)
}

// versionValues is lib.common_tf_version_values of the version entries
// vs: their distinct values.
func versionValues(vs *ast.Term) *ast.Term {
	out := ast.NewSet()
	if a, ok := termArray(vs); ok {
		a.Foreach(func(v *ast.Term) { out.Add(v.Get(tValue)) })
	}
	return ast.NewTerm(out)
}

// basesByVar is lib.eks_bases_by_os (name os), eks_bases_by_node_groups
// (node_groups) or eks_bases_by_endpoint_access
// (cluster_endpoint_public_access) of the base facts base (when
// every Terraform is of the eks family): the inline value of each one's
// last var of that name -> the facts with it, in order.
func basesByVar(base *ast.Array, name *ast.Term) *ast.Term {
	var keys []*ast.Term
	groups := map[int][]*ast.Term{}
	number := ast.NewObject() // value -> its group's number
	base.Foreach(func(f *ast.Term) {
		i := at(f, tY, tVM, name)
		if i == nil {
			return
		}
		v := at(f, tVS, i, tValue)
		if v == nil {
			return
		}
		g, added := groupNumber(number, v, len(keys))
		if added {
			keys = append(keys, v)
		}
		groups[g] = append(groups[g], f)
	})
	pairs := make([][2]*ast.Term, len(keys))
	for g, k := range keys {
		pairs[g] = ast.Item(k, ast.ArrayTerm(groups[g]...))
	}
	return ast.ObjectTerm(pairs...)
}

// shapeFirsts is lib.tf_contract_shape_firsts of the [shape, fact] pairs
// shapes: each distinct shape -> the first fact of it.
func shapeFirsts(shapes *ast.Term) *ast.Term {
	out := ast.NewObject()
	seen := map[*ast.Term]bool{} // equal shapes are often one term
	if a, ok := termArray(shapes); ok {
		a.Foreach(func(p *ast.Term) {
			pa := p.Value.(*ast.Array)
			if seen[pa.Elem(0)] {
				return
			}
			seen[pa.Elem(0)] = true
			if out.Get(pa.Elem(0)) == nil {
				out.Insert(pa.Elem(0), pa.Elem(1))
			}
		})
	}
	return ast.NewTerm(out)
}

// stateKeySummaries is lib.tf_state_key_set and tf_state_key_names of
// the [state key, fact] pairs keys.
func stateKeySummaries(keys *ast.Term) (set, names *ast.Term) {
	s := ast.NewSet()
	var ns []*ast.Term
	if a, ok := termArray(keys); ok {
		a.Foreach(func(p *ast.Term) {
			k := p.Value.(*ast.Array).Elem(0)
			s.Add(k)
			ns = append(ns, ast.ArrayTerm(k, at(p.Value.(*ast.Array).Elem(1), tName)))
		})
	}
	return ast.NewTerm(s), ast.ArrayTerm(ns...)
}

// namesValid is lib.names_all_valid of the facts tf and git (of the fast
// path: their names are strings): some names, and every one a DNS-1123
// label of at most 63 characters (lib.names_valid_pattern).
func namesValid(tf, git *ast.Array) bool {
	if tf.Len()+git.Len() == 0 {
		return false
	}
	ok := true
	check := func(f *ast.Term) {
		if ok {
			n, _ := str(f.Get(tName))
			ok = dns1123Label(n)
		}
	}
	tf.Foreach(check)
	git.Foreach(check)
	return ok
}

// dns1123Label tells whether s matches `^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`.
func dns1123Label(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	alnum := func(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && (c != '-' || i == 0 || i == len(s)-1) {
			return false
		}
	}
	return true
}
