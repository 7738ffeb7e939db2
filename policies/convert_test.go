package policies

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/yamlx"
)

// TestConverterMatchesInterfaceToValue holds the sharing converter to
// OPA's own conversion: the same values (equal, with equal hashes) for the
// fixtures' objects and for random documents, converted one after the
// other by one converter, so that later ones share the earlier ones' parts.
func TestConverterMatchesInterfaceToValue(t *testing.T) {
	t.Parallel()
	var objs []any
	set, err := manifest.Load([]string{filepath.Join("..", "fixtures", "clusters"), filepath.Join("..", "fixtures", "policies")}, manifest.Options{NoCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range set.Docs {
		objs = append(objs, d.Object)
	}
	if len(objs) < 100 {
		t.Fatalf("only %d fixture objects", len(objs))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		objs = append(objs, randomValue(r, 4))
	}
	c := newConverter()
	for i, o := range objs {
		want, err := ast.InterfaceToValue(o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.value(o)
		if err != nil {
			t.Fatalf("object %d: %v", i, err)
		}
		if got.Compare(want) != 0 || got.Hash() != want.Hash() || got.String() != want.String() {
			t.Fatalf("object %d: converted to\n%v\nwant\n%v", i, got, want)
		}
	}
	if len(c.strs) == 0 || c.comps.n == 0 {
		t.Error("nothing was shared")
	}
}

// TestConverterOtherTypes: values of other types than decoding gives (a
// Doc made by hand) are converted as OPA converts them, or refused as OPA
// refuses them.
func TestConverterOtherTypes(t *testing.T) {
	t.Parallel()
	for _, v := range []any{
		map[string]any{"n": json.Number("1.50"), "m": map[string]string{"a": "b"}, "l": []string{"x"}},
		[]any{struct {
			A int `json:"a"`
		}{A: 1}},
	} {
		want, err := ast.InterfaceToValue(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := newConverter().value(v)
		if err != nil || got.Compare(want) != 0 || got.String() != want.String() {
			t.Errorf("%#v: converted to %v (%v), want %v", v, got, err, want)
		}
	}
	if _, err := newConverter().value(map[string]any{"a": []any{make(chan int)}}); err == nil {
		t.Error("a channel converted")
	}
}

// randomValue is a document of the kinds decoding gives, from a small
// alphabet so that parts repeat.
func randomValue(r *rand.Rand, depth int) any {
	words := []string{"", "a", "b", "name", "value", "AKIA", "é", "x y", "1"}
	k := r.IntN(9)
	if depth == 0 {
		k %= 6
	}
	switch k {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return int64(r.IntN(5) - 2)
	case 3:
		return []float64{0.5, 1e300, math.Copysign(0, -1), 0, math.MaxFloat64, 3}[r.IntN(6)]
	case 4, 5:
		return words[r.IntN(len(words))]
	case 6:
		n := r.IntN(4)
		out := make([]any, n)
		for i := range out {
			out[i] = randomValue(r, depth-1)
		}
		return out
	}
	n := r.IntN(4)
	out := make(map[string]any, n)
	for range n {
		out[words[r.IntN(len(words))]+fmt.Sprint(r.IntN(2))] = randomValue(r, depth-1)
	}
	return out
}

// TestInputConverterMatchesObjects: the documents Load converts as it reads
// them (Options.Convert) have the values their decoded Objects convert to,
// and the same annotations; under FLUXTF_SLOW, they are decoded instead.
func TestInputConverterMatchesObjects(t *testing.T) {
	t.Parallel()
	paths := []string{filepath.Join("..", "fixtures", "clusters"), filepath.Join("..", "fixtures", "policies")}
	plain, err := manifest.Load(paths, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := manifest.Load(paths, manifest.Options{Convert: NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Docs) != len(conv.Docs) || len(plain.Docs) < 100 {
		t.Fatalf("%d documents read plainly, %d converted", len(plain.Docs), len(conv.Docs))
	}
	for i, d := range conv.Docs {
		p := plain.Docs[i]
		if !fastpath.Enabled(fastpath.Convert) {
			// FLUXTF_SLOW: no converter; Load decodes, and the engine
			// converts the Objects with OPA's InterfaceToValue
			if d.Value != nil || !reflect.DeepEqual(d.Object, p.Object) {
				t.Fatalf("%s #%d: under %s, Value %T and Object %v, want the decoded Object", d.File, d.Index, fastpath.EnvVar, d.Value, d.Object != nil)
			}
			continue
		}
		iv, ok := d.Value.(*inputValue)
		if !ok || d.Object != nil {
			t.Fatalf("%s: Value %T, Object %v", d.File, d.Value, d.Object != nil)
		}
		want, err := ast.InterfaceToValue(p.Object)
		if err != nil {
			t.Fatal(err)
		}
		got := newMaterializer().term(iv.r).Value
		if got.Compare(want) != 0 || got.Hash() != want.Hash() || got.String() != want.String() {
			t.Fatalf("%s #%d: converted to\n%v\nwant\n%v", d.File, d.Index, got, want)
		}
		if !reflect.DeepEqual(d.Annotations(), p.Annotations()) {
			t.Errorf("%s #%d: annotations %v, want %v", d.File, d.Index, d.Annotations(), p.Annotations())
		}
	}
}

// FuzzInputConverter holds the conversion of YAML trees to the conversion
// of what they decode to (yamlx.Node.ToAny) by OPA.
func FuzzInputConverter(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb: [x, y, {c: d}]\n",
		"a: &x {b: c}\nd: *x\ne: *x\n",
		"k: 1\nk: 2\n",
		"? [a, b]\n: c\n",
		"a: !!binary aGVsbG8=\nb: 2026-01-01\nc: .nan\nd: -0.0\ne: 0x1F\nf: ~\n",
		"- AKIA\n- ACCAXXXXXXXXXXXXXXXX\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := yamlx.Parse("fuzz.yaml", data, yamlx.Limits{MaxBytes: 1 << 16, MaxDepth: 50, MaxAliasNodes: 10000})
		if err != nil {
			return
		}
		c := newConverter()
		for _, d := range docs {
			if d.Root == nil {
				continue
			}
			want, err := ast.InterfaceToValue(d.Root.ToAny())
			if err != nil {
				continue // OPA refuses it (a NaN): so does the converter
			}
			n, err := c.yamlNode(d.Root, false)
			if err != nil {
				t.Fatalf("converter: %v (OPA: %v)", err, want)
			}
			got := newMaterializer().term(c.ref(n)).Value
			if got.Compare(want) != 0 || got.Hash() != want.Hash() || got.String() != want.String() {
				t.Fatalf("converted to\n%v\nwant\n%v", got, want)
			}
		}
	})
}
