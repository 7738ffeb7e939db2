package generator

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestCompareKnown: Compare reads only the files whose known sum is not
// that of their rendered content, and otherwise reports what Sync
// (without writing) reports.
func TestCompareKnown(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	specs := fixtureSpecs(t)
	if _, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: specs}, OutDir: out, All: true}); err != nil {
		t.Fatal(err)
	}
	outs := buildFixtures(t)
	sums := func() Known {
		known := Known{}
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(out, p)
			known[filepath.ToSlash(rel)] = sha256.Sum256(data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return known
	}
	kinds := func(res *Result) map[string]ChangeKind {
		m := map[string]ChangeKind{}
		for _, c := range res.Changes {
			m[c.Path] = c.Kind
		}
		return m
	}

	// an up-to-date tree, its sums known: every file unchanged, and none
	// read (changed on disk after its sum was taken, it still counts as
	// what was read)
	known := sums()
	edited := "uat/kustomization.yaml"
	if _, ok := known[edited]; !ok {
		t.Fatalf("no %s in the rendered fixtures", edited)
	}
	orig, err := os.ReadFile(filepath.Join(out, edited))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, edited), append(orig, "# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Compare(out, outs, true, known)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Changes {
		if c.Kind != Unchanged {
			t.Errorf("%s: %v with every sum known to match, want unchanged", c.Path, c.Kind)
		}
	}

	// the sums as the files are now, and a stale generated file: the
	// edited file is read and differs, the stale one is to delete, as
	// Sync finds without sums
	stale := "uat/old.yaml"
	if err := os.WriteFile(filepath.Join(out, stale), []byte(Header+"kind: ConfigMap\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = Compare(out, outs, true, sums())
	if err != nil {
		t.Fatal(err)
	}
	want, err := Sync(out, outs, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Compare with sums:\n%+v\nSync:\n%+v", res, want)
	}
	if k := kinds(res); k[edited] != Update || k[stale] != Delete {
		t.Errorf("%s %v, %s %v; want update and delete", edited, k[edited], stale, k[stale])
	}

	// built with SumsOnly (no content): the same result when the sums
	// show nothing changed, ErrNeedContent when a file differs
	if err := os.WriteFile(filepath.Join(out, edited), orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, stale)); err != nil {
		t.Fatal(err)
	}
	sumsOnly, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: specs}, All: true, SumsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range sumsOnly {
		for _, f := range o.Files {
			if f.Data != nil || f.Sum == ([sha256.Size]byte{}) {
				t.Fatalf("%s: SumsOnly kept %d bytes, sum %x", f.Path, len(f.Data), f.Sum)
			}
		}
	}
	res, err = Compare(out, sumsOnly, true, sums())
	if err != nil {
		t.Fatal(err)
	}
	want, err = Sync(out, outs, true, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Compare of sums:\n%+v\nSync:\n%+v", res, want)
	}
	if err := os.WriteFile(filepath.Join(out, edited), append(orig, "# edited\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Compare(out, sumsOnly, true, sums()); !errors.Is(err, ErrNeedContent) {
		t.Errorf("Compare of sums with %s edited: %v, want ErrNeedContent", edited, err)
	}
	if _, err := Sync(out, sumsOnly, true, true); !errors.Is(err, ErrNeedContent) {
		t.Errorf("Sync writing outputs without content: %v, want ErrNeedContent", err)
	}
}
