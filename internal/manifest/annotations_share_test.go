package manifest

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
)

// TestAnnotationsForIsShared: annotationsFor gives annotationsOf's map,
// the first map of those pairs that the Load met (shared between the
// documents), and makes nothing for pairs met before when they are
// plain strings under keys in order, as rendered.
func TestAnnotationsForIsShared(t *testing.T) {
	docs := []string{
		"metadata:\n  annotations:\n    a: x\n    b: y\n",
		"metadata:\n  annotations:\n    b: y\n    a: x\n", // the same pairs, out of order
		"metadata:\n  annotations:\n    a: x\n    b: \"y\"\n",
		"metadata:\n  annotations:\n    a: x\n    n: 1\n    t: 2001-12-14\n", // not strings
		"metadata:\n  annotations:\n    a: x\n    n: 1\n    t: 2001-12-14\n",
		"metadata:\n  annotations: {}\n",
		"metadata:\n  annotations: []\n",
		"metadata:\n  name: x\n",
		"metadata:\n  annotations:\n    a: \"x\\u0000b\"\n", // a NUL in a value
		"metadata:\n  annotations:\n    a: x\n    b: y\n",
	}
	l := newLoader(Options{})
	var roots []*yamlx.Node
	seen := map[string]map[string]string{}
	for _, src := range docs {
		parsed, err := yamlx.Parse("f.yaml", []byte(src), yamlx.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		root := parsed[0].Root
		roots = append(roots, root)
		want := annotationsOf(root)
		got := l.annotationsFor(root)
		if !maps.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("annotationsFor of %q = %v, want %v", src, got, want)
		}
		if first, ok := seen[fmtPairs(want)]; ok && want != nil && reflect.ValueOf(first).Pointer() != reflect.ValueOf(got).Pointer() {
			t.Errorf("annotationsFor of %q is a new map, not the first of its pairs", src)
		} else if !ok {
			seen[fmtPairs(want)] = got
		}
	}
	if n := testing.AllocsPerRun(50, func() { l.annotationsFor(roots[0]) }); n != 0 {
		t.Errorf("annotationsFor of annotations met before took %v allocations, want 0", n)
	}
}

func fmtPairs(m map[string]string) string {
	s := ""
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s += k + "\x00" + m[k] + "\x00"
	}
	return s
}
