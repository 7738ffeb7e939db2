package policies

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestFleetFactsAreWhatTheFleetRulesRead: the fleet rules' evaluation of
// a batch (fleetSharedQuery, then each of fleetRules, with the merged
// summaries) finds the same and takes the same steps with the facts of
// fleetFacts as with all of them: it reads none of the values fleetFacts
// leaves out (a value it read would be derived by the library instead,
// more steps), and fleetFacts leaves some out. A rule or library change
// that makes the fleet rules read another of input.facts fails here: add
// it to fleetFacts (facts.go).
func TestFleetFactsAreWhatTheFleetRulesRead(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, Options{})
	docs := fleetCorpus(t, 400)
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	local, fleet := e.batch.split()
	for _, withBaseline := range []bool{false, true} {
		in := Input{Docs: docs, Now: benchNow, RepositoryURL: benchRepositoryURL}
		var base *converted
		if withBaseline {
			in.Baseline, base = docs, cur
		}
		inputs := map[factScope]ast.Object{}
		for _, scope := range []factScope{allFacts, fleetFacts} {
			var baseFiles *ast.Array
			if base != nil {
				baseFiles = base.filesOf(base.terms())
			}
			inputs[scope] = inputOf(in, cur.filesOf(cur.terms()), baseFiles, cur.hints, scope)
		}
		o, err := e.batch.evalBatch(ctx, 1, inputs[allFacts], local, withBaseline)
		if err != nil {
			t.Fatal(err)
		}
		summaries := mergeSummaries([]ast.Value{o.summary})
		run := func(input ast.Value) (steps int, results string) {
			c := &stepCounter{}
			shared := topdown.NewVirtualCache()
			if _, err := e.batch.fleetShared.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(shared), rego.EvalQueryTracer(c)); err != nil {
				t.Fatal(err)
			}
			cache := &sharedCache{shared: shared, own: topdown.NewVirtualCache()}
			var rs []any
			for _, i := range fleet {
				r, err := e.batch.rules[i].Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache), rego.EvalQueryTracer(c))
				if err != nil {
					t.Fatal(err)
				}
				rs = append(rs, r[0].Bindings["x"])
			}
			return c.n, jsonOf(t, rs)
		}
		allSteps, allResults := run(withFleet(inputs[allFacts], summaries))
		steps, results := run(withFleet(inputs[fleetFacts], summaries))
		if results != allResults {
			t.Errorf("baseline %v: the fleet rules find with fleetFacts\n%s\nwith all facts\n%s", withBaseline, results, allResults)
		}
		if steps != allSteps {
			t.Errorf("baseline %v: the fleet rules take %d steps with fleetFacts, %d with all facts: they read a value fleetFacts leaves out", withBaseline, steps, allSteps)
		}
		all := inputs[allFacts].Get(ast.InternedTerm("facts")).Value.(ast.Object)
		some := inputs[fleetFacts].Get(ast.InternedTerm("facts")).Value.(ast.Object)
		for _, k := range some.Keys() {
			if !some.Get(k).Equal(all.Get(k)) {
				t.Errorf("baseline %v: fleetFacts' %v is not that of all facts", withBaseline, k)
			}
		}
		for _, k := range []string{"other", "deps", "base_records", "tf_state_keys", "fact_index", "names_valid"} {
			if some.Get(ast.StringTerm(k)) != nil || all.Get(ast.StringTerm(k)) == nil {
				t.Errorf("baseline %v: %s is in fleetFacts (or not in all facts)", withBaseline, k)
			}
		}
	}
}
