package generator

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReplaceFileSyncsBeforeRename: the new spec is flushed to disk while
// the old one is still in place (a crash of the machine after the rename
// never meets an empty or half-written spec), and a failed flush leaves
// the old spec and no temporary file.
func TestReplaceFileSyncsBeforeRename(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "prod.yaml")
	old, data := []byte("name: prod\n"), []byte("name: prod\napprovals: []\n")
	if err := os.WriteFile(file, old, 0o640); err != nil {
		t.Fatal(err)
	}
	orig := syncFile
	t.Cleanup(func() { syncFile = orig })
	synced := 0
	syncFile = func(f *os.File) error {
		synced++
		if got, _ := os.ReadFile(file); !bytes.Equal(got, old) {
			t.Errorf("at the flush the spec holds %q, want the old %q", got, old)
		}
		if got, _ := os.ReadFile(f.Name()); !bytes.Equal(got, data) {
			t.Errorf("the flushed file holds %q, want %q", got, data)
		}
		return orig(f)
	}
	if err := ReplaceFile(file, data, 0o640); err != nil {
		t.Fatal(err)
	}
	if synced != 1 {
		t.Errorf("the new file was flushed %d times, want once", synced)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, data) {
		t.Errorf("spec %q, want %q", got, data)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want 0640", st.Mode(), err)
	}

	failed := errors.New("flush failed")
	syncFile = func(*os.File) error { return failed }
	err := ReplaceFile(file, old, 0o640)
	if !errors.Is(err, failed) {
		t.Fatalf("error %v, want the flush's", err)
	}
	if want := "cannot write " + file + ": flush failed; it was left as it was"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q (naming the spec, not the staging file)", err, want)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, data) {
		t.Errorf("after a failed flush the spec holds %q, want %q as it was", got, data)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("after a failed flush the folder holds %d entries, want the spec only", len(es))
	}
}

// TestReplaceFileRefusesSymlink: a spec that is a symlink is refused, not
// replaced by a copy (which would leave the file it leads to as it was).
func TestReplaceFileRefusesSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	link := filepath.Join(dir, "prod.yaml")
	if err := os.WriteFile(real, []byte("name: prod\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.yaml", link); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no symlinks here: %v", err)
		}
		t.Skipf("no symlinks here: %v", err)
	}
	if err := ReplaceFile(link, []byte("name: other\n"), 0o644); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("error %v, want ErrNotRegular", err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced (%v, %v)", st, err)
	}
	if got, _ := os.ReadFile(real); string(got) != "name: prod\n" {
		t.Errorf("the link's file changed: %q", got)
	}
	if es, _ := os.ReadDir(dir); len(es) != 2 {
		t.Errorf("the folder holds %d entries, want 2", len(es))
	}
}

// TestReplaceFileRemovesLeftovers: the staging file a killed approve or
// promote left beside the spec (a hidden file a `git add -A` would
// commit) is removed by the next edit of that spec; other hidden files,
// an editor's swap file, stay.
func TestReplaceFileRemovesLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "prod.yaml")
	leftover := filepath.Join(dir, ".prod.yaml"+tmpMarker+"12345")
	swap := filepath.Join(dir, ".prod.yaml.swp")
	for _, p := range []string{file, leftover, swap} {
		if err := os.WriteFile(p, []byte("name: prod\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := ReplaceFile(file, []byte("name: prod\napprovals: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if want := []string{".prod.yaml.swp", "prod.yaml"}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("the folder holds %q, want %q", names, want)
	}
}
