//go:build linux

package generator

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

// TestScanEnvFastAgrees: the planner's scan with raw system calls
// (scanEnvFast) finds in an environment folder what os.Root's way finds:
// the kinds of every entry (links, FIFOs and folders deeper than scan
// looks included), the folders listed, leftover staging files, the files
// read with their content, the generated ones, and those known or settled
// as rendered, which it neither reads nor keeps; a settled file replaced
// since is read again.
func TestScanEnvFastAgrees(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	body := []byte(Header + "kind: X\n")
	write := outWriter(t, out)
	write("e/kustomization.yaml", body)
	write("e/known.yaml", body)
	write("e/t/settled.yaml", body)
	write("e/t/moved.yaml", body)
	write("e/t/mine.yaml", []byte("kind: Mine\n"))
	write("e/t/notes.txt", []byte("notes\n"))
	write("e/t/deep/x.yaml", body)
	write("e/t/.x.yaml"+tmpMarker+"abc", body)
	write("e/u/other.yaml", []byte(Header+"kind: Y\n"))
	if err := os.Symlink("kustomization.yaml", filepath.Join(out, "e", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(out, "e", "t", "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	sr := newSettleRoot(root)
	defer sr.close()
	files := []File{{Path: "e/t/moved.yaml", Data: body}, {Path: "e/t/settled.yaml", Data: body}}
	settle(sr, files)
	for _, f := range files {
		if f.onDisk == nil {
			t.Fatalf("%s was not settled", f.Path)
		}
	}
	// moved.yaml replaced by an equal copy after settle read it
	write("e/t/moved.yaml.new", body)
	if err := os.Rename(filepath.Join(out, "e", "t", "moved.yaml.new"), filepath.Join(out, "e", "t", "moved.yaml")); err != nil {
		t.Fatal(err)
	}
	known := Known{"e/known.yaml": sha256.Sum256(body)}
	wantFile := map[string]*File{
		"e/known.yaml":   {Path: "e/known.yaml", Data: body},
		"e/t/moved.yaml": &files[0], "e/t/settled.yaml": &files[1],
	}
	scan := func(fast bool) scanned {
		t.Helper()
		p := &planner{root: root, outDir: out, known: known, wantFile: wantFile}
		if fast {
			if p.raw = openRawRoot(root); p.raw == nil {
				t.Fatal("the output root did not open")
			}
			defer p.raw.close()
		}
		s := scanned{files: map[string][]byte{}}
		if fast {
			handled, err := p.scanEnvFast("e", &s)
			if !handled || err != nil {
				t.Fatalf("scanEnvFast: handled %v, error %v", handled, err)
			}
		} else if err := p.scanEnv("e", &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want, got := scan(false), scan(true)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scanEnvFast found\n%+v\nscanEnv found\n%+v", got, want)
	}
	if _, read := got.files["e/t/moved.yaml"]; !read {
		t.Error("a settled file replaced since was not read again")
	}
	for _, rel := range []string{"e/known.yaml", "e/t/settled.yaml"} {
		if _, read := got.files[rel]; read {
			t.Errorf("%s was read although known or settled", rel)
		}
	}
	kinds := map[string]dirKind{}
	for _, e := range got.kinds {
		kinds[e.rel] = e.kind
	}
	if kinds["e/link.yaml"] != isLink || kinds["e/t/fifo.yaml"] != isOther || kinds["e/t/deep"] != isDir {
		t.Errorf("kinds: link %v, fifo %v, deep folder %v", kinds["e/link.yaml"], kinds["e/t/fifo.yaml"], kinds["e/t/deep"])
	}

	// a link or a file where the environment folder is: left to scanEnv
	if err := os.Symlink("e", filepath.Join(out, "l")); err != nil {
		t.Fatal(err)
	}
	write("f", body)
	p := &planner{root: root, outDir: out, raw: openRawRoot(root)}
	defer p.raw.close()
	for _, env := range []string{"l", "f", "missing"} {
		if handled, _ := p.scanEnvFast(env, &scanned{files: map[string][]byte{}}); handled {
			t.Errorf("scanEnvFast handled %s", env)
		}
	}
}
