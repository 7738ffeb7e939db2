package policies

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/manifest"
)

// ShareBaseline lets every baseline document whose value equals that of a
// current document of the same apiVersion, kind, namespace and name hold
// the current document's value instead of its own copy, and returns how
// many it shared. A pull request changes few objects, so with a baseline
// most of the input is there twice; sharing frees the baseline's copy
// before the evaluation, whose working values then grow from half the
// live heap (and the collector's headroom with it). The values are equal
// and never changed by an evaluation, so the findings are the same.
//
// Only documents converted as they were read (Options.Convert:
// NewInputConverter) are shared; docs keep their own values otherwise.
func ShareBaseline(docs, base []*manifest.Doc) int {
	if len(docs) == 0 || len(base) == 0 {
		return 0
	}
	type key struct{ apiVersion, kind, namespace, name string }
	cur := make(map[key]*inputValue, len(docs))
	for _, d := range docs {
		if iv, ok := d.Value.(*inputValue); ok {
			k := key{d.APIVersion, d.Kind, d.Namespace, d.Name}
			if _, dup := cur[k]; !dup {
				cur[k] = iv
			}
		}
	}
	shared := 0
	for _, b := range base {
		bv, ok := b.Value.(*inputValue)
		if !ok {
			continue
		}
		iv := cur[key{b.APIVersion, b.Kind, b.Namespace, b.Name}]
		if iv == nil || iv == bv {
			continue
		}
		if sameRef(iv.r, bv.r) {
			// the baseline's hints are not the rules' input (builtinInput
			// reads the current documents'), so the value's own go too
			b.Value = iv
			shared++
		}
	}
	return shared
}

// sameRef reports whether a and b are the same value, strictly (see
// sameValue): of their records, without making OPA's values. A leaf and
// an object or list are never the same (a leaf converted whole is not
// looked into).
func sameRef(a, b ref) bool {
	if a == b {
		return true
	}
	la, lb := a.d.leaf[a.id], b.d.leaf[b.id]
	if la != nil || lb != nil {
		return la != nil && lb != nil && sameValue(la.Value, lb.Value)
	}
	pa, listA := a.d.record(a.id)
	pb, listB := b.d.record(b.id)
	if listA != listB || len(pa) != len(pb) {
		return false
	}
	// an object's keys are in ascending order in its record: the same
	// objects have the same keys in the same places
	for i := range pa {
		if !sameRef(ref{d: a.d, id: pa[i]}, ref{d: b.d, id: pb[i]}) {
			return false
		}
	}
	return true
}

// sameValue reports whether a and b are the same value, strictly: of the
// same types throughout, numbers written alike (ast's Compare holds 1 and
// 1.0 equal, which a rule printing one could tell apart). Sets, which no
// input holds, are never the same.
func sameValue(a, b ast.Value) bool {
	switch x := a.(type) {
	case ast.Null:
		_, ok := b.(ast.Null)
		return ok
	case ast.Boolean:
		y, ok := b.(ast.Boolean)
		return ok && x == y
	case ast.Number:
		y, ok := b.(ast.Number)
		return ok && x == y
	case ast.String:
		y, ok := b.(ast.String)
		return ok && x == y
	case *ast.Array:
		y, ok := b.(*ast.Array)
		if !ok || x.Len() != y.Len() {
			return false
		}
		if x == y {
			return true
		}
		for i := range x.Len() {
			if !sameValue(x.Elem(i).Value, y.Elem(i).Value) {
				return false
			}
		}
		return true
	case ast.Object:
		y, ok := b.(ast.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		if x == y {
			return true
		}
		// keys are strings (a key of another type: not the same), which
		// Get matches exactly
		return !x.Until(func(k, v *ast.Term) bool {
			if _, ok := k.Value.(ast.String); !ok {
				return true
			}
			w := y.Get(k)
			return w == nil || !sameValue(v.Value, w.Value)
		})
	}
	return false
}
