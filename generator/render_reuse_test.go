package generator

import (
	"slices"
	"testing"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
)

// TestBuildOneReusesTerraforms: with a tfReuse of its worker (Build
// with FilesOnly or SumsOnly), buildOne renders each environment into the
// Terraform objects of the one before, not new ones, and writes the same
// files as with new objects, whichever environment came before.
func TestBuildOneReusesTerraforms(t *testing.T) {
	opts := LoadOptions{SpecsDir: fixtureSpecs(t)}
	names, err := ListEnvironments(opts.SpecsDir)
	if err != nil {
		t.Fatal(err)
	}
	sums := func(o *Output) map[string][32]byte {
		m := map[string][32]byte{}
		for _, f := range o.Files {
			m[f.Path] = f.Sum
		}
		return m
	}
	fresh := map[string]map[string][32]byte{}
	for _, n := range names {
		o, err := buildOne(opts, n, &memo{}, true, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		fresh[n] = sums(o)
	}
	backwards := slices.Clone(names)
	slices.Reverse(backwards)
	ts := &tfReuse{}
	for _, order := range [][]string{names, backwards} {
		for _, n := range order {
			o, err := buildOne(opts, n, &memo{}, true, nil, ts)
			if err != nil {
				t.Fatal(err)
			}
			got := sums(o)
			if len(got) != len(fresh[n]) {
				t.Fatalf("%s: %d files, %d with new objects", n, len(got), len(fresh[n]))
			}
			for p, s := range got {
				if fresh[n][p] != s {
					t.Errorf("%s differs when its Terraforms are reused", p)
				}
			}
			for _, obj := range o.Object {
				if tf, ok := obj.Object.(*infrav1.Terraform); ok && !owns(ts, tf) {
					t.Errorf("%s: a new Terraform, not one of the worker's", obj.Path)
				}
			}
		}
	}
	// one more Terraform object per environment than its fixtures' most
	// would mean the worker's are not reused
	most := 0
	for _, n := range names {
		o, _ := buildOne(opts, n, &memo{}, true, nil, ts)
		most = max(most, len(o.Object))
	}
	if len(ts.objs) > most {
		t.Errorf("the worker made %d Terraforms for environments of at most %d objects", len(ts.objs), most)
	}
}

func owns(ts *tfReuse, tf *infrav1.Terraform) bool {
	for _, o := range ts.objs {
		if o == tf {
			return true
		}
	}
	return false
}
