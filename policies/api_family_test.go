package policies

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/racedetect"
)

// TestInFamilyComparesTheObjectOnce: api.in_family of a base Terraform's
// record of a rendered fleet (every Terraform of the eks family) tells
// that the record is the one of the object under check by comparing the
// two objects as terms, at once when they are one value, not by unifying
// them, which walked every field of the object and allocated some 10 KiB
// per base (prod-os-bottlerocket's time, and that of any policy written
// against data.fluxtf.api that selects a family). Bytes are counted, not
// time; not under the race detector, which drops sync.Pool entries.
func TestInFamilyComparesTheObjectOnce(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, Options{})
	docs := fleetCorpus(t, 400)
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	input := builtinInput(Input{Docs: docs, Now: benchNow}, cur, nil)
	q, err := e.batch.prep(`x := count([1 | some o in data.fluxtf.api.base_terraforms; data.fluxtf.api.in_family(o, "eks")])`)
	if err != nil {
		t.Fatal(err)
	}
	all, err := e.batch.prep(`x := count(data.fluxtf.api.base_terraforms)`)
	if err != nil {
		t.Fatal(err)
	}
	cache := topdown.NewVirtualCache()
	// the shared values and the records first, so that only the calls are counted
	for _, p := range []*rego.PreparedEvalQuery{e.batch.shared, all} {
		if _, err := p.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache)); err != nil {
			t.Fatal(err)
		}
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache))
	runtime.ReadMemStats(&m1)
	if err != nil || len(rs) != 1 {
		t.Fatalf("evaluate: %v", err)
	}
	n, _ := rs[0].Bindings["x"].(json.Number).Int64()
	if n == 0 {
		t.Fatal("no base Terraform of the eks family in the fleet")
	}
	perBase := (m1.TotalAlloc - m0.TotalAlloc) / uint64(n)
	t.Logf("%d bases, %d bytes allocated per base", n, perBase)
	if !racedetect.Enabled && perBase > 4096 {
		t.Errorf("api.in_family allocated %d bytes per base Terraform, over 4,096: the objects are unified, not compared", perBase)
	}
}
