package policies

import (
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/manifest"
)

// depsQuery is the part of factsQuery of lib/deps.rego: the values the
// engine gives as input.facts "deps" (facts_deps.go).
const depsQuery = `data.fluxtf.lib.dep_entries, data.fluxtf.lib.dep_odd_entries,
	data.fluxtf.lib.depending, data.fluxtf.lib.depended_on,
	data.fluxtf.lib.dep_entries_of, data.fluxtf.lib.component_dependencies,
	data.fluxtf.lib.tf_facts_by_comp, data.fluxtf.lib.eks_tf_facts_by_comp,
	data.fluxtf.api.base_terraforms,`

// TestEngineDepsMatchTheLibrary: the dependency values the engine
// computes in Go (facts_deps.go) are those lib/deps.rego derives, on a
// generated fleet with Terraforms whose dependsOn entries are odd added
// (TestEngineFactsMatchTheLibrary holds them equal on the fixtures, the
// examples and the realworld repositories), and Go gives them whenever it
// gives the Terraforms' facts.
func TestEngineDepsMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	eval := evalOf(t, e, `x := [`+depsQuery+`]`)
	fleet := fleetCorpus(t, 60)
	var tf, base map[string]any
	for _, d := range fleet {
		if d.Kind != "Terraform" {
			continue
		}
		if c := d.Object["metadata"].(map[string]any)["labels"].(map[string]any)["fluxtf.io/component"]; c == "eks" {
			base = d.Object
		} else if tf == nil && d.Object["spec"].(map[string]any)["dependsOn"] != nil {
			tf = d.Object
		}
	}
	if tf == nil || base == nil {
		t.Fatal("no component with dependsOn, or no base, in the fleet")
	}
	// with returns a copy of o named name, with spec.dependsOn deps (none: nil)
	with := func(o map[string]any, name string, deps any) map[string]any {
		c := deepCopy(o).(map[string]any)
		c["metadata"].(map[string]any)["name"] = name
		if deps == nil {
			delete(c["spec"].(map[string]any), "dependsOn")
		} else {
			c["spec"].(map[string]any)["dependsOn"] = deps
		}
		return c
	}
	baseName := base["metadata"].(map[string]any)["name"].(string)
	for _, c := range []struct {
		name    string
		objs    []map[string]any
		records bool // Go gives api's records of the bases
	}{
		{"entries without a name, with an empty or numeric one, or not objects", []map[string]any{
			with(tf, "a", []any{map[string]any{}, map[string]any{"name": ""}, map[string]any{"name": 3}, "b", []any{"c"}, nil}),
		}, true},
		{"namespaces: other, own, empty, false, null, numeric", []map[string]any{
			with(tf, "a", []any{
				map[string]any{"name": baseName, "namespace": "other"}, map[string]any{"name": baseName, "namespace": "flux-system"},
				map[string]any{"name": baseName, "namespace": ""}, map[string]any{"name": baseName, "namespace": false},
				map[string]any{"name": baseName, "namespace": nil}, map[string]any{"name": baseName, "namespace": 1},
			}),
		}, true},
		{"dependsOn not a list", []map[string]any{
			with(tf, "a", map[string]any{"x": map[string]any{"name": baseName}}),
			with(tf, "b", "x"), with(tf, "c", nil), with(tf, "d", []any{}),
		}, true},
		{"a base that depends, a missing Terraform", []map[string]any{
			with(base, "b0", []any{map[string]any{"name": "missing"}}),
		}, true},
		{"a base without annotations, one with labels an empty stack (api's records from the library)", []map[string]any{
			func() map[string]any {
				c := with(base, "b1", nil)
				delete(c["metadata"].(map[string]any), "annotations")
				return c
			}(),
			func() map[string]any {
				c := with(base, "b2", nil)
				c["metadata"].(map[string]any)["labels"].(map[string]any)["fluxtf.io/stack"] = ""
				return c
			}(),
		}, false},
		{"cycles, a key given twice", []map[string]any{
			with(tf, "a", []any{map[string]any{"name": "b"}}), with(tf, "b", []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}}),
			with(tf, "b", []any{map[string]any{"name": "c"}}), with(tf, "c", []any{map[string]any{"name": "a"}}),
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs := append([]*manifest.Doc(nil), fleet...)
			for i, o := range c.objs {
				docs = append(docs, benchDoc("odd.yaml", i, o))
			}
			cur, err := convertDocs(docs)
			if err != nil {
				t.Fatal(err)
			}
			input := builtinInput(Input{Docs: docs, Now: fixtureNow}, cur, nil)
			facts := buildFacts(input.Get(ast.StringTerm("files")).Value.(*ast.Array), nil)
			if facts == nil || facts.Get(ast.StringTerm("tf")) == nil || facts.Get(tDeps) == nil {
				t.Fatalf("Go gave no Terraform facts or no deps: %v", facts != nil)
			}
			if got := facts.Get(tBaseRecords) != nil; got != c.records {
				t.Errorf("Go gave api's records of the bases: %v, want %v", got, c.records)
			}
			got, want := eval(t, withFacts(input, facts)), eval(t, withFacts(input, nil))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the engine's deps differ from the library's:\n got %v\nwant %v", got, want)
			}
		})
	}
}
