package yamlx

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/fastpath"
)

// TestArena parses, in one arena reset in between, a document too large
// for the blocks an arena keeps, then small ones, and holds every tree to
// Parse's; a tree parsed after Abandon is left alone by later parses.
// Under FLUXTF_SLOW the arena must stay unused (go-yaml parses).
func TestArena(t *testing.T) {
	t.Parallel()
	var big strings.Builder
	big.WriteString("items:\n")
	for i := range 3 * arenaKeep / 4 { // about 4 nodes per entry
		fmt.Fprintf(&big, "- name: n%d\n  value: %d\n", i, i)
	}
	small := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n  list: [a, 'b', 1]\n  empty: {}\n"
	var a Arena
	for _, in := range []string{small, big.String(), small, "a: 1\n---\nb: [x]\n", big.String(), small} {
		a.Reset()
		want, err := Parse("f.yaml", []byte(in), DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseWith("f.yaml", []byte(in), DefaultLimits, &a)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseWith(%.40q) = %v, differs from Parse", in, err)
		}
		kept := 0
		for _, b := range a.nodes {
			kept += len(b.buf)
		}
		if !fastpath.Enabled(fastpath.YAML) {
			// FLUXTF_SLOW: go-yaml parses, and the arena is left alone
			if kept != 0 {
				t.Fatalf("ParseWith(%.40q) took %d nodes from the arena under %s", in, kept, fastpath.EnvVar)
			}
			continue
		}
		if kept == 0 {
			t.Fatalf("ParseWith(%.40q) took no nodes from the arena (not the fast path?)", in)
		}
		if in == small && kept > arenaKeep+arenaBlockSize {
			t.Errorf("after a reset the arena keeps %d nodes, more than %d", kept, arenaKeep+arenaBlockSize)
		}
	}
	// Abandon: the tree stays as it is while the arena is used again
	kept, err := ParseWith("f.yaml", []byte(small), DefaultLimits, &a)
	if err != nil {
		t.Fatal(err)
	}
	want := dumpDocs(kept)
	a.Abandon()
	for range 3 {
		if _, err := ParseWith("g.yaml", []byte(big.String()), DefaultLimits, &a); err != nil {
			t.Fatal(err)
		}
		a.Reset()
	}
	if got := dumpDocs(kept); got != want {
		t.Fatalf("a tree parsed before Abandon changed:\n%s\nwant:\n%s", got, want)
	}
}
