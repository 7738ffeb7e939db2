package generator

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/bench/fleet"
)

// jsonRoute is Marshal's route before typedToYAML: encoding/json's text
// written as YAML by jsonToYAML, or go-yaml's encoder where that refuses.
func jsonRoute(t testing.TB, obj any) []byte {
	t.Helper()
	raw, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	if out, ok := jsonToYAML(Header, raw, 0); ok {
		return out
	}
	out, err := marshal(obj, false)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTypedYAMLMatchesJSONRoute renders the examples and a synthetic
// fleet and writes every object both from the typed value (typedToYAML)
// and through encoding/json's text (jsonToYAML): the same bytes, and the
// typed route takes every object.
func TestTypedYAMLMatchesJSONRoute(t *testing.T) {
	t.Parallel()
	specs := filepath.Join(t.TempDir(), "environments")
	if err := fleet.Write(specs, 100, 5); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range []string{filepath.Join("..", "fixtures", "environments"), specs} {
		outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: dir}, All: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			for _, obj := range o.Object {
				got, ok := typedToYAML(Header, obj.Object)
				if !ok {
					t.Fatalf("%s: typedToYAML left it to encoding/json", obj.Path)
				}
				if want := jsonRoute(t, obj.Object); !bytes.Equal(got, want) {
					t.Fatalf("%s: typedToYAML differs from the JSON route:\n%s\nwant:\n%s", obj.Path, got, want)
				}
				n++
			}
		}
	}
	if n < 500 {
		t.Fatalf("only %d objects compared", n)
	}
}
