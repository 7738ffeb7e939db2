package runinput

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/yamlx"
)

const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: a, namespace: flux-system}
spec: {url: https://example.com/a.git, interval: 1m, ref: {tag: v1.0.0}}
`

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestRead: what one read gives, and which inputs are errors.
func TestRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string // under the run's folder
		// ref commits the files first, then applies edit, and reads
		// HEAD as the baseline
		ref  bool
		edit map[string]string
		docs int
		// baseline is the number of baseline documents; -1: none
		baseline int
		schema   int
		notes    []string // each is the start of a note, in order
		err      string   // in the error
	}{
		{
			name: "a folder", files: map[string]string{"a.yaml": gitRepository},
			docs: 1, baseline: -1,
		},
		{
			name:  "a schema finding is a finding, not an error",
			files: map[string]string{"a.yaml": strings.Replace(gitRepository, "https://example.com/a.git", "git@example.com:a.git", 1)},
			docs:  1, baseline: -1, schema: 1,
		},
		{
			name: "an unknown field is an error", files: map[string]string{"a.yaml": strings.Replace(gitRepository, "interval: 1m", "intervall: 1m", 1)},
			err: `a.yaml:4:40: spec.intervall: unknown field "intervall"`,
		},
		{
			name: "bad YAML is an error", files: map[string]string{"a.yaml": "kind: [\n"},
			err: "a.yaml:2: invalid YAML",
		},
		{
			name: "a git baseline", files: map[string]string{"a.yaml": gitRepository}, ref: true,
			edit: map[string]string{"b.yaml": strings.ReplaceAll(gitRepository, "name: a", "name: b")},
			docs: 2, baseline: 1,
		},
		{
			name:  "notes of the baseline first",
			files: map[string]string{"a.yaml": gitRepository, "Taskfile.yaml": "version: 3\n"}, ref: true,
			edit: map[string]string{"sub/b.yaml": strings.ReplaceAll(gitRepository, "name: a", "name: b")},
			docs: 2, baseline: 1,
			notes: []string{"skipped 1 YAML file"}, // the link to a.yaml is read once at the ref too: no note
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := t.TempDir()
			dir := filepath.Join(repo, "clusters")
			for f, data := range tt.files {
				gittest.WriteFile(t, filepath.Join(dir, f), data)
			}
			opts := Options{Paths: []string{dir}}
			if tt.notes != nil {
				symlink(t, "a.yaml", filepath.Join(dir, "link.yaml"))
			}
			if tt.ref {
				gittest.Init(t, repo)
				gittest.CommitAll(t, repo, "one")
				opts.BaselineRef, opts.RepoDir = "HEAD", repo
			}
			for f, data := range tt.edit {
				gittest.WriteFile(t, filepath.Join(dir, f), data)
			}
			in, err := New(opts).Read(Source{}, nil)
			if in == nil {
				t.Fatal("Read returned no Input")
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// (a link to a.yaml is read once, as a.yaml: no document of
			// its own)
			if len(in.Set.Docs) != tt.docs || len(in.Schema) != tt.schema {
				t.Errorf("%d documents, %d schema findings; want %d, %d", len(in.Set.Docs), len(in.Schema), tt.docs, tt.schema)
			}
			switch {
			case tt.baseline < 0 && in.Baseline.Docs != nil:
				t.Errorf("%d baseline documents, want no baseline", len(in.Baseline.Docs))
			case tt.baseline >= 0 && len(in.Baseline.Docs) != tt.baseline:
				t.Errorf("%d baseline documents, want %d", len(in.Baseline.Docs), tt.baseline)
			}
			notes := in.Notes()
			if len(notes) != len(tt.notes) {
				t.Fatalf("notes %q, want %d starting %q", notes, len(tt.notes), tt.notes)
			}
			for i, n := range tt.notes {
				if !strings.HasPrefix(notes[i], n) {
					t.Errorf("note %d is %q, want one starting %q", i, notes[i], n)
				}
			}
		})
	}
}

// TestReadsShareTheRun: the reads of one run read the baseline once and
// share the budget; a refund gives back what a dropped read took, and
// read is called once the files are read, with the set or nil.
func TestReadsShareTheRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.WriteFile(t, filepath.Join(dir, "a.yaml"), gitRepository)
	base := t.TempDir()
	gittest.WriteFile(t, filepath.Join(base, "a.yaml"), gitRepository)
	// the tree twice and the baseline once fit in three objects, not in
	// two reads of each
	r := New(Options{Paths: []string{dir}, BaselineDir: base, MaxObjects: 3})
	var got []*manifest.Set
	first, err := r.Read(Source{Digests: true}, func(s *manifest.Set) { got = append(got, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != first.Set || len(first.Set.Digests) != 1 {
		t.Fatalf("read called with %v, want the set once, with its digests", got)
	}
	if first.Charge.Objects != 1 {
		t.Errorf("the read took %d objects, want 1 (the baseline's stay with the run)", first.Charge.Objects)
	}
	second, err := r.Read(Source{}, nil)
	if err != nil {
		t.Fatalf("second read: %v", err)
	}
	if second.Baseline != first.Baseline {
		t.Error("the baseline was read again")
	}
	if _, err := r.Read(Source{}, nil); !errors.Is(err, manifest.ErrBudget) {
		t.Fatalf("third read: %v, want the budget's error", err)
	}
	r.Refund(first.Charge)
	r.Refund(second.Charge)
	if _, err := r.Read(Source{}, nil); err != nil {
		t.Errorf("a read after refunds: %v", err)
	}
	// a read that fails calls read with nil
	bad := New(Options{Paths: []string{filepath.Join(dir, "missing")}})
	got = nil
	called := false
	if _, err := bad.Read(Source{}, func(s *manifest.Set) { called, got = true, append(got, s) }); err == nil {
		t.Fatal("a missing path read without error")
	}
	if !called || got[0] != nil {
		t.Errorf("read called %v with %v, want once with nil", called, got)
	}
}

// TestOverlay: the tree in memory is the disk's with the files written
// over it and the deletes removed; it follows a symbolic link to a file
// inside the path as a read from disk does, and returns what it cannot
// hold. A walk meets a link to a file or folder inside the path at its
// target only, but a path through the link (a kustomization's entry) is
// read where it leads, and a path in a hidden folder from the disk, as a
// read from disk reads them.
func TestOverlay(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	dir := filepath.Join(repo, "clusters")
	gittest.WriteFile(t, filepath.Join(dir, "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "old", "b.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "shared", "c.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, ".hidden", "h.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, ".hidden", "z.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, ".git", "g.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(repo, "outside.yaml"), gitRepository)
	symlink(t, filepath.Join("shared", "c.yaml"), filepath.Join(dir, "link.yaml"))
	symlink(t, "shared", filepath.Join(dir, "folder-link"))
	symlink(t, "missing.yaml", filepath.Join(dir, "broken.yaml"))
	symlink(t, filepath.Join("..", "outside.yaml"), filepath.Join(dir, "out.yaml"))
	symlink(t, "a.yaml", filepath.Join(dir, "a-link.yaml"))

	files := []File{{Path: filepath.Join(dir, "a.yaml"), Data: []byte("rendered")}, {Path: filepath.Join(dir, "new", "n.yaml"), Data: []byte("new")}}
	mem, unread, err := Overlay([]string{dir, filepath.Join(repo, "none")}, files, []string{filepath.Join(dir, "old")})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		"a.yaml":             "rendered",
		"new/n.yaml":         "new",
		"link.yaml":          gitRepository, // where it leads (not listed: the walk reads shared/c.yaml once)
		"folder-link/c.yaml": gitRepository,
		"shared/c.yaml":      gitRepository,
		"old/b.yaml":         "",
		".hidden/h.yaml":     gitRepository, // the file the note on the hidden folder names
		".hidden/z.yaml":     gitRepository, // from the disk
		".git/g.yaml":        gitRepository,
		"out.yaml":           "", // outside the root
	} {
		got, err := mem.ReadFile(filepath.Join(dir, p))
		switch {
		case want == "" && err == nil:
			t.Errorf("%s is in the tree", p)
		case want != "" && string(got) != want:
			t.Errorf("%s holds %q (%v), want %q", p, got, err, want)
		}
	}
	// a walk meets the linked file and folder under their own paths only
	names, err := mem.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(names, "folder-link") || slices.Contains(names, "link.yaml") || !slices.Contains(names, "shared") || !slices.Contains(names, ".hidden") {
		t.Errorf("the listing %q, want shared and .hidden, without folder-link and link.yaml", names)
	}
	// a rendered file is read through a link to it
	if got, err := mem.ReadFile(filepath.Join(dir, "a-link.yaml")); err != nil || string(got) != "rendered" {
		t.Errorf("a-link.yaml holds %q (%v), want the rendered a.yaml", got, err)
	}
	wantUnread := []string{filepath.Join(dir, "broken.yaml"), filepath.Join(dir, "out.yaml")}
	if !slices.Equal(unread, wantUnread) {
		t.Errorf("unread %q, want %q", unread, wantUnread)
	}

	// the disk's errors at those entries carry over, the others do not
	disk := yamlx.ErrorList{
		{Pos: yamlx.Pos{File: filepath.Join(dir, "broken.yaml")}, Msg: "broken symbolic link"},
		{Pos: yamlx.Pos{File: filepath.Join(dir, "a.yaml"), Line: 1}, Msg: "invalid YAML"},
	}
	carried := ErrorsAt(disk, unread)
	if carried == nil || carried.Error() != disk[0].Error() {
		t.Errorf("carried %v, want %v", carried, disk[0])
	}
	if err := ErrorsAt(disk[1:], unread); err != nil {
		t.Errorf("an error the tree in memory can find is carried: %v", err)
	}
	if err := ErrorsAt(errors.New("other"), unread); err != nil {
		t.Errorf("a non-input error is carried: %v", err)
	}
}

// TestOverlayReadsLikeTheDisk: a read of an Overlay (check, when the
// render changes files) reads the hidden folders and files a read of the
// disk reads (as Flux does), skips the folders Flux's source leaves out
// (.github) and the files it leaves out (.sops.yaml), and notes the
// upper-case files holding objects, as a read of the disk does.
func TestOverlayReadsLikeTheDisk(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "clusters")
	gittest.WriteFile(t, filepath.Join(dir, "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "B.YAML"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "uat", ".staging", "x", "c.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "uat", ".staging", "d.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "uat", ".e.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, ".github", "workflows", "x.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(dir, "uat", ".sops.yaml"), gitRepository)
	disk, err := manifest.Load([]string{dir}, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "uat", ".e.yaml"),
		filepath.Join(dir, "uat", ".staging", "d.yaml"), filepath.Join(dir, "uat", ".staging", "x", "c.yaml")}
	if len(disk.Notes) != 1 || !slices.Equal(disk.Files, wantFiles) {
		t.Fatalf("from disk: notes %q, files %q; want one note and %q", disk.Notes, disk.Files, wantFiles)
	}
	mem, _, err := Overlay([]string{dir}, []File{{Path: filepath.Join(dir, "a.yaml"), Data: []byte(gitRepository)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	set, err := manifest.Load([]string{dir}, manifest.Options{FS: mem})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(set.Notes, disk.Notes) || !slices.Equal(set.Files, disk.Files) || len(set.Docs) != len(disk.Docs) {
		t.Errorf("from the overlay: notes %q, files %q, %d objects\nfrom disk: notes %q, files %q, %d objects",
			set.Notes, set.Files, len(set.Docs), disk.Notes, disk.Files, len(disk.Docs))
	}
}

// TestOverlayReadsOutsideFromDisk: a path outside the overlay's paths is
// the disk's, inside the repository root only: a file there is read, one
// outside the root (or through a link leading out of it) does not exist,
// a FIFO is refused without blocking, and nothing is written.
func TestOverlayReadsOutsideFromDisk(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	dir := filepath.Join(repo, "clusters")
	gittest.WriteFile(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	gittest.WriteFile(t, filepath.Join(dir, "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(repo, "shared", "base", "s.yaml"), "shared")
	gittest.WriteFile(t, filepath.Join(top, "outside.yaml"), "outside")
	symlink(t, filepath.Join(top, "outside.yaml"), filepath.Join(repo, "shared", "out.yaml"))
	symlink(t, filepath.Join("base", "s.yaml"), filepath.Join(repo, "shared", "in.yaml"))
	fifo := filepath.Join(repo, "shared", "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, _, err := Overlay([]string{dir}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		filepath.Join(dir, "a.yaml"):                         gitRepository,
		filepath.Join(repo, "shared", "base", "s.yaml"):      "shared",
		filepath.Join(repo, "shared", "in.yaml"):             "shared",
		filepath.Join(dir, "..", "shared", "base", "s.yaml"): "shared",
		filepath.Join(top, "outside.yaml"):                   "",
		filepath.Join(repo, "shared", "out.yaml"):            "",
		fifo: "",
	} {
		got, err := fsys.ReadFile(p)
		switch {
		case want == "" && err == nil:
			t.Errorf("%s is read: %q", p, got)
		case want != "" && string(got) != want:
			t.Errorf("%s holds %q (%v), want %q", p, got, err, want)
		}
		if exists := fsys.Exists(p); exists != (want != "") && p != fifo {
			t.Errorf("Exists(%s) = %v", p, exists)
		}
	}
	d := fsys.(manifest.DiskRootedFS)
	if d.RepositoryRoot() != manifest.RealPath(repo) {
		t.Errorf("root %s, want %s", d.RepositoryRoot(), repo)
	}
	if got := d.RealPath(filepath.Join(repo, "shared", "out.yaml")); got != manifest.RealPath(filepath.Join(top, "outside.yaml")) {
		t.Errorf("RealPath of the link out is %s", got)
	}
	if typ, ok := d.DiskType(manifest.RealPath(fifo)); !ok || typ&os.ModeNamedPipe == 0 {
		t.Errorf("DiskType of the FIFO is %v %v", typ, ok)
	}
	if _, ok := d.DiskType(filepath.Join(dir, "a.yaml")); ok {
		t.Error("DiskType answers for a path held in memory")
	}
	if !fsys.IsDir(filepath.Join(repo, "shared", "base")) || fsys.IsDir(top) {
		t.Error("IsDir does not follow the disk inside the root only")
	}
	if names, err := fsys.ReadDir(filepath.Join(repo, "shared", "base")); err != nil || !slices.Equal(names, []string{"s.yaml"}) {
		t.Errorf("ReadDir: %q %v", names, err)
	}
	var walked []string
	if err := fsys.Walk(filepath.Join(repo, "shared", "base"), func(p string, _ os.FileInfo, err error) error {
		walked = append(walked, p)
		return err
	}); err != nil || !slices.Equal(walked, []string{filepath.Join(repo, "shared", "base"), filepath.Join(repo, "shared", "base", "s.yaml")}) {
		t.Errorf("Walk: %q %v", walked, err)
	}
	if err := fsys.WriteFile(filepath.Join(repo, "shared", "w.yaml"), nil); err == nil {
		t.Error("a write is not refused")
	}
	if _, err := os.Stat(filepath.Join(repo, "shared", "w.yaml")); err == nil {
		t.Error("a write reached the disk")
	}
}
