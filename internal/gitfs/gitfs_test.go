package gitfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
)

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "ssh url", in: "ssh://git@github.com/Digx/Infrastructure.git", want: "github.com/digx/infrastructure"},
		{name: "ssh with port", in: "ssh://git@github.com:22/digx/infra.git", want: "github.com/digx/infra"},
		{name: "scp-like", in: "git@github.com:digx/infra.git", want: "github.com/digx/infra"},
		{name: "https", in: "https://github.com/digx/infra/", want: "github.com/digx/infra"},
		{name: "https with user", in: "https://bot@github.com/digx/infra", want: "github.com/digx/infra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NormalizeURL(tt.in); got != tt.want {
				t.Errorf("NormalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestLoad reads files at an older commit from a real repository, from a
// subfolder, and checks that later changes and untracked files are not
// seen, that a file outside the paths is read on demand at the same
// commit, and that nothing outside the work tree exists.
func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	write := func(rel, data string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("repo/clusters/uat/a.yaml", "kind: A\n")
	write("repo/clusters/uat/sub/b.yaml", "kind: B\n")
	write("repo/other/c.yaml", "kind: C\n")
	gittest.CommitAll(t, dir, "one")
	write("repo/clusters/uat/a.yaml", "kind: A2\n")
	write("repo/clusters/uat/new.yaml", "kind: N\n")
	gittest.Git(t, dir, "commit", "-q", "-am", "two")

	r := Repo{Dir: filepath.Join(dir, "repo")}
	fs, n, err := r.Load("HEAD~1", []string{"clusters"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("read %d files, want 2", n)
	}
	got, err := fs.ReadFile("clusters/uat/a.yaml")
	if err != nil || string(got) != "kind: A\n" {
		t.Errorf("a.yaml = %q, %v", got, err)
	}
	if fs.Exists("clusters/uat/new.yaml") {
		t.Error("a file not in the commit was loaded")
	}
	// a path outside the paths is read on demand (a kustomization may
	// name it), from the same commit, relative or absolute alike
	if got, err := fs.ReadFile("other/c.yaml"); err != nil || string(got) != "kind: C\n" {
		t.Errorf("other/c.yaml on demand = %q, %v", got, err)
	}
	if got, err := fs.ReadFile("clusters/uat/../../other/c.yaml"); err != nil || string(got) != "kind: C\n" {
		t.Errorf("clusters/uat/../../other/c.yaml on demand = %q, %v", got, err)
	}
	d, _, err := fs.CleanedAbs("clusters/uat")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fs.ReadFile(filepath.Join(string(d), "..", "..", "other", "c.yaml")); err != nil || string(got) != "kind: C\n" {
		// kustomize reads by the absolute path of the folder
		t.Errorf("%s/../../other/c.yaml = %q, %v", d, got, err)
	}
	if fs.Exists("../../outside.yaml") || fs.Exists(filepath.Join(string(d), "..", "..", "..", "..", "..")) {
		t.Error("a path outside the work tree exists")
	}
	// a walk and a glob name paths the way they were asked
	var walked []string
	err = fs.Walk("clusters", func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			walked = append(walked, filepath.ToSlash(p))
		}
		return err
	})
	if want := []string{"clusters/uat/a.yaml", "clusters/uat/sub/b.yaml"}; err != nil || !slices.Equal(walked, want) {
		t.Errorf("walk: %q, %v; want %q", walked, err, want)
	}
	if got, err := fs.Glob("clusters/uat/*.yaml"); err != nil || !slices.Equal(got, []string{filepath.Join("clusters", "uat", "a.yaml")}) {
		t.Errorf("glob: %q, %v", got, err)
	}
	if err := fs.WriteFile("clusters/uat/a.yaml", nil); err == nil {
		t.Error("the commit's files are read-only")
	}
	if _, _, err := r.Load("no-such-ref", []string{"clusters"}); err == nil || !strings.Contains(err.Error(), `git ref "no-such-ref" does not name a commit`) {
		t.Errorf("want a clear unknown-ref error, got %v", err)
	}
	if _, _, err := r.Load("--output=x", []string{"clusters"}); err == nil {
		t.Error("option-like refs must be refused")
	}
}

// TestLoadAbsolutePaths: files of an absolute path argument are where it
// names them (they were once written relative to Dir, so a baseline read
// for absolute paths was silently empty).
func TestLoadAbsolutePaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	if err := os.MkdirAll(filepath.Join(dir, "clusters", "uat"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "clusters", "uat", "a.yaml"), []byte("kind: A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.CommitAll(t, dir, "one")
	abs := filepath.Join(dir, "clusters")
	fs, n, err := Repo{Dir: dir}.Load("HEAD", []string{abs, "clusters/uat"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("read %d files, want 1", n)
	}
	for _, p := range []string{filepath.Join(abs, "uat", "a.yaml"), filepath.Join("clusters", "uat", "a.yaml")} {
		if got, err := fs.ReadFile(p); err != nil || string(got) != "kind: A\n" {
			t.Errorf("%s = %q, %v", p, got, err)
		}
	}
}

// TestResolveCommitReasons: each failure names its reason (errors.Is) and
// a fix.
func TestResolveCommitReasons(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	gittest.Init(t, empty)
	tests := []struct {
		name, ref string
		want      error
		fix       string
	}{
		{name: "HEAD without commits", ref: "HEAD", want: ErrNoCommits},
		{name: "a branch without commits", ref: "main", want: ErrUnknownRef, fix: "git fetch origin main"},
		{name: "a remote branch", ref: "origin/release-1", want: ErrUnknownRef, fix: "fetch it first: git fetch origin release-1"},
		{name: "an option", ref: "--output=x", want: ErrUnknownRef, fix: "name a branch, tag or commit"},
		{name: "a newline", ref: "main\nx", want: ErrUnknownRef},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Repo{Dir: empty}.ResolveCommit(tt.ref)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ResolveCommit(%q) = %v, want %v", tt.ref, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.fix) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line with %q", err, tt.fix)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/srv/repo":        "/srv/repo",
		"/home/a b/repo":   "'/home/a b/repo'",
		"/x/it's":          `'/x/it'\''s'`,
		"/tmp/$(touch x)/": "'/tmp/$(touch x)/'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestMessagesInEnglish: git's messages are classified whatever the
// user's language (git translates them: "Kein Git-Repository" under
// LANGUAGE=de), so git runs with LC_ALL=C. It changes the process
// environment, so it does not run in parallel.
func TestMessagesInEnglish(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LANGUAGE", "de")
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	_, _, err := Repo{Dir: dir}.Load("HEAD", []string{"."})
	if !errors.Is(err, ErrNotRepository) {
		t.Fatalf("Load outside a repository: %v, want ErrNotRepository", err)
	}
}

// TestLoadAboveDir: a path that climbs out of Dir (../clusters from a
// subfolder) is read too, at FSPath (writing it at ../clusters failed,
// and the failure then hung on git cat-file).
func TestLoadAboveDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	for _, f := range []string{"clusters/uat/a.yaml", "environments/uat.yaml"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("kind: A\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gittest.CommitAll(t, dir, "one")
	r := Repo{Dir: filepath.Join(dir, "environments")}
	arg := filepath.Join("..", "clusters")
	fs, n, err := r.Load("HEAD", []string{arg})
	if err != nil {
		t.Fatal(err)
	}
	key := r.FSPath(arg)
	if key != filepath.Join(dir, "clusters") {
		t.Errorf("FSPath(%s) = %s, want %s", arg, key, filepath.Join(dir, "clusters"))
	}
	if got, err := fs.ReadFile(filepath.Join(key, "uat", "a.yaml")); n != 1 || err != nil || string(got) != "kind: A\n" {
		t.Errorf("read %d files; a.yaml = %q, %v", n, got, err)
	}
}

// TestLoadMissingObject: a blob the repository lacks (a partial clone, a
// damaged store) is an error naming the file, and git is stopped even
// with much output still to write.
func TestLoadMissingObject(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	if err := os.MkdirAll(filepath.Join(dir, "clusters"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "clusters", "a.yaml"), []byte("kind: Gone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// after it, more than a pipe's buffer of content
	big := strings.Repeat("# filler line of a large manifest\n", 20000)
	for _, f := range []string{"b.yaml", "c.yaml", "d.yaml"} {
		if err := os.WriteFile(filepath.Join(dir, "clusters", f), []byte(big+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gittest.CommitAll(t, dir, "one")
	sha := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD:clusters/a.yaml"))
	if err := os.Remove(filepath.Join(dir, ".git", "objects", sha[:2], sha[2:])); err != nil {
		t.Fatal(err)
	}
	_, _, err := Repo{Dir: dir}.Load("HEAD", []string{"clusters"})
	if err == nil || !strings.Contains(err.Error(), "clusters/a.yaml") {
		t.Fatalf("Load with a missing blob: %v, want an error naming clusters/a.yaml", err)
	}
}

// TestLoadPartialCloneNeverFetches: in a partial clone (git clone
// --filter=blob:none, as actions/checkout with filter: makes), the
// baseline's blobs are missing and git would fetch them from the remote
// on demand, starting a transport (ssh, https) for it. Load fetches
// nothing: the object store is as it was, and the error says how to get
// the files.
func TestLoadPartialCloneNeverFetches(t *testing.T) {
	t.Parallel()
	clone, packs := partialClone(t, map[string]string{"clusters/a.yaml": "kind: One\n"}, map[string]string{"clusters/a.yaml": "kind: Two\n"})
	before := packs()
	_, _, err := Repo{Dir: clone}.Load("HEAD~1", []string{"clusters"})
	if !errors.Is(err, ErrPartialClone) || !strings.Contains(err.Error(), "git fetch --refetch --no-filter origin") {
		t.Errorf("Load of HEAD~1 in a partial clone: %v, want ErrPartialClone with the fetch to run", err)
	}
	if after := packs(); len(after) != len(before) {
		t.Errorf("Load fetched from the remote: packs %v, then %v", before, after)
	}
	// the blobs of the checkout are there, and read as ever
	fs, n, err := Repo{Dir: clone}.Load("HEAD", []string{"clusters"})
	if err != nil || n != 1 {
		t.Fatalf("Load of HEAD: %d files, %v", n, err)
	}
	if b, err := fs.ReadFile(filepath.Join("clusters", "a.yaml")); err != nil || string(b) != "kind: Two\n" {
		t.Errorf("clusters/a.yaml at HEAD = %q, %v", b, err)
	}
}

// TestOnDemandPartialCloneNeverFetches: a file outside the paths, read on
// demand (a kustomization names it), follows Load's rule in a partial
// clone: its missing blob is not fetched, and ReadError says how to get
// it.
func TestOnDemandPartialCloneNeverFetches(t *testing.T) {
	t.Parallel()
	clone, packs := partialClone(t,
		map[string]string{"clusters/a.yaml": "kind: One\n", "shared/b.yaml": "kind: S1\n"},
		map[string]string{"shared/b.yaml": "kind: S2\n"})
	before := packs()
	// clusters/a.yaml is the same blob at both commits: in the clone
	fs, _, err := Repo{Dir: clone}.Load("HEAD~1", []string{"clusters"})
	if err != nil {
		t.Fatal(err)
	}
	if ReadError(fs) != nil {
		t.Errorf("ReadError before any read on demand: %v", ReadError(fs))
	}
	if b, err := fs.ReadFile(filepath.Join("shared", "b.yaml")); !errors.Is(err, ErrPartialClone) {
		t.Errorf("shared/b.yaml at HEAD~1 = %q, %v; want ErrPartialClone", b, err)
	}
	if fs.Exists(filepath.Join("shared", "b.yaml")) {
		t.Error("a file that could not be read exists")
	}
	if err := ReadError(fs); !errors.Is(err, ErrPartialClone) || !strings.Contains(err.Error(), "git fetch --refetch --no-filter origin") {
		t.Errorf("ReadError = %v, want ErrPartialClone with the fetch to run", err)
	}
	if after := packs(); len(after) != len(before) {
		t.Errorf("a read on demand fetched from the remote: packs %v, then %v", before, after)
	}
}

// partialClone makes a repository of two commits (the files of one, then
// those two changes) and returns a partial clone of it (git clone
// --filter=blob:none: the blobs of HEAD only) and its list of packs.
func partialClone(t *testing.T, one, two map[string]string) (string, func() []string) {
	t.Helper()
	origin := filepath.Join(t.TempDir(), "origin")
	for p, data := range one {
		gittest.WriteFile(t, filepath.Join(origin, filepath.FromSlash(p)), data)
	}
	gittest.Init(t, origin)
	gittest.CommitAll(t, origin, "one")
	for p, data := range two {
		gittest.WriteFile(t, filepath.Join(origin, filepath.FromSlash(p)), data)
	}
	gittest.CommitAll(t, origin, "two")
	gittest.Git(t, origin, "config", "uploadpack.allowfilter", "true")
	gittest.Git(t, origin, "config", "uploadpack.allowanysha1inwant", "true")
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Git(t, filepath.Dir(clone), "clone", "-q", "--filter=blob:none", "file://"+origin, clone)
	return clone, func() []string {
		m, err := filepath.Glob(filepath.Join(clone, ".git", "objects", "pack", "*.pack"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

// TestOnDemandReadsOnlyWhatIsRead: a folder outside the paths that a
// kustomization names (resources: [../../shared/d1]) is listed, not read:
// a file in it is read, and asked of Fits, when it is read. Each folder
// was read whole, every blob in it (a large binary no build reads too),
// asked of Fits one folder at a time without charging, so that folders of
// 60 MB each held 360 MB against a budget of 100 MiB, with no error.
func TestOnDemandReadsOnlyWhatIsRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "a.yaml"), "kind: A\n")
	big := strings.Repeat("x", 1<<20)
	for _, d := range []string{"d1", "d2", "d3"} {
		gittest.WriteFile(t, filepath.Join(dir, "shared", d, "blob.bin"), big)
		gittest.WriteFile(t, filepath.Join(dir, "shared", d, "kustomization.yaml"), "resources: []\n")
	}
	gittest.CommitAll(t, dir, "one")
	var asked int64
	fsys, _, err := Repo{Dir: dir, Fits: func(n int64) error { asked += n; return nil }}.Load("HEAD", []string{"clusters"})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"d1", "d2", "d3"} {
		k := filepath.Join("shared", d, "kustomization.yaml")
		if !fsys.IsDir(filepath.Join("shared", d)) || !fsys.Exists(filepath.Join("shared", d, "blob.bin")) {
			t.Errorf("shared/%s: not listed", d)
		}
		data, err := fsys.ReadFile(k)
		if err != nil || string(data) != "resources: []\n" {
			t.Errorf("%s: %q, %v", k, data, err)
		}
	}
	if asked >= 1<<20 {
		t.Errorf("Fits was asked for %d bytes: the binaries no one read were read", asked)
	}
	data, err := fsys.ReadFile(filepath.Join("shared", "d1", "blob.bin"))
	if err != nil || len(data) != len(big) || asked < 1<<20 {
		t.Errorf("blob.bin read: %d bytes, %v; Fits asked for %d in all", len(data), err, asked)
	}
	if err := ReadError(fsys); err != nil {
		t.Error(err)
	}
}

// TestOnDemandPathsAreLiteral: a path read on demand is a file's name,
// never git pathspec magic: ":(glob)x", which git refused ("pathspec
// magic not supported"), failing the whole baseline without the
// kustomization's file:line, is simply absent, and a file named ":(top)a"
// is read.
func TestOnDemandPathsAreLiteral(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "a.yaml"), "kind: A\n")
	gittest.WriteFile(t, filepath.Join(dir, ":(top)a", "b.yaml"), "kind: B\n")
	gittest.WriteFile(t, filepath.Join(dir, "x", "c.yaml"), "kind: C\n")
	gittest.CommitAll(t, dir, "one")
	fsys, _, err := Repo{Dir: filepath.Join(dir, "clusters")}.Load("HEAD", []string{"."})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../:(glob)x", "../:(exclude)x/c.yaml", "../:/x"} {
		if fsys.Exists(p) {
			t.Errorf("%s exists", p)
		}
	}
	if data, err := fsys.ReadFile("../:(top)a/b.yaml"); err != nil || string(data) != "kind: B\n" {
		t.Errorf(":(top)a/b.yaml: %q, %v", data, err)
	}
	if err := ReadError(fsys); err != nil {
		t.Errorf("ReadError: %v", err)
	}
}

// TestOnDemandFolderAfterItsFile: a folder outside the paths whose file
// was read on its own first (resources: [../../shared/base/a.yaml]) is
// listed in full when it is asked for itself (resources:
// [../../shared/base]): it held the one file only.
func TestOnDemandFolderAfterItsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gittest.Init(t, dir)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "a.yaml"), "kind: A\n")
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "a.yaml"), "kind: B\n")
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
	gittest.CommitAll(t, dir, "one")
	fsys, _, err := Repo{Dir: dir}.Load("HEAD", []string{"clusters"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fsys.ReadFile(filepath.Join("shared", "base", "a.yaml")); err != nil {
		t.Fatal(err)
	}
	names, err := fsys.ReadDir(filepath.Join("shared", "base"))
	if err != nil || strings.Join(names, ",") != "a.yaml,kustomization.yaml" {
		t.Errorf("ReadDir shared/base: %q, %v", names, err)
	}
	var walked []string
	_ = fsys.Walk("shared", func(p string, _ fs.FileInfo, err error) error {
		walked = append(walked, p)
		return err
	})
	if strings.Join(walked, ",") != "shared,shared/base,shared/base/a.yaml,shared/base/kustomization.yaml" {
		t.Errorf("Walk shared: %q", walked)
	}
}
