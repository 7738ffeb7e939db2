package yamlx

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/digx/fluxtf/internal/racedetect"
)

// checkTreeJSON fails when treeJSON shortcuts a node of root to anything
// but what Decode otherwise gives a json.Unmarshaler: json.Marshal of
// anyValue, when anyValue reports nothing. It returns the shortcuts taken.
func checkTreeJSON(t *testing.T, root *Node) (shortcuts int) {
	t.Helper()
	walkNodes(root, func(n *Node, _ int) {
		raw, ok := treeJSON(n)
		if !ok {
			return
		}
		shortcuts++
		d := &decoder{}
		x, vok := d.anyValue(n)
		if !vok || len(d.errs) > 0 {
			t.Fatalf("%s: shortcut %s for a value anyValue refuses: %v", n.Pos, raw, d.errs)
		}
		want, err := json.Marshal(x)
		if err != nil {
			t.Fatalf("%s: shortcut %s for a value json.Marshal refuses: %v", n.Pos, raw, err)
		}
		if string(raw) != string(want) {
			t.Fatalf("%s: treeJSON = %s, json.Marshal(anyValue) = %s", n.Pos, raw, want)
		}
	})
	return shortcuts
}

// TestTreeJSONIsMarshal holds Decode's shortcut for json.Unmarshaler
// fields given a list or a mapping (a Terraform variable's value) to
// what it stands for, and checks that it is taken where it should be.
func TestTreeJSONIsMarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		yaml  string
		taken bool // the root is shortcut
	}{
		{"node_groups:\n  system: {ami_type: BOTTLEROCKET_x86_64, desired_size: 2, instance_types: [m6i.xlarge], spot: false}\n", true},
		{"- coredns\n- kube-proxy\n- 0x1F\n- 017\n- 1_000\n- -12\n- ~\n- null\n- True\n- 'yes'\n", true},
		{"[]\n", true},
		{"{}\n", true},
		{"a: [[], {}, [[1]]]\n", true},
		{"a: 1.5\nb: 1e3\nc: 1e-7\nd: 2.0\ne: -0.0\nf: 1e21\n", true},
		{"a: <b>\nb: a&b\nc: 'q\"x'\nd: 'back\\slash'\ne: \"tab\\there\"\nf: \"caf\\u00e9\"\ng: \"\\u2028\"\nh: \"nl\\n\"\n", true},
		{"'<k>': v\n\"k\\u00e9\": v\n", true}, // keys escaped
		{"\"k\\u00e9\": v\n'<k>': v\n", false},
		{"bin: !!binary aGk=\nwhen: 2024-01-02T03:04:05Z\n", true},
		{"9223372036854775808: x\n", true},
		{"a: 9223372036854775808\n", false}, // beyond int64: a float, as encoding/json reads it
		{"a: .inf\n", false},
		{"a: .nan\n", false},
		{"a: !!bool yes\n", false},
		{"a: !!int abc\n", false},
		{"b: 1\na: 2\n", false}, // unsorted
		{"a: &x {k: 1}\nb: *x\n", true},
		{"a: 1\n", true},
	}
	for _, tt := range tests {
		docs, err := Parse("t.yaml", []byte(tt.yaml), DefaultLimits)
		if err != nil {
			t.Fatalf("%q: %v", tt.yaml, err)
		}
		root := docs[0].Root
		checkTreeJSON(t, root)
		if _, ok := treeJSON(root); ok != tt.taken {
			t.Errorf("%q: shortcut taken %v, want %v", tt.yaml, ok, tt.taken)
		}
	}
	for _, n := range []*Node{{Kind: ScalarNode, Tag: TagStr, Value: "x"}, {Kind: ScalarNode, Tag: TagNull}} {
		if _, ok := treeJSON(n); ok {
			t.Errorf("treeJSON took a scalar %q", n.Value)
		}
	}
}

// FuzzTreeJSON: whatever treeJSON shortcuts is json.Marshal of anyValue.
func FuzzTreeJSON(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("vars:\n- name: tags\n  value: {Environment: d001, ManagedBy: fluxtf, n: 2, f: 0.5, b: true, z: ~, l: [a, 'x<y', \"\\u00e9\"]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := Parse(fuzzFile, data, fuzzLimits)
		if err != nil {
			return
		}
		for _, d := range docs {
			checkTreeJSON(t, d.Root)
		}
	})
}

// TestDecodeJSONValuesAllocateOnlyTheirCopy: a json.Unmarshaler given a
// scalar or a list or mapping (Terraform variables' values) costs Decode
// only what the value keeps (its copy of the JSON): the JSON is written
// from the tree into room the decoder uses again, not built through maps
// and encoding/json and allocated for each value.
func TestDecodeJSONValuesAllocateOnlyTheirCopy(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("vars:\n")
	const vars = 20
	for i := range vars {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&doc, "- value: v%d\n", i)
		case 1:
			fmt.Fprintf(&doc, "- value: %d\n", i)
		case 2:
			fmt.Fprintf(&doc, "- value: [a, %d, true]\n", i)
		default:
			fmt.Fprintf(&doc, "- value: {desired_size: %d, instance_types: [m6i.xlarge], name: x}\n", i)
		}
	}
	docs, err := Parse("t.yaml", []byte(doc.String()), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	type variable struct {
		Value apiextensionsv1.JSON `json:"value"`
	}
	var v struct {
		Vars []variable `json:"vars"`
	}
	allocs := testing.AllocsPerRun(20, func() {
		v.Vars = nil
		if err := Decode(docs[0].Root, &v); err != nil {
			t.Fatal(err)
		}
	})
	// the slice, the decoder's room for JSON (when the pool made a new
	// decoder), and each value's copy of its JSON
	if want := float64(2 + vars); allocs > want && !racedetect.Enabled {
		t.Errorf("Decode allocated %.0f times, want at most %.0f", allocs, want)
	}
	if got := string(v.Vars[3].Value.Raw); got != `{"desired_size":3,"instance_types":["m6i.xlarge"],"name":"x"}` {
		t.Errorf("vars[3] = %s", got)
	}
}
