//go:build linux

package generator

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSettleDirReadsOnlyRegularFiles: settle's raw reads on Linux neither
// block on a FIFO named like a rendered file nor follow a symbolic link,
// and the file they report is the one Sync's Lstat must find again: a
// file replaced by an equal copy (another inode) is not the same.
func TestSettleDirReadsOnlyRegularFiles(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	body := []byte(Header + "kind: X\n")
	if err := os.MkdirAll(filepath.Join(out, "e"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(out, "e", "same.yaml")
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(out, "e", "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("same.yaml", filepath.Join(out, "e", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	sr := newSettleRoot(root)
	defer sr.close()
	d := openSettleDir(sr, "e")
	if d == nil {
		t.Fatal("folder e did not open")
	}
	defer d.close()
	for _, name := range []string{"fifo.yaml", "link.yaml", "../e/same.yaml", "..", "missing.yaml"} {
		if data, disk := d.read(name, len(body), nil); data != nil || disk != nil {
			t.Errorf("read(%q) = %q, want nothing", name, data)
		}
	}
	if data, _ := d.read("same.yaml", len(body)-1, nil); data != nil {
		t.Errorf("read of another size = %q, want nothing", data)
	}
	data, disk := d.read("same.yaml", len(body), nil)
	if string(data) != string(body) || disk == nil {
		t.Fatalf("read(same.yaml) = %q, %v", data, disk)
	}
	st, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	if !disk.same(st) {
		t.Error("the file read is not the same as its Lstat")
	}
	// an equal copy put in its place: another file
	if err := os.WriteFile(p+".new", body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p+".new", st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p+".new", p); err != nil {
		t.Fatal(err)
	}
	if st, err = os.Lstat(p); err != nil {
		t.Fatal(err)
	}
	if disk.same(st) {
		t.Error("a copy of the same size and time in the file's place is the same file")
	}
}
