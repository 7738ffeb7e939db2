//go:build unix

package policies

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
)

// stepCounter counts OPA's evaluation steps (one per expression
// evaluated): a measure of the work that does not depend on the machine.
type stepCounter struct{ n int }

func (c *stepCounter) Enabled() bool               { return true }
func (c *stepCounter) Config() topdown.TraceConfig { return topdown.TraceConfig{} }
func (c *stepCounter) TraceEvent(e topdown.Event)  { c.n += boolInt(e.Op == topdown.EvalOp) }
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// chainCorpus is the fixtures' environments (dev, uat, prod in turn)
// copied into n environments, in each target of which external-dns also
// depends on cert-manager, and metrics-server on external-dns, where they
// are deployed: a chain of components, so that depends-on-resolves looks
// for cycles among the Terraforms that depend and are depended on.
func chainCorpus(tb testing.TB, n int) []*manifest.Doc {
	tb.Helper()
	chain := map[string]string{"external-dns": "cert-manager", "metrics-server": "external-dns"}
	var docs []*manifest.Doc
	for i := range n {
		tier := benchTiers[i%len(benchTiers)]
		env := fmt.Sprintf("e%04d", i)
		names := map[string]bool{}
		var objs []map[string]any
		for _, d := range benchFixtures(tb)[tier] {
			obj := renamed(tb, d.Object, tier, env)
			objs = append(objs, obj)
			md, _ := obj["metadata"].(map[string]any)
			name, _ := md["name"].(string)
			names[name] = true
		}
		for j, d := range benchFixtures(tb)[tier] {
			obj := objs[j]
			md, _ := obj["metadata"].(map[string]any)
			labels, _ := md["labels"].(map[string]any)
			name, _ := md["name"].(string)
			comp, _ := labels["fluxtf.io/component"].(string)
			spec, _ := obj["spec"].(map[string]any)
			if dep, ok := chain[comp]; ok && d.Kind == "Terraform" && spec != nil {
				depName := strings.TrimSuffix(name, comp) + dep
				if names[depName] {
					spec["dependsOn"] = append(spec["dependsOn"].([]any), map[string]any{"name": depName})
				}
			}
			docs = append(docs, benchDoc(env+"/"+d.File, d.Index, obj))
		}
	}
	return docs
}

// TestEvaluationScalesLinearly: four times the environments take about
// four times OPA's evaluation steps, not more; a rule that compares every
// object with every other (depends-on-resolves once did, for its cycle
// graph, as soon as components formed a chain) makes the ratio grow with
// the size. Steps are counted, not timed. Linear rules give about 3.9x (the
// fixed work keeps it under 4); component-compatibility's look-up of a
// multi-value rule, which evaluated every base Terraform for each
// component, gave 4.9x, so the bound is 4.4x.
func TestEvaluationScalesLinearly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	one := oneQuery(t, e)
	for _, baseline := range []bool{false, true} {
		steps := func(n int) int {
			docs := chainCorpus(t, n)
			cur, err := convertDocs(docs)
			if err != nil {
				t.Fatal(err)
			}
			var base *converted
			if baseline {
				base = cur // the set as its own baseline: the baseline rules run too
			}
			c := &stepCounter{}
			rs, err := one.Eval(ctx, rego.EvalParsedInput(builtinInput(Input{Docs: docs}, cur, base)), rego.EvalQueryTracer(c))
			if err != nil || len(rs) != 1 {
				t.Fatalf("evaluate: %v", err)
			}
			return c.n
		}
		small, large := steps(20), steps(80)
		ratio := float64(large) / float64(small)
		t.Logf("baseline %v: evaluation steps: %d for 20 environments, %d for 80 (%.2fx)", baseline, small, large, ratio)
		if ratio > 4.4 {
			t.Errorf("baseline %v: 4x the environments took %.2fx the evaluation steps (%d -> %d); some rule's work grows faster than its input", baseline, ratio, small, large)
		}
	}
}

// evaluationStepBudget is the most OPA evaluation steps per document the
// embedded rules may take on chainCorpus, without and with the set as its
// own baseline: at 996bdd6 they took 512 and 628; after module-contract
// checked one Terraform per shape (it took about 250 steps per Terraform
// before) 307 and 423; at 42ff777 310 and 421; after state-key-unique,
// module-contract, runner-reachability and other rules read their facts
// with fewer function calls (rules18) 291 and 402; after the release rules
// read the component versions and groups the library looks up once
// (lib.common_tf_versions, lib.common_tf_groups; rel18) 291 and 395; both
// together 272 and 376; after the facts, module-contract, the baseline rules
// and others read shapes instead of objects (rego11) 218 and 317; at
// b0b65f8 221 and 320; after names-valid matched the joined names once and
// approve-plan-valid, source-ref-resolves and state-backend read fewer
// expressions per Terraform (fact2) 215 and 314; after the engine gave the
// library the facts it computed in Go (facts.go, gofacts) 177 and 271
// (the library's own derivation, under FLUXTF_SLOW=facts, still 211 and
// 312: referenceStepBudget); after the engine also gave the state keys,
// contract shapes, Secret writers and dependsOn entries (facts_state.go,
// facts_deps.go; rfstate, rfdeps) 85 and 179 (the reference 221 and 321:
// those derivations moved from the rules into the library, lib/state.rego
// and lib/deps.rego); after the engine also gave the library's summaries
// of the facts (shapes, fact indexes, base facts, policies annotations,
// the release groups: facts_index.go; evalcpu) 71 and 164, and the
// component versions (facts_versions.go) 64 and 151; after rules read
// the summaries of facts_summaries.go instead of walking every Terraform
// (lib/summaries.rego; rulecpu) 37 and 125 (the reference 217 and 317);
// after component-compatibility, efs-min-nodes and runner-reachability
// read the bases and component versions grouped by value
// (lib.eks_version_k8s, eks_bases_by_node_groups,
// eks_bases_by_endpoint_access; rulecpu2) 22 and 110 (the reference 217
// and 318), 22.2 and 109.6 to one decimal; after runner-reachability read
// the bases it warns about (lib.eks_unreached_bases; rulecpu3) 21.5 and
// 109.2 (the chain has few of them: TestRunnerReachabilityStepsPerFinding
// counts them on a fleet that warns). A
// rule that adds tens of steps per object fails
// here; raise the budget only for a rule worth it, and say so in
// docs/benchmarks.md.
var evaluationStepBudget = map[bool]float64{false: 21.8, true: 109.4}

// referenceStepBudget is evaluationStepBudget when the library derives
// the facts itself (FLUXTF_SLOW=facts).
var referenceStepBudget = map[bool]float64{false: 225, true: 325}

// TestEvaluationStepBudget: the embedded rules' evaluation steps per
// document stay within evaluationStepBudget. Steps are counted, not timed.
func TestEvaluationStepBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	one := oneQuery(t, e)
	docs := chainCorpus(t, 30)
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []*converted{nil, cur} {
		c := &stepCounter{}
		rs, err := one.Eval(ctx, rego.EvalParsedInput(builtinInput(Input{Docs: docs}, cur, base)), rego.EvalQueryTracer(c))
		if err != nil || len(rs) != 1 {
			t.Fatalf("evaluate: %v", err)
		}
		perDoc := float64(c.n) / float64(len(docs))
		budget := evaluationStepBudget[base != nil]
		if !fastpath.Enabled(fastpath.Facts) {
			budget = referenceStepBudget[base != nil]
		}
		t.Logf("baseline %v: %d steps for %d documents, %.1f per document (budget %.1f)", base != nil, c.n, len(docs), perDoc, budget)
		if perDoc > budget {
			t.Errorf("baseline %v: %.1f evaluation steps per document, over the budget of %.1f", base != nil, perDoc, budget)
		}
	}
}

// TestFleetKeysReadOnce: with the merged summaries of a batched run
// (context.fleet), state-key-unique tells whether any state key is shared
// from the summary's set of keys, not by reading every Terraform's
// [key, name] of the fleet again in every batch: its steps do not grow
// with the fleet's keys when none is shared. Steps are counted, not timed.
func TestFleetKeysReadOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEngine(t, Options{})
	q, err := e.batch.prep(ruleQuery(ast.MustParseRef("data.fluxtf.rules.state_key_unique")))
	if err != nil {
		t.Fatal(err)
	}
	steps := func(n int) int {
		keys, distinct := make([]any, n), ast.NewSet()
		for i := range n {
			k := fmt.Sprintf("s3://digx-terraform-state/e%04d.tfstate (workspace default)", i)
			keys[i] = []any{k, fmt.Sprintf("e%04d", i)}
			distinct.Add(ast.StringTerm(k))
		}
		kv, err := ast.InterfaceToValue(keys)
		if err != nil {
			t.Fatal(err)
		}
		summary := ast.NewObject(ast.Item(ast.StringTerm("keys"), ast.NewTerm(kv)), ast.Item(ast.StringTerm("distinct"), ast.NewTerm(distinct)))
		in := withFleet(ast.NewObject(ast.Item(ast.StringTerm("files"), ast.ArrayTerm())),
			ast.NewObject(ast.Item(ast.StringTerm("state_key_unique"), ast.NewTerm(summary))))
		c := &stepCounter{}
		rs, err := q.Eval(ctx, rego.EvalParsedInput(in), rego.EvalQueryTracer(c))
		if err != nil || len(rs) != 1 {
			t.Fatalf("evaluate: %v", err)
		}
		return c.n
	}
	small, large := steps(10), steps(1000)
	t.Logf("state-key-unique over a fleet summary: %d steps for 10 keys, %d for 1,000", small, large)
	if large > small+50 {
		t.Errorf("state-key-unique took %d steps over 1,000 keys of the fleet, %d over 10: it reads the fleet's keys again in every batch", large, small)
	}
}
