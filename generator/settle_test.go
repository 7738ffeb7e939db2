package generator

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
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
