package generator

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/digx/fluxtf/bench/fleet"
)

// TestDeterministicAcrossGOMAXPROCS renders the examples and a synthetic
// fleet in memory and to disk with one and with eight Ps, and compares
// every byte (and the examples with their golden output). Rendering runs
// environments and file writes on several goroutines; neither may change
// what is written. Not parallel: it sets GOMAXPROCS for the process (the
// parallel tests are paused while it runs). `go test -race` runs it too.
func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	fleetSpecs := filepath.Join(t.TempDir(), "environments")
	if err := fleet.Write(fleetSpecs, 40, 11); err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, specs := range []string{fixtureSpecs(t), fleetSpecs} {
		var trees []map[string][]byte
		for _, procs := range []int{1, 8} {
			runtime.GOMAXPROCS(procs)
			opts := Options{LoadOptions: LoadOptions{SpecsDir: specs}, All: true, OutDir: filepath.Join(t.TempDir(), "clusters")}
			outs, err := Build(opts)
			if err != nil {
				t.Fatal(err)
			}
			mem := map[string][]byte{}
			for _, o := range outs {
				for _, f := range o.Files {
					mem[f.Path] = f.Data
				}
			}
			if _, err := Render(opts); err != nil {
				t.Fatal(err)
			}
			// again, into the rendered tree (scanned on several goroutines)
			res, err := Render(opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Drift() || res.Count(Unchanged) != len(mem) {
				t.Errorf("GOMAXPROCS=%d: a second render changed %d of %d files", procs, len(res.Changes)-res.Count(Unchanged), len(mem))
			}
			disk := readFiles(t, opts.OutDir)
			sameFiles(t, "in memory", mem, "on disk", disk)
			trees = append(trees, disk)
		}
		sameFiles(t, "GOMAXPROCS=1", trees[0], "GOMAXPROCS=8", trees[1])
		if specs == fixtureSpecs(t) {
			sameFiles(t, "rendered", trees[0], "golden", readFiles(t, filepath.Join(filepath.Dir(specs), "clusters")))
		}
	}
}

// readFiles reads every file under dir by slash path.
func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	must(t, err)
	return files
}

func sameFiles(t *testing.T, aName string, a map[string][]byte, bName string, b map[string][]byte) {
	t.Helper()
	for p, data := range a {
		if other, ok := b[p]; !ok {
			t.Errorf("%s: %s has it, %s does not", p, aName, bName)
		} else if !bytes.Equal(data, other) {
			t.Errorf("%s differs between %s and %s", p, aName, bName)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			t.Errorf("%s: %s has it, %s does not", p, bName, aName)
		}
	}
	if len(a) == 0 {
		t.Errorf("%s has no files", aName)
	}
}
