package yamlx

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func parseAs(t testing.TB, file, src string) *Node {
	t.Helper()
	if src == "" {
		return nil
	}
	docs, err := Parse(file, []byte(src), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	return docs[0].Root
}

func TestMerge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		base     string // "" for a nil tree
		overlay  string
		want     string // YAML of the expected result, "" for nil
		wantKeys []string
		files    map[string]string // path -> file the value must come from
	}{
		{name: "maps merge, new keys last",
			base:     "a: 1\nb: {c: 2, d: 3}\n",
			overlay:  "b: {d: 4, e: 5}\nf: 6\n",
			want:     "{a: 1, b: {c: 2, d: 4, e: 5}, f: 6}",
			wantKeys: []string{"a", "b", "f"},
			files:    map[string]string{"a": "base.yaml", "b.c": "base.yaml", "b.d": "overlay.yaml", "b.e": "overlay.yaml", "f": "overlay.yaml"}},
		{name: "lists replace",
			base: "l: [1, 2, 3]\n", overlay: "l: [9]\n", want: "{l: [9]}",
			files: map[string]string{"l": "overlay.yaml", "l[0]": "overlay.yaml"}},
		{name: "empty list replaces",
			base: "l: [1]\n", overlay: "l: []\n", want: "{l: []}"},
		{name: "scalars override",
			base: "a: 1\nb: x\n", overlay: "a: two\n", want: "{a: two, b: x}",
			files: map[string]string{"a": "overlay.yaml", "b": "base.yaml"}},
		{name: "null overrides",
			base: "a: {x: 1}\n", overlay: "a: ~\n", want: "{a: null}",
			files: map[string]string{"a": "overlay.yaml"}},
		{name: "mapping replaces a list",
			base: "a: [1]\n", overlay: "a: {x: 1}\n", want: "{a: {x: 1}}"},
		{name: "list replaces a mapping",
			base: "a: {x: 1}\n", overlay: "a: [1]\n", want: "{a: [1]}"},
		{name: "scalar replaces a mapping",
			base: "a: {x: 1}\n", overlay: "a: 0\n", want: "{a: 0}"},
		{name: "mapping replaces a scalar",
			base: "a: 0\n", overlay: "a: {x: 1}\n", want: "{a: {x: 1}}"},
		{name: "deep",
			base:    "a: {b: {c: {d: 1, e: 2}}}\n",
			overlay: "a: {b: {c: {e: 3, f: 4}, g: 5}}\n",
			want:    "{a: {b: {c: {d: 1, e: 3, f: 4}, g: 5}}}",
			files:   map[string]string{"a.b.c.d": "base.yaml", "a.b.c.e": "overlay.yaml"}},
		{name: "empty overlay mapping",
			base: "a: 1\n", overlay: "{}\n", want: "{a: 1}", wantKeys: []string{"a"}},
		{name: "empty base mapping",
			base: "{}\n", overlay: "a: 1\n", want: "{a: 1}", wantKeys: []string{"a"}},
		{name: "top-level scalar overlay",
			base: "a: 1\n", overlay: "x\n", want: "x"},
		{name: "top-level list base",
			base: "[1]\n", overlay: "a: 1\n", want: "{a: 1}"},
		{name: "nil overlay",
			base: "a: 1\n", overlay: "", want: "{a: 1}"},
		{name: "nil base",
			base: "", overlay: "a: 1\n", want: "{a: 1}"},
		{name: "both nil",
			base: "", overlay: "", want: ""},
		{name: "keys that need brackets",
			base:    "labels: {fluxtf.io/tier: dev, a: b}\n",
			overlay: "labels: {fluxtf.io/tier: prod}\n",
			want:    "{labels: {fluxtf.io/tier: prod, a: b}}",
			files:   map[string]string{"labels[fluxtf.io/tier]": "overlay.yaml", "labels[a]": "base.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := parseAs(t, "base.yaml", tt.base)
			overlay := parseAs(t, "overlay.yaml", tt.overlay)
			before := dump(base) + dump(overlay)
			got := Merge(base, overlay)
			if after := dump(base) + dump(overlay); after != before {
				t.Errorf("inputs changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			want := parseAs(t, "want.yaml", tt.want)
			if !reflect.DeepEqual(got.ToAny(), want.ToAny()) {
				t.Errorf("got %v, want %v", got.ToAny(), want.ToAny())
			}
			if (got == nil) != (want == nil) {
				t.Errorf("got %v, want %v", got, want)
			}
			if tt.wantKeys != nil && !reflect.DeepEqual(got.Keys(), tt.wantKeys) {
				t.Errorf("keys %q, want %q", got.Keys(), tt.wantKeys)
			}
			for path, file := range tt.files {
				n, ok := got.Lookup(path)
				if !ok {
					t.Errorf("%s missing", path)
					continue
				}
				if n.Pos.File != file {
					t.Errorf("%s comes from %s, want %s", path, n.Pos.File, file)
				}
				if kp, _ := got.KeyPos(path); !strings.HasPrefix(kp.String(), file) && strings.Contains(path, ".") {
					t.Errorf("key of %s comes from %s, want %s", path, kp, file)
				}
			}
		})
	}
}

func TestMergeIdentity(t *testing.T) {
	t.Parallel()
	base := parseAs(t, "base.yaml", "a: {b: 1}\nc: [1]\n")
	overlay := parseAs(t, "overlay.yaml", "a: {d: 2}\ne: x\n")
	if Merge(base, nil) != base {
		t.Error("Merge(a, nil) is not a")
	}
	if Merge(nil, overlay) != overlay {
		t.Error("Merge(nil, b) is not b")
	}
	m := Merge(base, overlay)
	if m == base || m == overlay {
		t.Error("Merge of two mappings returned an input")
	}
	if m.Pos != overlay.Pos {
		t.Errorf("merged mapping at %s, want the overlay's %s", m.Pos, overlay.Pos)
	}
	if m.Get("c") != base.Get("c") || m.Get("e") != overlay.Get("e") {
		t.Error("values only one side has are not passed through")
	}
	// the result is new where it differs: changing it leaves inputs alone
	m.Get("a").Content = append(m.Get("a").Content[:0], &Node{Kind: ScalarNode, Value: "z"})
	if got := fmt.Sprint(base.ToAny(), overlay.ToAny()); got != "map[a:map[b:1] c:[1]] map[a:map[d:2] e:x]" {
		t.Errorf("inputs changed through the result: %s", got)
	}
}

// TestMergeLarge guards against quadratic key matching: 100,000 keys on
// each side took minutes that way (the test's timeout would stop it; no
// clock is asserted here).
func TestMergeLarge(t *testing.T) {
	t.Parallel()
	const n = 100_000
	mk := func(file string, from int) *Node {
		m := &Node{Kind: MappingNode, Tag: TagMap, Pos: Pos{File: file, Line: 1, Column: 1}}
		for i := from; i < from+n; i++ {
			m.Content = append(m.Content,
				&Node{Kind: ScalarNode, Tag: TagStr, Value: fmt.Sprintf("k%d", i)},
				&Node{Kind: ScalarNode, Tag: TagStr, Value: file})
		}
		return m
	}
	base, overlay := mk("base", 0), mk("overlay", n/2)
	start := time.Now()
	m := Merge(base, overlay)
	t.Logf("merged in %v", time.Since(start))
	if got := len(m.Keys()); got != n+n/2 {
		t.Errorf("%d keys, want %d", got, n+n/2)
	}
	if m.Get("k0").Value != "base" || m.Get(fmt.Sprintf("k%d", n)).Value != "overlay" || m.Get(fmt.Sprintf("k%d", n+n/2-1)).Value != "overlay" {
		t.Error("wrong values")
	}
}
