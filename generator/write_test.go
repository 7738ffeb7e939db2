package generator

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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

// TestInterruptedSwitchIsCompleted: a render that fails after its commit
// point (here the renames into one folder) leaves its journal, and the
// next render, even of another environment, first completes it: every
// file is then the new one, and no staging file or journal is left.
func TestInterruptedSwitchIsCompleted(t *testing.T) {
	out := t.TempDir()
	specs := fixtureSpecs(t)
	if _, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: specs}, OutDir: out, All: true}); err != nil {
		t.Fatal(err)
	}
	// the new fleet: uat on another tag, dev gone (its folder pruned)
	newSpecs := t.TempDir()
	for _, f := range []string{"defaults.yaml", "uat.yaml", "prod.yaml"} {
		data, err := os.ReadFile(filepath.Join(specs, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "uat.yaml" {
			data = bytes.Replace(data, []byte("v4.2.0"), []byte("v4.3.0"), 1)
		}
		if err := os.WriteFile(filepath.Join(newSpecs, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := t.TempDir()
	if _, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: newSpecs}, OutDir: want, All: true}); err != nil {
		t.Fatal(err)
	}
	testHookSwitch = func(dir string) error {
		if dir == "uat" {
			return errors.New("killed")
		}
		return nil
	}
	_, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: newSpecs}, OutDir: out, All: true})
	testHookSwitch = nil
	if err == nil || !strings.Contains(err.Error(), "run fluxtf render again to complete it") {
		t.Fatalf("want the interrupted switch, got %v", err)
	}
	if _, err := os.Lstat(filepath.Join(out, journalName)); err != nil {
		t.Fatalf("no journal after an interrupted switch: %v", err)
	}
	res, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: newSpecs}, OutDir: out, Envs: []string{"prod"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "completed a render") {
		t.Errorf("notes %q, want one on the completed render", res.Notes)
	}
	if got, w := snapshot(t, out), snapshot(t, want); got != w {
		t.Errorf("after the next render:\n%s\nwant:\n%s", got, w)
	}
}

// TestBadJournal: a journal that fluxtf did not write (hand-edited,
// pointing outside the environment folders, or not a journal) is refused
// with a one-line error naming it, and nothing is touched.
func TestBadJournal(t *testing.T) {
	t.Parallel()
	specs := fixtureSpecs(t)
	for _, tc := range []struct {
		name    string
		journal string
		want    string
	}{
		{name: "not-json", journal: "rm -rf /\n", want: "invalid character"},
		{name: "escape", journal: `{"version":1,"state":"committed","suffix":"0123456789ab","delete":["../../etc/passwd.yaml"]}`, want: `"../../etc/passwd.yaml" is not a path inside the output root`},
		{name: "absolute", journal: `{"version":1,"state":"committed","suffix":"0123456789ab","delete":["/etc/x.yaml"]}`, want: "is not a path inside the output root"},
		{name: "hidden", journal: `{"version":1,"state":"committed","suffix":"0123456789ab","write":["uat/.git.yaml"]}`, want: "names a hidden file"},
		{name: "not-an-env", journal: `{"version":1,"state":"committed","suffix":"0123456789ab","delete":["Flux_System/x.yaml"]}`, want: "is not inside an environment folder"},
		{name: "not-yaml", journal: `{"version":1,"state":"committed","suffix":"0123456789ab","write":["uat/run.sh"]}`, want: "is not a file of an environment folder"},
		{name: "suffix", journal: `{"version":1,"state":"committed","suffix":"../x","write":["uat/a.yaml"]}`, want: "is not one fluxtf makes"},
		{name: "state", journal: `{"version":1,"state":"maybe","suffix":"0123456789ab"}`, want: `state "maybe"`},
		{name: "version", journal: `{"version":2,"state":"staging","suffix":"0123456789ab"}`, want: "version 2"},
		{name: "unknown-field", journal: `{"version":1,"state":"staging","suffix":"0123456789ab","exec":"sh"}`, want: "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			if _, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: specs}, OutDir: out, All: true}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, journalName), []byte(tc.journal), 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, out)
			_, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: specs}, OutDir: out, All: true})
			if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(out, journalName)+": ") || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), "not a journal fluxtf wrote") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line naming the journal and %q", err, tc.want)
			}
			if after := snapshot(t, out); after != before {
				t.Error("the output changed")
			}
		})
	}
}
