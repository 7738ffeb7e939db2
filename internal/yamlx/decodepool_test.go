package yamlx

import (
	"testing"

	"github.com/digx/fluxtf/internal/racedetect"
)

// TestDecodeAllocatesNothingOfItsOwn: decoding strings into a struct
// allocates nothing (the decoder and its path are used again), and a
// decoder used before reports its own errors only.
func TestDecodeAllocatesNothingOfItsOwn(t *testing.T) {
	root := mustParse(t, "name: a\nspec:\n  path: ./x\n")
	var out struct {
		Name string `json:"name"`
		Spec struct {
			Path string `json:"path"`
		} `json:"spec"`
	}
	if n := testing.AllocsPerRun(100, func() {
		if err := Decode(root, &out); err != nil {
			t.Fatal(err)
		}
	}); n != 0 && !racedetect.Enabled {
		t.Errorf("Decode took %v allocations, want 0", n)
	}
	bad := mustParse(t, "name: a\nspec:\n  pth: ./x\n")
	for range 3 {
		err := Decode(bad, &out)
		if l := AsList(err); len(l) != 1 || l[0].Path != "spec.pth" {
			t.Fatalf("Decode of an unknown field: %v, want one error at spec.pth", err)
		}
		if err := Decode(root, &out); err != nil {
			t.Fatalf("Decode after an error: %v", err)
		}
	}
}
