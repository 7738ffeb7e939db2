//go:build unix

package policies

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
)

// TestEvaluateLeavesNoGarbage: once the embedded rules have run over a
// large input, Evaluate collects their working values (collectAfterEval),
// so that what follows it does not grow the heap to the goal those values
// set. Measured with the collector otherwise off, which makes the figures
// deterministic: without the collection, everything the evaluation
// allocated would still be on the heap when Evaluate returns; with it,
// about a third is (the findings, the report; under FLUXTF_SLOW, where
// the documents are converted inside Evaluate, also the input values:
// about a half).
//
// Not parallel: the collector's setting is the process's.
func TestEvaluateLeavesNoGarbage(t *testing.T) {
	docs := chainCorpus(t, 1)
	per := len(docs)
	docs = chainCorpus(t, (gcAfterObjects+per-1)/per)
	if len(docs) < gcAfterObjects {
		t.Fatalf("corpus of %d objects, want at least %d", len(docs), gcAfterObjects)
	}
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep, err := e.Evaluate(context.Background(), Input{Docs: docs, Now: benchNow})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Objects != len(docs) || len(rep.Rules) == 0 {
		t.Fatalf("report of %d objects and %d rules, want %d objects and the rules", rep.Objects, len(rep.Rules), len(docs))
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d objects: allocated %d MiB, held %d MiB after Evaluate", len(docs), allocated>>20, held>>20)
	if held > int64(allocated*2/3) {
		t.Errorf("Evaluate of %d objects holds %d MiB of the %d MiB it allocated: its working values were not collected", len(docs), held>>20, allocated>>20)
	}
}

// TestEvaluateSmallRunCollectsNothing: below gcAfterObjects, Evaluate
// leaves the collector alone (collectAfterEval): a corpus the size of
// docs/benchmarks.md's (2,000 objects) is evaluated without a forced
// collection, which the report would wait for.
//
// Not parallel: the count of forced collections is the process's.
func TestEvaluateSmallRunCollectsNothing(t *testing.T) {
	docs := chainCorpus(t, 1)
	per := len(docs)
	docs = chainCorpus(t, (2000+per-1)/per)
	if len(docs) < 2000 || len(docs) > 3000 {
		t.Fatalf("corpus of %d objects, want 2,000 to 3,000", len(docs))
	}
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rep, err := e.Evaluate(context.Background(), Input{Docs: docs, Now: benchNow})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Objects != len(docs) {
		t.Fatalf("report of %d objects, want %d", rep.Objects, len(docs))
	}
	if n := after.NumForcedGC - before.NumForcedGC; n != 0 {
		t.Errorf("Evaluate of %d objects forced %d collections, want none", len(docs), n)
	}
}

// TestInputIsCompactUntilEvaluated: the documents' values, as Load
// converts them (NewInputConverter), are kept compact (lazy.go) and made
// into OPA's values only for the evaluation that reads them (a batch's,
// batchInputOf), so the values a large run keeps from the reading to the
// end of its evaluation take a fraction of the memory of the input made
// of them (whose strings they share). Before, Load made OPA's values of
// every document, which a batched run then held whole from its start to
// its end. Measured with the collector otherwise off (counted bytes, not
// times).
//
// Not parallel: the heap figures are the process's.
func TestInputIsCompactUntilEvaluated(t *testing.T) {
	set, err := manifest.Load([]string{renderedFleet(t, 40, 1)}, manifest.Options{Convert: NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	docs := set.Docs
	if !fastpath.Enabled(fastpath.Convert) {
		// FLUXTF_SLOW: Load decodes the documents (no Values); the engine
		// converts them when it evaluates
		for _, d := range docs {
			if d.Value != nil {
				t.Fatalf("%s: a Value under %s", d.File, fastpath.EnvVar)
			}
		}
		return
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	heap := func() int64 {
		var ms runtime.MemStats
		// (more than one collection: what finalizers or an earlier
		// test's goroutines let go is collected too, not counted below)
		for range 3 {
			runtime.GC()
		}
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	heap()
	withValues := heap()
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	input := builtinInput(Input{Docs: docs, Now: benchNow}, cur, nil)
	made := heap() - withValues
	runtime.KeepAlive(input)
	for _, d := range docs {
		d.Value = nil
	}
	held := withValues - heap()
	runtime.KeepAlive(docs)
	t.Logf("%d documents: their values hold %d KiB, the input made of them %d KiB", len(docs), held>>10, made>>10)
	if held <= 0 || made <= 0 {
		t.Fatalf("values hold %d bytes, the input %d: nothing measured", held, made)
	}
	// (40 environments: a third of it; Load's OPA values, before: 20 to
	// 30 times it, the input then sharing them)
	if held >= made {
		t.Errorf("the documents' values hold %d KiB, as much as the %d KiB of the input an evaluation makes of them: they are not compact", held>>10, made>>10)
	}
}
