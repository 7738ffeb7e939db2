package memfs

import (
	"slices"
	"testing"
)

// TestMemFSHoldsAnyName: the copy's file system holds names kustomize's
// in-memory one refuses, and one that looks like an encoded name, and
// gives each back as written.
func TestMemFSHoldsAnyName(t *testing.T) {
	t.Parallel()
	m := New()
	names := []string{"read me.md", "deploy (1).yaml", "café.yaml", "app..v2.yaml", "__fx41", "plain.yaml", "a\nb.yaml"}
	for _, n := range names {
		if err := m.WriteFile("/r/d ir/"+n, []byte(n)); err != nil {
			t.Fatalf("%q: %v", n, err)
		}
	}
	got, err := m.ReadDir("/r/d ir")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := slices.Clone(names)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ReadDir %q, want %q", got, want)
	}
	for _, n := range names {
		p := "/r/d ir/" + n
		if data, err := m.ReadFile(p); err != nil || string(data) != n || !m.Exists(p) || m.IsDir(p) {
			t.Errorf("%q: %q %v", n, data, err)
		}
		if d, f, err := m.CleanedAbs(p); err != nil || string(d) != "/r/d ir" || f != n {
			t.Errorf("CleanedAbs(%q) = %q %q %v", p, d, f, err)
		}
	}
	if m.Exists("/r/d ir/A") || !m.IsDir("/r/d ir") {
		t.Error("a name not written exists, or the folder is not one")
	}
	if _, err := m.ReadFile("/r/missing yaml"); err == nil || err.Error() != "open /r/missing yaml: file does not exist" {
		t.Errorf("error %v, want one naming the path as written", err)
	}
	if err := m.RemoveAll("/r/d ir/read me.md"); err != nil || m.Exists("/r/d ir/read me.md") {
		t.Errorf("RemoveAll: %v", err)
	}
}
