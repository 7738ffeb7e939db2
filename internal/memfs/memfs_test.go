package memfs

import (
	"io/fs"
	"path/filepath"
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

// TestMemFSUnreadFiles: a file listed before it is read is there, with
// its size, and is read once filled; a folder walk sees it and skips as
// filepath.Walk.
func TestMemFSUnreadFiles(t *testing.T) {
	t.Parallel()
	m := New()
	if err := m.AddUnread("/top/a b/x.yaml", 7); err != nil {
		t.Fatal(err)
	}
	if !m.Exists("/top/a b/x.yaml") || !m.IsFile("/top/a b/x.yaml") || !m.IsDir("/top/a b") {
		t.Fatal("an unread file is not listed with its folders")
	}
	if _, err := m.ReadFile("/top/a b/x.yaml"); err == nil {
		t.Error("an unread file read")
	}
	if err := m.WriteFile("/top/skip/y.yaml", []byte("y")); err != nil {
		t.Fatal(err)
	}
	var walked []string
	err := m.Walk("/top", func(p string, info fs.FileInfo, err error) error {
		walked = append(walked, p)
		if p == "/top/a b/x.yaml" && info.Size() != 7 {
			t.Errorf("size %d, want 7", info.Size())
		}
		if p == "/top/skip" {
			return filepath.SkipDir
		}
		return err
	})
	if want := []string{"/top", "/top/a b", "/top/a b/x.yaml", "/top/skip"}; err != nil || !slices.Equal(walked, want) {
		t.Errorf("walked %q %v, want %q", walked, err, want)
	}
	if err := m.Fill("/top/a b/x.yaml", []byte("content")); err != nil {
		t.Fatal(err)
	}
	if data, err := m.ReadFile("/top/a b/x.yaml"); err != nil || string(data) != "content" {
		t.Errorf("read %q %v", data, err)
	}
	if err := m.AddUnread("/top/a b/x.yaml", 1); err != nil {
		t.Fatal(err)
	}
	if data, _ := m.ReadFile("/top/a b/x.yaml"); string(data) != "content" {
		t.Error("listing a file read again dropped its bytes")
	}
	if err := m.AddUnread("/top/a b/x.yaml/z", 1); err == nil {
		t.Error("a file under a file")
	}
}
