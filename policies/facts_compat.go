package policies

import "github.com/open-policy-agent/opa/v1/ast"

// The component versions beside their clusters' Kubernetes versions, in Go.
//
// component-compatibility paired every component Terraform with a version
// (lib.eks_tf_versions) with the base Terraforms of its source and target
// (lib.eks_base_k8s) and judged each pair: about a quarter of the rules'
// evaluation steps on a fleet, where the pairs are thousands and what is
// judged of them (a component's version against a Kubernetes version) a
// few dozen. The engine makes the pairs here, grouped by what is judged,
// as input.facts "version_k8s" (lib.eks_version_k8s, summaries.rego,
// whose derivation stays the reference; TestEngineSummariesMatchTheLibrary
// holds them equal), and the rule judges each group once.

// Terms of the summary's name and of the fields it reads.
var tVersionK8s, tKubernetesVersion = ast.StringTerm("version_k8s"), ast.StringTerm("kubernetes_version")

// versionK8s is lib.eks_version_k8s of the version entries vs
// (tf_versions, facts_versions.go) and the base facts base, for when
// every Terraform is of the eks family: [vstack, component, version,
// kubernetes_version] -> the set of [version entry, base fact, index of
// the base's kubernetes_version var] of each entry and each base of the
// same source key and target whose last kubernetes_version var has an
// inline value.
func versionK8s(vs *ast.Term, base *ast.Array) *ast.Term {
	type k8s struct{ f, i, v *ast.Term }
	at2 := ast.NewObject() // [source key, target] -> its number in bases
	var bases [][]k8s
	base.Foreach(func(f *ast.Term) {
		sk, tg := at(f, tSrc, tKey), at(f, tX, tTarget)
		i := at(f, tY, tVM, tKubernetesVersion)
		if sk == nil || tg == nil || i == nil {
			return
		}
		v := at(f, tVS, i, tValue)
		if v == nil {
			return
		}
		place := ast.ArrayTerm(sk, tg)
		n, added := groupNumber(at2, place, len(bases))
		if added {
			bases = append(bases, nil)
		}
		bases[n] = append(bases[n], k8s{f, i, v})
	})
	out := ast.NewObject()
	if a, ok := termArray(vs); ok && len(bases) > 0 {
		a.Foreach(func(e *ast.Term) {
			f := e.Get(tF)
			sk, tg := at(f, tSrc, tKey), at(f, tX, tTarget)
			if sk == nil || tg == nil {
				return
			}
			g := at2.Get(ast.ArrayTerm(sk, tg))
			if g == nil {
				return
			}
			n, _ := g.Value.(ast.Number).Int()
			for _, b := range bases[n] {
				key := ast.ArrayTerm(e.Get(tVStack), at(f, tX, tComp), e.Get(tValue), b.v)
				set := out.Get(key)
				if set == nil {
					set = ast.SetTerm()
					out.Insert(key, set)
				}
				set.Value.(ast.Set).Add(ast.ArrayTerm(e, b.f, b.i))
			}
		})
	}
	return ast.NewTerm(out)
}
