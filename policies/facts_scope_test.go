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
// more steps), and fleetFacts leaves some out. Over every rule fixture
// (the fleet rules' deny cases find something), the clusters and a
// generated fleet, with and without a baseline. A rule or library change
// that makes the fleet rules read another of input.facts fails here: add
// it to fleetFacts (facts.go).
func TestFleetFactsAreWhatTheFleetRulesRead(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	inputs := map[string]func(factScope) ast.Object{}
	for name, c := range batchCases(t) {
		inputs[name] = func(scope factScope) ast.Object { return scopedBatchInput(t, c[0], c[1], scope) }
	}
	docs := fleetCorpus(t, 400)
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	for name, withBaseline := range map[string]bool{"fleet": false, "fleet, own baseline": true} {
		inputs[name] = func(scope factScope) ast.Object {
			in := Input{Docs: docs, Now: benchNow, RepositoryURL: benchRepositoryURL}
			var baseFiles *ast.Array
			if withBaseline {
				in.Baseline, baseFiles = docs, cur.filesOf(cur.terms())
			}
			return inputOf(in, cur.filesOf(cur.terms()), baseFiles, cur.hints, scope)
		}
	}
	local, fleet := e.batch.split()
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			all, some := input(allFacts), input(fleetFacts)
			withBaseline := all.Get(ast.InternedTerm("baseline")) != nil
			o, err := e.batch.evalBatch(ctx, 1, all, local, withBaseline)
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
			allFacts, _ := obj(all.Get(ast.InternedTerm("facts")))
			allSteps, allResults := run(withFleet(all, summaries))
			steps, results := run(withFleet(some, summaries))
			if results != allResults {
				t.Errorf("the fleet rules find with fleetFacts\n%s\nwith all facts\n%s", results, allResults)
			}
			if steps != allSteps {
				t.Errorf("the fleet rules take %d steps with fleetFacts, %d with all facts: they read a value fleetFacts leaves out", steps, allSteps)
			}
			someFacts, _ := obj(some.Get(ast.InternedTerm("facts")))
			if allFacts == nil || someFacts == nil {
				return // facts the engine does not compute (odd objects, FLUXTF_SLOW=facts)
			}
			for _, k := range someFacts.Keys() {
				if !someFacts.Get(k).Equal(allFacts.Get(k)) {
					t.Errorf("fleetFacts' %v is not that of all facts", k)
				}
			}
			if allFacts.Get(ast.StringTerm("tf")) != nil && someFacts.Len() >= allFacts.Len() {
				t.Errorf("fleetFacts has %d values, all facts %d: it leaves none out", someFacts.Len(), allFacts.Len())
			}
		})
	}
}
