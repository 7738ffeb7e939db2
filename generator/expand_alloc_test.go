package generator

import (
	"slices"
	"testing"

	"github.com/digx/fluxtf/internal/racedetect"
	"github.com/digx/fluxtf/templates"
)

// TestVarsAllocations: vars makes a variable list of string values in
// four allocations whatever their number (the keys, the list, the values'
// JSON and their one buffer), not two per value and a sort's two.
func TestVarsAllocations(t *testing.T) {
	m := map[string]any{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		m[k] = "value-of-" + k
	}
	got, err := vars(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if want := `"` + m[v.Name].(string) + `"`; string(v.Value.Raw) != want || i > 0 && got[i-1].Name >= v.Name {
			t.Errorf("vars[%d] = %s %s, want %s in name order", i, v.Name, v.Value.Raw, want)
		}
		if cap(v.Value.Raw) != len(v.Value.Raw) {
			t.Errorf("%s: its JSON can be appended to over the next one", v.Name)
		}
	}
	if racedetect.Enabled {
		return // (the race detector changes allocations)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = vars(m, nil) }); n > 4 {
		t.Errorf("vars of %d strings: %v allocations, want at most 4", len(m), n)
	}
}

// TestS3BlockAllocations: s3Block writes the block in one allocation of
// its exact size beside its quoted values'.
func TestS3BlockAllocations(t *testing.T) {
	yes := true
	id := Identity{Stack: "jeppesen-eks", Environment: "uat", AccountID: "111111111111", Region: "eu-west-1", Component: "eks"}
	s := &S3Backend{Bucket: "b", Region: "eu-west-1", DynamoDBTable: "locks", UseLockfile: &yes, RoleARN: "arn:aws:iam::999999999999:role/terraform-state"}
	if racedetect.Enabled {
		return // (the race detector changes allocations)
	}
	parts := testing.AllocsPerRun(20, func() {
		_, _, _, _, _ = hclString(s.Bucket), hclString(id.StateKey(s.KeyPrefix)), hclString(s.Region), hclString(s.DynamoDBTable), hclString(s.RoleARN)
	})
	if n := testing.AllocsPerRun(20, func() { _ = s3Block(s, id) }); n > parts+1 {
		t.Errorf("s3Block: %v allocations, its values' %v and one more", n, parts)
	}
}

// TestComponentVarPairs: a component's variables are the module's, then
// the component's, then the target's common ones, then its version, a
// later one winning, in name order, each name once.
func TestComponentVarPairs(t *testing.T) {
	t.Parallel()
	m := &templates.Module{Vars: map[string]any{"a": "module", "b": "module", "v": "module"}, VersionVar: "v", DefaultVersion: "1.0"}
	comp := Component{Vars: map[string]any{"b": "component", "c": "component", "region": "component", "v": "component"}}
	common := map[string]any{"region": "eu-west-1", "environment": "dev"}
	want := []varPair{{"a", "module"}, {"b", "component"}, {"c", "component"}, {"environment", "dev"}, {"region", "eu-west-1"}, {"v", "1.0"}}
	for range 20 { // (maps' order differs from run to run)
		if got := componentVarPairs(m, comp, common); !slices.Equal(got, want) {
			t.Fatalf("componentVarPairs = %v, want %v", got, want)
		}
	}
	comp.Version = "2.0"
	if got := componentVars(m, comp, common); got["v"] != "2.0" || len(got) != len(want) {
		t.Errorf("componentVars = %v", got)
	}
}
