package yamlx

import (
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"unsafe"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/racedetect"
)

// TestParseOwnedIsParseWith: ParseOwned gives the trees ParseWith gives,
// on the repository's rendered and shipped YAML and on generated texts
// (fast path or not), and on the fast path their strings are views of the bytes given,
// not a copy.
func TestParseOwnedIsParseWith(t *testing.T) {
	t.Parallel()
	var texts [][]byte
	for _, f := range repoYAML(t, "fixtures/clusters", "fixtures/environments", "templates") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, data)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		texts = append(texts, genYAML(func() int { return int(rng.Uint32() >> 1) }))
	}
	shared := 0
	for _, data := range texts {
		want, wantErr := ParseWith("f.yaml", data, fuzzLimits, nil)
		own := append([]byte(nil), data...)
		got, gotErr := ParseOwned("f.yaml", own, fuzzLimits, nil)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
			t.Fatalf("ParseOwned differs from ParseWith for %q: %v, %v\ngot:\n%swant:\n%s", data, gotErr, wantErr, dumpDocs(got), dumpDocs(want))
		}
		start, end := uintptr(unsafe.Pointer(unsafe.SliceData(own))), uintptr(unsafe.Pointer(unsafe.SliceData(own)))+uintptr(len(own))
		for _, d := range got {
			walkNodes(d.Root, func(n *Node, _ int) {
				if n.Kind != ScalarNode || n.Value == "" {
					return
				}
				p := uintptr(unsafe.Pointer(unsafe.StringData(n.Value)))
				if p >= start && p < end {
					shared++
				}
			})
		}
	}
	if shared == 0 && fastpath.Enabled(fastpath.YAML) { // go-yaml (FLUXTF_SLOW) copies
		t.Error("no plain scalar of ParseOwned's trees is a view of the bytes given")
	}
}

// TestParseOwnedCopiesNothing: ParseOwned of a rendered file takes one
// allocation fewer than ParseWith (the copy of the file's text), on the
// fast path (go-yaml, under FLUXTF_SLOW, copies it either way).
func TestParseOwnedCopiesNothing(t *testing.T) {
	data, err := os.ReadFile(repoYAML(t, "fixtures/clusters")[0])
	if err != nil {
		t.Fatal(err)
	}
	a := new(Arena)
	allocs := func(parse func(string, []byte, Limits, *Arena) ([]Document, error)) float64 {
		return testing.AllocsPerRun(20, func() {
			a.Reset()
			if _, err := parse("f.yaml", data, DefaultLimits, a); err != nil {
				t.Fatal(err)
			}
		})
	}
	if with, owned := allocs(ParseWith), allocs(ParseOwned); owned > with-1 && !racedetect.Enabled && fastpath.Enabled(fastpath.YAML) {
		t.Errorf("ParseOwned took %v allocations, ParseWith %v; want one fewer at least", owned, with)
	}
}
