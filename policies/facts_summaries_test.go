package policies

import (
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/manifest"
)

// summariesQuery is what the library derives from input.facts' summaries
// (facts_summaries.go), or without them by itself; part of factsQuery.
const summariesQuery = `data.fluxtf.lib.tf_source_keys, data.fluxtf.lib.tf_state_key_set,
	data.fluxtf.lib.tf_state_key_names, data.fluxtf.lib.common_tf_version_keys,
	data.fluxtf.lib.baseline_common_tf_version_keys, data.fluxtf.lib.common_tf_account_ids,
	data.fluxtf.lib.tf_spec_values, data.fluxtf.lib.tf_custom_backend_missing_tiers,
	data.fluxtf.lib.tf_contract_shape_firsts, data.fluxtf.lib.common_tf_version_values,
	data.fluxtf.lib.tf_spec_keys, data.fluxtf.lib.eks_bases_by_os, data.fluxtf.lib.eks_version_k8s,
	data.fluxtf.lib.eks_bases_by_node_groups, data.fluxtf.lib.eks_bases_by_endpoint_access,
	data.fluxtf.lib.eks_unreached_bases, count([1 | data.fluxtf.lib.names_all_valid]),`

// summaryNames are the values facts_summaries.go gives of a generated
// fleet with itself as baseline.
var summaryNames = []string{"tf_source_keys", "tf_state_key_set", "tf_state_key_names",
	"tf_version_keys", "baseline_tf_version_keys", "tf_account_ids", "names_valid",
	"tf_spec_values", "tf_custom_backend_missing_tiers", "tf_contract_shape_firsts", "tf_version_values", "tf_spec_keys", "base_by_os", "version_k8s", "base_by_node_groups",
	"base_by_endpoint_access", "base_unreached"}

// TestEngineSummariesMatchTheLibrary: the summaries the engine computes in
// Go (facts_summaries.go) are those the library derives by itself
// (lib/summaries.rego, its reference) on a generated fleet with itself as
// baseline and with odd names, account ids and sources in it (the
// fixtures, realworld repositories and odd objects of
// TestEngineFactsMatchTheLibrary, whose factsQuery holds summariesQuery,
// too); Go gives every one of the fleet's.
func TestEngineSummariesMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	eval := evalOf(t, e, "x := ["+summariesQuery+"]")
	fleet := fleetCorpus(t, 60)
	var tf map[string]any // a production Terraform (its tier sets a customConfiguration)
	for _, d := range fleet {
		if d.Kind == "Terraform" && tf == nil && d.Object["metadata"].(map[string]any)["labels"].(map[string]any)["fluxtf.io/tier"] == "prod" {
			tf = d.Object
		}
	}
	if tf == nil {
		t.Fatal("no production Terraform in the fleet")
	}
	byComp := map[string]map[string]any{} // component -> a Terraform of the fleet's first target with it
	for _, d := range fleet {
		if d.Kind != "Terraform" {
			continue
		}
		labels := d.Object["metadata"].(map[string]any)["labels"].(map[string]any)
		if c, _ := labels["fluxtf.io/component"].(string); byComp[c] == nil && (byComp["eks"] == nil || labels["fluxtf.io/target"] == byComp["eks"]["metadata"].(map[string]any)["labels"].(map[string]any)["fluxtf.io/target"]) {
			byComp[c] = d.Object
		}
	}
	if byComp["eks"] == nil || byComp["karpenter"] == nil {
		t.Fatal("no base or karpenter Terraform of one target in the fleet")
	}
	edit := func(f func(o map[string]any)) map[string]any {
		c := deepCopy(tf).(map[string]any)
		f(c)
		return c
	}
	// copyOf is a copy of the fleet's Terraform of component c, named n and edited by f.
	copyOf := func(c, n string, f func(o map[string]any)) map[string]any {
		o := deepCopy(byComp[c]).(map[string]any)
		o["metadata"].(map[string]any)["name"] = n
		f(o)
		return o
	}
	setVar := func(o map[string]any, name string, v any) {
		for _, x := range o["spec"].(map[string]any)["vars"].([]any) {
			if x := x.(map[string]any); x["name"] == name {
				if v == nil {
					delete(x, "value")
				} else {
					x["value"] = v
				}
			}
		}
	}
	retarget := func(t string) func(o map[string]any) {
		return func(o map[string]any) {
			o["metadata"].(map[string]any)["labels"].(map[string]any)["fluxtf.io/target"] = t
		}
	}
	annotate := func(v any) func(o map[string]any) {
		return func(o map[string]any) {
			m := o["metadata"].(map[string]any)
			a, _ := m["annotations"].(map[string]any)
			if a == nil {
				a = map[string]any{}
				m["annotations"] = a
			}
			a["fluxtf.io/runner-access"] = v
		}
	}
	named := func(n string) map[string]any {
		return edit(func(o map[string]any) { o["metadata"].(map[string]any)["name"] = n })
	}
	spec := func(f func(s map[string]any)) map[string]any {
		return edit(func(o map[string]any) { f(o["spec"].(map[string]any)) })
	}
	accountID := func(v any) map[string]any {
		return edit(func(o map[string]any) {
			o["spec"].(map[string]any)["vars"] = append(o["spec"].(map[string]any)["vars"].([]any), map[string]any{"name": "account_id", "value": v})
		})
	}
	for _, c := range []struct {
		name  string
		objs  []map[string]any
		valid bool // names_all_valid
	}{
		{"fleet", nil, true},
		{"an upper-case name", []map[string]any{named("Upper")}, false},
		{"a name ending in -", []map[string]any{named("a-")}, false},
		{"a name of 63 characters", []map[string]any{named(strings.Repeat("a", 63))}, true},
		{"a name of 64 characters", []map[string]any{named(strings.Repeat("a", 64))}, false},
		{"a name with a newline", []map[string]any{named("a\nb")}, false},
		{"a numeric account id, another of a string", []map[string]any{accountID(123456789012), accountID(" 123456789012 ")}, true},
		{"an account id without a value", []map[string]any{edit(func(o map[string]any) {
			o["spec"].(map[string]any)["vars"] = append(o["spec"].(map[string]any)["vars"].([]any), map[string]any{"name": "account_id"})
		})}, true},
		{"spec values: force, approvePlan null and a plan id", []map[string]any{
			spec(func(s map[string]any) { s["force"] = true }),
			spec(func(s map[string]any) { s["approvePlan"] = nil }),
			spec(func(s map[string]any) {
				s["approvePlan"] = "plan-main-0123456"
				s["destroyResourcesOnDeletion"] = false
			}),
		}, true},
		{"a runner pod template and a cloud block", []map[string]any{
			spec(func(s map[string]any) {
				s["runnerPodTemplate"] = map[string]any{"spec": map[string]any{"env": []any{}}}
			}),
			spec(func(s map[string]any) { s["cloud"] = nil }),
		}, true},
		{"backendConfig a string", []map[string]any{spec(func(s map[string]any) { s["backendConfig"] = "x" })}, true},
		{"no backendConfig", []map[string]any{spec(func(s map[string]any) { delete(s, "backendConfig") })}, true},
		{"customConfiguration empty, numeric, null", []map[string]any{
			spec(func(s map[string]any) { s["backendConfig"] = map[string]any{"customConfiguration": ""} }),
			spec(func(s map[string]any) { s["backendConfig"] = map[string]any{"customConfiguration": 7} }),
			spec(func(s map[string]any) { s["backendConfig"] = map[string]any{"customConfiguration": nil} }),
		}, true},
		{"a source in another namespace", []map[string]any{edit(func(o map[string]any) {
			o["spec"].(map[string]any)["sourceRef"].(map[string]any)["namespace"] = "elsewhere"
		})}, true},
		{"a second base of a target, of a numeric Kubernetes version, and a component copy", []map[string]any{
			copyOf("eks", "eks-copy", func(o map[string]any) { setVar(o, "kubernetes_version", 1.3) }),
			copyOf("karpenter", "karpenter-copy", func(o map[string]any) { setVar(o, "karpenter_version", "0.0.1") }),
		}, true},
		{"a base without a kubernetes_version value, one of another source", []map[string]any{
			copyOf("eks", "eks-novalue", func(o map[string]any) { setVar(o, "kubernetes_version", nil) }),
			copyOf("eks", "eks-elsewhere", func(o map[string]any) {
				o["spec"].(map[string]any)["sourceRef"].(map[string]any)["namespace"] = "elsewhere"
			}),
		}, true},
		{"node groups: a list, a string, no value, a copy's equal map", []map[string]any{
			copyOf("eks", "eks-list", func(o map[string]any) { setVar(o, "node_groups", []any{map[string]any{"min_size": 1}}) }),
			copyOf("eks", "eks-string", func(o map[string]any) { setVar(o, "node_groups", "system") }),
			copyOf("eks", "eks-nogroups", func(o map[string]any) { setVar(o, "node_groups", nil) }),
			copyOf("eks", "eks-same", func(map[string]any) {}),
		}, true},
		{"endpoint access: public, a string, no value", []map[string]any{
			copyOf("eks", "eks-public", func(o map[string]any) { setVar(o, "cluster_endpoint_public_access", true) }),
			copyOf("eks", "eks-access-string", func(o map[string]any) { setVar(o, "cluster_endpoint_public_access", "false") }),
			copyOf("eks", "eks-access-none", func(o map[string]any) { setVar(o, "cluster_endpoint_public_access", nil) }),
		}, true},
		{"runner access: private bases depended on, annotated blank, with text, with a number; public, a string; one not depended on", []map[string]any{
			copyOf("eks", "eks-ann-blank", annotate(" \t")),
			copyOf("eks", "eks-ann-text", annotate(" private ")),
			copyOf("eks", "eks-ann-number", annotate(7)),
			copyOf("eks", "eks-ann-public", func(o map[string]any) {
				annotate(nil)(o)
				setVar(o, "cluster_endpoint_public_access", true)
			}),
			copyOf("eks", "eks-ann-string", func(o map[string]any) {
				annotate(nil)(o)
				setVar(o, "cluster_endpoint_public_access", "false")
			}),
			copyOf("eks", "eks-ann-null", annotate(nil)), // no component depends on it
			copyOf("karpenter", "karpenter-ann", func(o map[string]any) {
				o["spec"].(map[string]any)["dependsOn"] = []any{
					map[string]any{"name": "eks-ann-blank"}, map[string]any{"name": "eks-ann-text"},
					map[string]any{"name": "eks-ann-number"}, map[string]any{"name": "eks-ann-public"},
					map[string]any{"name": "eks-ann-string"}, map[string]any{"name": 7},
				}
			}),
		}, true},
		{"a base and a component of targets of their own, a component of another source", []map[string]any{
			copyOf("eks", "eks-alone", retarget("alone")),
			copyOf("karpenter", "karpenter-alone", retarget("elsewhere")),
			copyOf("karpenter", "karpenter-elsewhere", func(o map[string]any) {
				o["spec"].(map[string]any)["sourceRef"].(map[string]any)["namespace"] = "elsewhere"
			}),
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var docs []*manifest.Doc
			for i, o := range c.objs {
				docs = append(docs, benchDoc("a-odd.yaml", i, o))
			}
			docs = append(docs, fleet...)
			cur, err := convertDocs(docs)
			if err != nil {
				t.Fatal(err)
			}
			input := builtinInput(Input{Docs: docs, Baseline: docs, Now: fixtureNow}, cur, cur)
			files := input.Get(ast.StringTerm("files")).Value.(*ast.Array)
			baseFiles := input.Get(ast.StringTerm("baseline")).Value.(*ast.Array)
			facts := buildFacts(files, baseFiles)
			got, want := eval(t, withFacts(input, facts)), eval(t, withFacts(input, nil))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the engine's summaries differ from the library's:\n got %v\nwant %v", got, want)
			}
			for _, k := range summaryNames {
				if facts.Get(ast.StringTerm(k)) == nil {
					t.Errorf("no %s from Go", k)
				}
			}
			if v := facts.Get(tNamesValid); v == nil || !v.Equal(ast.BooleanTerm(c.valid)) {
				t.Errorf("names_valid %v, want %v", v, c.valid)
			}
		})
	}
}
