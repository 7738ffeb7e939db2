package yamlx

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// fuzzLimits keep each fuzz input cheap while still reaching every limit.
var fuzzLimits = Limits{MaxBytes: 64 << 10, MaxDepth: 16, MaxAliasNodes: 2_000}

const fuzzFile = "fuzz.yaml"

// fuzzSeeds start all three fuzzers; testdata/fuzz/<name>/ holds more.
var fuzzSeeds = []string{
	"",
	"a: 1\n",
	"- x\n- {y: [1, 2.5, true, ~, '3']}\n",
	"a: &a {x: 1}\nb: {<<: *a, y: 2}\nc: *a\n",
	"a: 1\n---\nb: 2\n...\n",
	"name: web\nreplicas: 3\nlabels: {a: b}\nitems: [{a: 1}]\n",
	"a: 1\na: 2\n",
	"[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]\n",
	"a: &a [*a]\n",
	"x: !foo y\n",
	"? [a]\n: b\n",
	"k: \"\\u00e9\\t\"\r\nl: |\n  text\n",
}

// lastLine is the number of the last line of data, counted as go-yaml does.
func lastLine(data []byte) int {
	return posOfOffset("", data, len(data)).Line
}

// checkTree asserts what Parse promises of every tree it returns.
func checkTree(t *testing.T, root *Node, data []byte, lim Limits) {
	t.Helper()
	seen := map[*Node]bool{}
	nodes := 0
	maxLine := lastLine(data)
	walkNodes(root, func(n *Node, depth int) {
		nodes++
		if seen[n] {
			t.Fatalf("node at %s appears twice in the tree", n.Pos)
		}
		seen[n] = true
		if n.Pos.File != fuzzFile || n.Pos.Line < 1 || n.Pos.Line > maxLine || n.Pos.Column < 1 {
			t.Fatalf("bad position %q (file has %d lines)", n.Pos, maxLine)
		}
		switch n.Kind {
		case ScalarNode:
			if len(n.Content) != 0 {
				t.Fatalf("scalar at %s has content", n.Pos)
			}
			switch n.Tag {
			case TagStr, TagInt, TagFloat, TagBool, TagNull, TagTimestamp, TagBinary:
			default:
				t.Fatalf("scalar at %s has tag %q", n.Pos, n.Tag)
			}
		case SequenceNode:
			if n.Tag != TagSeq {
				t.Fatalf("sequence at %s has tag %q", n.Pos, n.Tag)
			}
		case MappingNode:
			if n.Tag != TagMap || len(n.Content)%2 != 0 {
				t.Fatalf("mapping at %s has tag %q and %d children", n.Pos, n.Tag, len(n.Content))
			}
			keys := map[string]bool{}
			for i := 0; i < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != ScalarNode || k.Tag != TagStr {
					t.Fatalf("key at %s is a %s %s", k.Pos, k.Kind, k.Tag)
				}
				if keys[k.Value] {
					t.Fatalf("duplicate key %q at %s", k.Value, k.Pos)
				}
				keys[k.Value] = true
			}
		default:
			t.Fatalf("node at %s has kind %d", n.Pos, n.Kind)
		}
		if n.Kind != ScalarNode && lim.MaxDepth > 0 && depth+1 > lim.MaxDepth {
			t.Fatalf("collection at %s is nested %d deep", n.Pos, depth+1)
		}
	})
	// every value the tree holds is either written in the file or a copy
	// paid for from the alias budget
	if limit := 4*len(data) + 4 + lim.MaxAliasNodes; lim.MaxAliasNodes > 0 && nodes > limit {
		t.Fatalf("%d nodes from %d bytes", nodes, len(data))
	}
	checkPaths(t, root)
}

// checkPaths asserts that Lookup finds every node of a tree by the path
// errors would name it with, when no key holds a "]".
func checkPaths(t *testing.T, root *Node) {
	t.Helper()
	if hasBracketKey(root) {
		return
	}
	var walk func(n *Node, path string)
	walk = func(n *Node, path string) {
		if got, ok := root.Lookup(path); !ok || got != n {
			t.Fatalf("Lookup(%q) does not find the node at %s", path, n.Pos)
		}
		switch n.Kind {
		case MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := joinKey(path, n.Content[i].Value)
				if kp, ok := root.KeyPos(p); !ok || kp != n.Content[i].Pos {
					t.Fatalf("KeyPos(%q) = %s, want %s", p, kp, n.Content[i].Pos)
				}
				walk(n.Content[i+1], p)
			}
		case SequenceNode:
			for i, c := range n.Content {
				walk(c, path+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(root, "")
}

func hasBracketKey(root *Node) bool {
	found := false
	walkNodes(root, func(n *Node, _ int) {
		if n.Kind == MappingNode {
			for i := 0; i < len(n.Content); i += 2 {
				found = found || strings.Contains(n.Content[i].Value, "]")
			}
		}
	})
	return found
}

// checkErrList asserts that err is made of *Error values that say something
// and name the file.
func checkErrList(t *testing.T, err error, data []byte) ErrorList {
	t.Helper()
	l := AsList(err)
	if len(l) == 0 {
		t.Fatalf("error %T holds no *Error: %v", err, err)
	}
	for _, e := range l {
		if e == nil || e.Msg == "" {
			t.Fatalf("empty error in %v", l)
		}
		if e.Pos.File != fuzzFile {
			t.Fatalf("error names file %q: %v", e.Pos.File, e)
		}
		if e.Pos.Line > lastLine(data) {
			t.Fatalf("error at line %d of a %d-line file: %v", e.Pos.Line, lastLine(data), e)
		}
	}
	return l
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Parse(fuzzFile, data, fuzzLimits)
		if err != nil {
			if docs != nil {
				t.Fatal("documents returned with an error")
			}
			checkErrList(t, err, data)
			return
		}
		for i, d := range docs {
			if d.Index != i {
				t.Fatalf("document %d has Index %d", i, d.Index)
			}
			if d.Pos.File != fuzzFile || d.Pos.Line < 1 || d.Pos.Line > lastLine(data) {
				t.Fatalf("document %d at %q", i, d.Pos)
			}
			if d.Root == nil {
				continue
			}
			if d.Root.Pos != d.Pos {
				t.Fatalf("document %d at %s, its root at %s", i, d.Pos, d.Root.Pos)
			}
			checkTree(t, d.Root, data, fuzzLimits)
			_ = d.Root.ToAny()
			var v any
			if err := Decode(d.Root, &v); err != nil {
				checkErrList(t, err, data)
			}
		}
	})
}

type fuzzKey string

type fuzzChild struct {
	Name  string             `json:"name"`
	Value *string            `json:"value"`
	Port  intstr.IntOrString `json:"port"`
	Kids  []*fuzzChild       `json:"kids"`
	Attrs map[string]any     `json:"attrs"`
}

type fuzzEmbedded struct {
	Owner string `json:"owner"`
}

type FuzzEmbeddedPtr struct {
	Team []string `json:"team"`
}

// fuzzTarget has a field of every shape Decode handles.
type fuzzTarget struct {
	metav1.TypeMeta `json:",inline"`
	Metadata        *metav1.ObjectMeta           `json:"metadata"`
	Name            string                       `json:"name"`
	Count           int8                         `json:"count"`
	Replicas        *int32                       `json:"replicas"`
	Size            uint32                       `json:"size"`
	Huge            uint64                       `json:"huge"`
	Ratio           float32                      `json:"ratio"`
	Weight          float64                      `json:"weight"`
	On              *bool                        `json:"on"`
	Tags            []string                     `json:"tags"`
	Labels          map[string]string            `json:"labels"`
	Tiers           map[fuzzKey]*fuzzChild       `json:"tiers"`
	Items           []fuzzChild                  `json:"items"`
	Nested          [][]int                      `json:"nested"`
	Any             any                          `json:"any"`
	AnyMap          map[string]any               `json:"anyMap"`
	Raw             apiextensionsv1.JSON         `json:"raw"`
	RawPtr          *apiextensionsv1.JSON        `json:"rawPtr"`
	Timeout         *metav1.Duration             `json:"timeout"`
	When            metav1.Time                  `json:"when"`
	Qty             resource.Quantity            `json:"qty"`
	Limits          map[string]resource.Quantity `json:"limits"`
	Port            intstr.IntOrString           `json:"port"`
	Bytes           []byte                       `json:"bytes"`
	RawMsg          json.RawMessage              `json:"rawMsg"`
	Text            lowerText                    `json:"text"`
	Arr             [2]int                       `json:"arr"`
	fuzzEmbedded    `json:",inline"`
	*FuzzEmbeddedPtr
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("apiVersion: v1\nkind: X\nmetadata: {name: n, labels: {a: b}}\ncount: 1\nreplicas: 2\nsize: 3\nratio: 0.5\non: true\n" +
		"tags: [a]\ntiers: {dev: {name: x, port: 80, kids: [{name: y}]}}\nitems: [{value: v, attrs: {k: [1]}}]\nnested: [[1]]\n" +
		"any: {a: 1}\nraw: {b: [2]}\ntimeout: 1m\nwhen: 2024-01-02T03:04:05Z\nqty: 1Gi\nlimits: {cpu: 500m}\nport: http\n" +
		"rawMsg: [1]\ntext: abc\nowner: me\nteam: [t]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Parse(fuzzFile, data, fuzzLimits)
		if err != nil {
			return
		}
		for _, d := range docs {
			var v fuzzTarget
			err := Decode(d.Root, &v)
			if err == nil {
				continue
			}
			l := checkErrList(t, err, data)
			if len(l) > maxErrors {
				t.Fatalf("%d errors", len(l))
			}
			if !hasBracketKey(d.Root) {
				for _, e := range l {
					n, ok := d.Root.Lookup(e.Path)
					kp, kok := d.Root.KeyPos(e.Path)
					if !ok || !kok || (n.Pos != e.Pos && kp != e.Pos) {
						t.Fatalf("path %q of %q leads to %s / key %s, not %s", e.Path, e.Msg, n.Pos, kp, e.Pos)
					}
				}
			}
		}
	})
}

// mergeModel is Merge on plain values: what the result must print as.
func mergeModel(base, overlay any) any {
	bm, bok := base.(map[string]any)
	om, ook := overlay.(map[string]any)
	if !bok || !ook {
		return overlay
	}
	out := make(map[string]any, len(bm)+len(om))
	for k, v := range bm {
		out[k] = v
	}
	for k, v := range om {
		if bv, ok := bm[k]; ok {
			out[k] = mergeModel(bv, v)
		} else {
			out[k] = v
		}
	}
	return out
}

func firstRoot(data []byte) (*Node, bool) {
	docs, err := Parse(fuzzFile, data, fuzzLimits)
	if err != nil {
		return nil, false
	}
	if len(docs) == 0 {
		return nil, true
	}
	return docs[0].Root, true
}

func FuzzMerge(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add([]byte(s), []byte(fuzzSeeds[(i+3)%len(fuzzSeeds)]))
	}
	f.Add([]byte("a: {b: 1, c: [1]}\nd: x\n"), []byte("a: {b: ~, c: [2], e: {f: 1}}\ng: y\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		base, ok := firstRoot(a)
		if !ok {
			return
		}
		overlay, ok := firstRoot(b)
		if !ok {
			return
		}
		before := dump(base) + dump(overlay)
		m := Merge(base, overlay)
		if after := dump(base) + dump(overlay); after != before {
			t.Fatal("Merge changed its inputs")
		}
		if Merge(base, nil) != base || Merge(nil, overlay) != overlay {
			t.Fatal("Merge with nil is not the identity")
		}
		if overlay == nil {
			return
		}
		if !reflect.DeepEqual(m.ToAny(), mergeModel(base.ToAny(), overlay.ToAny())) {
			t.Fatalf("Merge gives %v, want %v", m.ToAny(), mergeModel(base.ToAny(), overlay.ToAny()))
		}
		if !reflect.DeepEqual(Merge(base, base).ToAny(), base.ToAny()) {
			t.Fatal("Merge(a, a) differs from a")
		}
		if base == nil || base.Kind != MappingNode || overlay.Kind != MappingNode {
			if m != overlay {
				t.Fatal("Merge onto a non-mapping does not return the overlay")
			}
			return
		}
		// keys: the union, the base's first, in document order
		want := base.Keys()
		for _, k := range overlay.Keys() {
			if !slices.Contains(want, k) {
				want = append(want, k)
			}
		}
		if got := m.Keys(); !slices.Equal(got, want) {
			t.Fatalf("keys %q, want %q", got, want)
		}
		if m.Pos != overlay.Pos {
			t.Fatalf("merged mapping at %s, want %s", m.Pos, overlay.Pos)
		}
		for _, k := range want {
			bv, ov := base.Get(k), overlay.Get(k)
			switch got := m.Get(k); {
			case ov == nil:
				if got != bv {
					t.Fatalf("%q: base value not passed through", k)
				}
			case bv == nil || bv.Kind != MappingNode || ov.Kind != MappingNode:
				if got != ov {
					t.Fatalf("%q: overlay value not passed through", k)
				}
			}
		}
	})
}
