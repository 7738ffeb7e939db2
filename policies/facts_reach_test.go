package policies

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
)

// TestRunnerReachabilityStepsPerFinding: on a fleet whose bases keep
// their API endpoint private with no annotation fluxtf.io/runner-access,
// runner-reachability makes each finding of a base the engine picked
// (lib.eks_unreached_bases, facts_reach.go), in 15.8 evaluation steps,
// not 21.8 when it read each private base's dependencies and annotation
// itself. Steps are counted, not timed (the library's reference
// derivation, FLUXTF_SLOW=facts, is not bounded here).
func TestRunnerReachabilityStepsPerFinding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEngine(t, Options{})
	var docs []*manifest.Doc
	for _, d := range fleetCorpus(t, 300) {
		o := deepCopy(d.Object).(map[string]any)
		if a, ok := o["metadata"].(map[string]any)["annotations"].(map[string]any); ok {
			delete(a, "fluxtf.io/runner-access")
		}
		docs = append(docs, benchDoc(d.File, d.Index, o))
	}
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	input := builtinInput(Input{Docs: docs, Now: benchNow}, cur, nil)
	q, err := e.batch.prep(ruleQuery(ast.MustParseRef("data.fluxtf.rules.runner_reachability")))
	if err != nil {
		t.Fatal(err)
	}
	cache := topdown.NewVirtualCache()
	if _, err := e.batch.shared.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache)); err != nil {
		t.Fatal(err)
	}
	c := &stepCounter{}
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache), rego.EvalQueryTracer(c))
	if err != nil || len(rs) != 1 {
		t.Fatalf("evaluate: %v (%d results)", err, len(rs))
	}
	warn, _ := rs[0].Bindings["x"].(map[string]any)["warn"].([]any)
	if len(warn) == 0 {
		t.Fatal("no finding of runner-reachability on the fleet")
	}
	perFinding := float64(c.n) / float64(len(warn))
	t.Logf("%d findings, %d steps, %.1f per finding", len(warn), c.n, perFinding)
	if fastpath.Enabled(fastpath.Facts) && perFinding > 16 {
		t.Errorf("runner-reachability took %.1f steps per finding, over 16", perFinding)
	}
}
