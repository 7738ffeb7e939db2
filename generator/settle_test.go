package generator

import (
	"crypto/sha256"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/racedetect"
)

// TestRenderSettles: a render holds the content of only the files it
// changes: a file already on disk as it renders keeps only its sum
// (settle) and each Output drops its environment; a settled file that
// changes before Sync locks the output root is not trusted (Sync asks for
// the content, and Render renders again), so the result does not depend
// on what happens in between.
func TestRenderSettles(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	opts := Options{LoadOptions: LoadOptions{SpecsDir: fixtureSpecs(t)}, OutDir: out, All: true}
	if _, err := Render(opts); err != nil {
		t.Fatal(err)
	}
	edit := func(rel string) []byte {
		t.Helper()
		p := filepath.Join(out, filepath.FromSlash(rel))
		orig, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append(append([]byte(nil), orig...), "# edited\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		return orig
	}
	const edited, later = "uat/kustomization.yaml", "prod/kustomization.yaml"
	want := map[string][]byte{edited: edit(edited)}

	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	settled := opts
	settled.FilesOnly, settled.settled = true, root
	outs, err := Build(settled)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	found := false
	for _, o := range outs {
		if o.Env != nil {
			t.Errorf("%s: the environment is kept", o.Files[0].Path)
		}
		for _, f := range o.Files {
			found = found || f.Path == later
			if f.Data != nil {
				kept = append(kept, f.Path)
			}
		}
	}
	if !found {
		t.Fatalf("no %s in the rendered fixtures", later)
	}
	if !reflect.DeepEqual(kept, []string{edited}) {
		t.Fatalf("files kept with their content = %v, want only the edited %s", kept, edited)
	}

	// a settled file edited after settle: Sync does not trust it
	want[later] = edit(later)
	if _, err := Sync(out, outs, true, true); !errors.Is(err, ErrNeedContent) {
		t.Fatalf("Sync after a settled file changed: error %v, want ErrNeedContent", err)
	}
	res, err := Render(opts)
	if err != nil {
		t.Fatal(err)
	}
	if n := res.Count(Update); n != 2 {
		t.Errorf("render updated %d files, want 2 (%s, %s)", n, edited, later)
	}
	for rel, data := range want {
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(data) {
			t.Errorf("%s after the render differs from what renders there", rel)
		}
	}
}

// TestSettleKeepsWhatDiffers: settle drops the content of the files on
// disk as rendered, folder by folder, and keeps it for every other: a
// file of the same size and other bytes, a longer or shorter one, a
// symbolic link to the same content, a missing file or folder.
func TestSettleKeepsWhatDiffers(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	body := []byte(Header + "kind: X\n")
	other := []byte(Header + "kind: Y\n")
	write := outWriter(t, out)
	write("e/same.yaml", body)
	write("e/t/same.yaml", body)
	write("e/t/other.yaml", other)
	write("e/t/longer.yaml", append(append([]byte(nil), body...), '#'))
	write("e/t/shorter.yaml", body[:len(body)-1])
	write("e/u/same.yaml", body)
	if err := os.Symlink("same.yaml", filepath.Join(out, "e", "t", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	var files []File
	for _, p := range []string{"e/same.yaml", "e/t/link.yaml", "e/t/longer.yaml", "e/t/missing.yaml", "e/t/other.yaml", "e/t/same.yaml", "e/t/shorter.yaml", "e/u/same.yaml", "e/v/same.yaml"} {
		files = append(files, File{Path: p, Data: body})
	}
	sr := newSettleRoot(root)
	defer sr.close()
	settle(sr, files)
	settled := map[string]bool{"e/same.yaml": true, "e/t/same.yaml": true, "e/u/same.yaml": true}
	for _, f := range files {
		if got := f.Data == nil; got != settled[f.Path] {
			t.Errorf("%s: settled %v, want %v", f.Path, got, settled[f.Path])
		}
		if settled[f.Path] && (f.onDisk == nil || f.Sum != sha256.Sum256(body)) {
			t.Errorf("%s: settled without its sum and file", f.Path)
		}
	}
}

// TestBuildSettledCopiesNothing: a render into an up-to-date output root
// compares each file with the disk straight from the emitter's buffer
// (buildOne's settler) and keeps no copy of the content of a file already
// there: Build with a settled root allocates less, by about the size of
// the files, than Build without one.
func TestBuildSettledCopiesNothing(t *testing.T) {
	out := t.TempDir()
	opts := Options{LoadOptions: LoadOptions{SpecsDir: fixtureSpecs(t)}, OutDir: out, All: true, FilesOnly: true}
	if _, err := Render(opts); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	var size uint64
	allocated := func(o Options) uint64 {
		t.Helper()
		least := uint64(math.MaxUint64)
		for range 5 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			outs, err := Build(o)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			least = min(least, after.TotalAlloc-before.TotalAlloc)
			for _, o := range outs {
				for _, f := range o.Files {
					if o.Env != nil {
						size += uint64(len(f.Data))
					} else if f.Data != nil {
						t.Errorf("%s: kept its content although on disk as it renders", f.Path)
					}
				}
			}
		}
		return least
	}
	plain := allocated(opts)
	size /= 5
	settled := opts
	settled.settled = root
	// (the race detector drops sync.Pool entries and changes allocations;
	// FLUXTF_SLOW's go-yaml route allocates its own bytes)
	if got := allocated(settled); got+size/2 > plain && !racedetect.Enabled && fastpath.Enabled(fastpath.Emit) {
		t.Errorf("Build with a settled root allocated %d bytes, without %d: want at least half the files' %d bytes less", got, plain, size)
	}
}

// outWriter returns a function that writes a file at a slash path under
// out, making its folders.
func outWriter(t *testing.T, out string) func(rel string, data []byte) {
	return func(rel string, data []byte) {
		t.Helper()
		p := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
