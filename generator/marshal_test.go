package generator

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/internal/yamlx"
)

// marshalReference is Marshal as it was written first, on
// sigs.k8s.io/yaml: the bytes Marshal must keep producing (every rendered
// file in every user's repository depends on them).
func marshalReference(obj any) ([]byte, error) {
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	delete(m, "status")
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	body, err := yaml.Marshal(m)
	if err != nil {
		return nil, err
	}
	return append([]byte(Header), body...), nil
}

// examplesAndFleet renders the bundled examples and a synthetic fleet of
// envs environments (fleet seed seed): the outputs of both.
func examplesAndFleet(t *testing.T, envs int, seed uint64) []*Output {
	t.Helper()
	specs := filepath.Join(t.TempDir(), "environments")
	if err := fleet.Write(specs, envs, seed); err != nil {
		t.Fatal(err)
	}
	var all []*Output
	for _, dir := range []string{filepath.Join("..", "fixtures", "environments"), specs} {
		outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: dir}, All: true})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, outs...)
	}
	return all
}

// TestMarshalMatchesSigsYAML renders the examples and a synthetic fleet
// both ways and compares every file.
func TestMarshalMatchesSigsYAML(t *testing.T) {
	t.Parallel()
	n := 0
	for _, o := range examplesAndFleet(t, 60, 7) {
		for _, obj := range o.Object {
			got, err := Marshal(obj.Object)
			if err != nil {
				t.Fatal(err)
			}
			want, err := marshalReference(obj.Object)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s: Marshal differs from sigs.k8s.io/yaml:\n%s\nwant:\n%s", obj.Path, got, want)
			}
			n++
		}
	}
	if n < 500 {
		t.Fatalf("only %d objects compared", n)
	}
}

// TestMarshalKeyOrderIsStable: go-yaml's key order is circular for these
// keys (fuzzing found them), so sigs.k8s.io/yaml wrote them in an order
// that changed with Go's map iteration; Marshal writes one order.
func TestMarshalKeyOrderIsStable(t *testing.T) {
	t.Parallel()
	vars := map[string]any{"2000": nil, "70B111": nil, ")9710": nil, "7b0810C": nil, "8A0280": nil, "subnet_10": 1, "subnet_9": 2}
	first, err := Marshal(map[string]any{"vars": vars})
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if again, _ := Marshal(map[string]any{"vars": vars}); !bytes.Equal(again, first) {
			t.Fatalf("the order changed:\n%s\nthen:\n%s", first, again)
		}
	}
	if !bytes.Contains(first, []byte("subnet_9: 2\n  subnet_10: 1")) {
		t.Errorf("digits do not sort as numbers:\n%s", first)
	}
}

// FuzzMarshal puts arbitrary YAML values where users' values go (the
// Terraform variables) and compares Marshal with the reference.
func FuzzMarshal(f *testing.F) {
	for _, s := range []string{
		"a: 1\n", "a: 1.5\nb: -0\nc: 1e3\nd: 18446744073709551615\ne: 9223372036854775808\n",
		"s: [\"0x10\", \"1_000\", \"0o17\", \"1e3\", \"true\", \"~\", \"\", \" x\", \"a: b\", \"- c\", \"#\"]\n",
		"long: \"" + string(bytes.Repeat([]byte("word "), 40)) + "\"\n",
		"m: \"line\\nline2\\n\"\nu: \"\\u2028\\u0085\\t\\x01\"\n",
		"k: {\"a b\": 1, \"10\": 2, \"9\": 3, \"a10\": 4, \"a9\": 5, \"\": 6}\n",
		"x: [1, [2, [3, {y: null}]], {}, []]\n",
		"f: [0.1, 100000000000000000000.0, 1.0e-7, 3.0]\n",
		"b: [yes, no, on, off, y, n, True]\n",
		"a: [{b: 1, c: [x, y]}, [1, [2, {d: e}]], {}, [], [[]], {f: {}}]\ng: {h: [i], j: {k: [l, {m: n}]}}\n",
		"s: ['1.29', '0x1F', '1.1.0', '10m0s', '08', '1e5', '0b1', '0o7', '1.', v1, /x, _y, 'yes', 'Y', 'a:b', 'a:', 'a@b+c=d', '2024-01-02', '1_0']\n",
		"'1.29': a\n'10': b\nx1: c\n'': d\n",
		// literal block scalars, as customConfiguration renders, and their edges
		"c: \"backend \\\"s3\\\" {\\n  key = \\\"a/b.tfstate\\\" # x\\n}\\n\"\nl: [\"a\\nb\\n\"]\n",
		// plain with spaces (cron schedules) and their edges: a ": ", double
		// or trailing spaces, a leading star, go-yaml folding past column 80
		"schedule: \"0 */6 * * *\"\nl: [\"0 0 * * *\", \"a: b c\", \"a  b\", \"a b \", \"* a\", \"a *\", \"1 2\", \"0x1 2\", \"0b1 1\", \"y s\", \"a :b\", \"a,b c\"]\n" +
			"k: \"" + strings.Repeat("x ", 37) + "y\"\nkk: \"" + strings.Repeat("x ", 38) + "y\"\nkkk: [\"" + strings.Repeat("ab ", 26) + "\"]\n'a b': 1\n",
		"t: [{a: \"x \\ny\\n\"}, {b: \"x\\n\\ny\\n\"}, {c: \" x\\ny\\n\"}, {d: \"---\\n\"}, {e: \"x\\ny\"}, {f: \"x\\n\\n\"}, {g: \"x\\n y\\n\"}, {h: \"#x\\n- y\\n\"}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := yamlx.Parse("fuzz.yaml", data, yamlx.Limits{MaxBytes: 64 << 10, MaxDepth: 16, MaxAliasNodes: 2000})
		if err != nil || len(docs) == 0 {
			return
		}
		value := docs[0].Root.ToAny()
		obj := map[string]any{
			"kind":     "Terraform",
			"metadata": map[string]any{"name": "n", "creationTimestamp": nil},
			"spec":     map[string]any{"vars": value},
			"status":   map[string]any{"ready": true},
		}
		got, gerr := Marshal(obj)
		want, werr := marshalReference(obj)
		// the fast emitter writes what go-yaml writes
		if slow, err := marshal(obj, false); (err == nil) != (gerr == nil) || !bytes.Equal(slow, got) {
			t.Fatalf("emitYAML differs from go-yaml (%v, %v):\n%s\nwant:\n%s", gerr, err, got, slow)
		}
		// sigs.k8s.io/yaml re-parses its JSON text as YAML, in which JSON
		// leaves DEL (U+007F), C1 controls (U+0080–U+009F), U+FEFF, U+FFFE
		// and U+FFFF unescaped: it folds a NEL (U+0085) inside a string
		// into a space and refuses the others.
		// Marshal escapes them (\N, \x80) and reads back the same value.
		// Everything else must be byte for byte what it wrote.
		c1 := strings.ContainsFunc(jsonOf(t, value), func(r rune) bool {
			return r >= 0x7f && r <= 0x9f || r == 0xfeff || r == 0xfffe || r == 0xffff
		})
		// go-yaml's key order is not total; where it is not, its output
		// changed from run to run, and Marshal's does not
		for range 3 {
			if again, _ := Marshal(obj); !bytes.Equal(again, got) {
				t.Fatalf("Marshal is not deterministic:\n%s\nthen:\n%s", got, again)
			}
		}
		// sigs.k8s.io/yaml writes 0o-5 plain, which yamlx (YAML 1.2)
		// reads as a number; Marshal quotes it
		if !c1 && totalKeyOrder(value) && readsBack(t, want, value) {
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("errors differ: %v / %v", gerr, werr)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Marshal differs from sigs.k8s.io/yaml:\n%s\nwant:\n%s", got, want)
			}
		}
		if gerr != nil {
			return
		}
		// what Marshal writes reads back as the same value
		if !readsBack(t, got, value) {
			t.Fatalf("value changed by Marshal:\n%s", got)
		}
	})
}

// readsBack reports whether yamlx reads out's spec.vars as value.
func readsBack(t *testing.T, out []byte, value any) bool {
	back, err := yamlx.Parse("out.yaml", out, yamlx.DefaultLimits)
	if err != nil || len(back) != 1 {
		return false
	}
	vars, _ := back[0].Root.Lookup("spec.vars")
	g, w := jsonOf(t, vars.ToAny()), jsonOf(t, value)
	return g == w || sameNumbers(g, w)
}

// totalKeyOrder reports whether keyLess orders the keys of every mapping
// in v totally (then go-yaml's own sort gave one order every time).
func totalKeyOrder(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if len(x) > 40 {
			return false // too many to check cheaply
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		for _, a := range keys {
			for _, b := range keys {
				for _, c := range keys {
					if a != b && keyLess(a, b) == keyLess(b, a) {
						return false // not antisymmetric
					}
					if keyLess(a, b) && keyLess(b, c) && !keyLess(a, c) {
						return false // not transitive
					}
				}
			}
		}
		for _, e := range x {
			if !totalKeyOrder(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !totalKeyOrder(e) {
				return false
			}
		}
	}
	return true
}

// sameNumbers reports whether two JSON texts hold equal values when
// numbers are compared as numbers (-0 is 0).
func sameNumbers(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEmitYAMLCoversRenderedObjects: the fast emitter writes every
// rendered object, a velero backup schedule such as "0 */6 * * *" (plain
// with spaces) included; were it to leave one to go-yaml, rendering would
// be slower but not wrong.
func TestEmitYAMLCoversRenderedObjects(t *testing.T) {
	t.Parallel()
	all, spaced := 0, 0
	for _, o := range examplesAndFleet(t, 100, 5) {
		for _, obj := range o.Object {
			raw, err := json.Marshal(obj.Object)
			if err != nil {
				t.Fatal(err)
			}
			all++
			if bytes.Contains(raw, []byte(" * *")) {
				spaced++
			}
			if _, ok := jsonToYAML(Header, raw, 0); !ok {
				t.Errorf("%s: the fast emitter left it to go-yaml", obj.Path)
			}
		}
	}
	if spaced == 0 {
		t.Error("no object with a cron schedule: the test no longer shows the fast emitter writes one")
	}
	t.Logf("fast emitter: %d objects, %d with a cron schedule", all, spaced)
}

// BenchmarkMarshal writes the examples' objects: fluxtf's emitter (fast),
// go-yaml's encoder on the same values (goyaml), and the
// sigs.k8s.io/yaml path Marshal replaced (sigs).
func BenchmarkMarshal(b *testing.B) {
	outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: filepath.Join("..", "fixtures", "environments")}, All: true})
	if err != nil {
		b.Fatal(err)
	}
	var objs []any
	for _, o := range outs {
		for _, obj := range o.Object {
			objs = append(objs, obj.Object)
		}
	}
	for _, c := range []struct {
		name string
		f    func(any) ([]byte, error)
	}{
		{"fast", Marshal},
		{"goyaml", func(o any) ([]byte, error) { return marshal(o, false) }},
		{"sigs", marshalReference},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, o := range objs {
					if _, err := c.f(o); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(objs)), "ns/object")
		})
	}
}

// TestResolvesOther: resolvesOther holds exactly the words of go-yaml
// v2's table (resolve.go) that start with a letter or '.', the only ones
// stringStyle asks about (it was a map of them), and no other spelling.
func TestResolvesOther(t *testing.T) {
	t.Parallel()
	words := map[string]bool{
		"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
		"n": true, "N": true, "no": true, "No": true, "NO": true,
		"true": true, "True": true, "TRUE": true, "false": true, "False": true, "FALSE": true,
		"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
		"null": true, "Null": true, "NULL": true,
		".nan": true, ".NaN": true, ".NAN": true, ".inf": true, ".Inf": true, ".INF": true,
	}
	for w := range words {
		if !resolvesOther(w) {
			t.Errorf("resolvesOther(%q) = false", w)
		}
		for _, o := range []string{w + "s", "x" + w, " " + w, strings.ToLower(w[:1]) + strings.ToUpper(w[1:])} {
			if !words[o] && resolvesOther(o) {
				t.Errorf("resolvesOther(%q) = true", o)
			}
		}
	}
	for _, o := range []string{"", "nil", "yES", "tRUE", ".NAn", "inf", "nan"} {
		if resolvesOther(o) {
			t.Errorf("resolvesOther(%q) = true", o)
		}
	}
}

// TestMarshalQuotesYAML12Numbers: go-yaml v2 (and so sigs.k8s.io/yaml)
// writes strings such as 0o-5 and 0o+7 plain, and YAML 1.2 readers
// (go-yaml v3: kustomize, Flux's kustomize-controller; yamlx) read them
// back as integers, so a Terraform variable would change type on the way
// to the cluster. Both of Marshal's paths quote them, as keys and values.
func TestMarshalQuotesYAML12Numbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		value any
		want  string
	}{
		{name: "signed octal", value: "0o+0", want: `v: "0o+0"`},
		{name: "negative octal", value: "0o-5", want: `v: "0o-5"`},
		{name: "underscores", value: "0o+1_0", want: `v: "0o+1_0"`},
		{name: "in a list", value: []any{"0o-7", "x"}, want: `- "0o-7"`},
		{name: "as a key", value: map[string]any{"0o-5": "a"}, want: `"0o-5": a`},
		{name: "octal go-yaml v2 already quotes", value: "0o7", want: `v: "0o7"`},
		{name: "not a number", value: "0o+9", want: "v: 0o+9"},
		{name: "a key before a folded value", value: map[string]any{"0o-5": strings.Repeat("word ", 30) + "end"}, want: `"0o-5": word`},
		{name: "beside a NUL and the marker's @", value: []any{"0o-5", "\x00@", "\x00@@0o-5", "1", "true"}, want: `- "0o-5"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			obj := map[string]any{"kind": "Terraform", "spec": map[string]any{"v": tc.value}}
			fast, err := marshal(obj, true)
			if err != nil {
				t.Fatal(err)
			}
			slow, err := marshal(obj, false)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(fast, slow) {
				t.Fatalf("paths differ:\n%s\nslow:\n%s", fast, slow)
			}
			if !strings.Contains(string(fast), tc.want) {
				t.Fatalf("want %q in:\n%s", tc.want, fast)
			}
			var back map[string]any // as kustomize reads it
			if err := yamlv3.Unmarshal(fast, &back); err != nil {
				t.Fatal(err)
			}
			if g, w := jsonOf(t, back["spec"]), jsonOf(t, obj["spec"]); g != w {
				t.Fatalf("go-yaml v3 reads %s, want %s", g, w)
			}
			docs, err := yamlx.Parse("out.yaml", fast, yamlx.DefaultLimits)
			if err != nil || len(docs) != 1 {
				t.Fatalf("output does not parse: %v", err)
			}
			spec, _ := docs[0].Root.Lookup("spec")
			if g, w := jsonOf(t, spec.ToAny()), jsonOf(t, obj["spec"]); g != w {
				t.Fatalf("yamlx reads %s, want %s", g, w)
			}
		})
	}
}
