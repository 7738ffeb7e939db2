package baseline

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/gittest"
	"github.com/digx/fluxtf/internal/manifest"
)

const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: a, namespace: flux-system}
spec: {url: https://example.com/a.git, interval: 1m, ref: {tag: v1.0.0}}
`

// TestLoad: what each kind of baseline gives, and which are errors.
func TestLoad(t *testing.T) {
	t.Parallel()
	committed := t.TempDir()
	gittest.WriteFile(t, filepath.Join(committed, "clusters", "a.yaml"), gitRepository)
	gittest.Init(t, committed)
	gittest.CommitAll(t, committed, "one")
	empty := t.TempDir()
	gittest.WriteFile(t, filepath.Join(empty, "clusters", "a.yaml"), gitRepository)
	gittest.Init(t, empty)
	folder := filepath.Join(committed, "clusters")

	tests := []struct {
		name  string
		opts  Options
		docs  int // -1: no baseline (nil)
		note  string
		error error  // errors.Is
		msg   string // in the error
	}{
		{name: "none asked for", opts: Options{Paths: []string{"clusters"}}, docs: -1},
		{name: "a folder", opts: Options{Dir: folder}, docs: 1},
		{name: "a ref", opts: Options{Ref: "HEAD", RepoDir: committed, Paths: []string{folder}}, docs: 1},
		{name: "a ref, path absent there", opts: Options{Ref: "HEAD", RepoDir: committed, Paths: []string{filepath.Join(committed, "new")}}, docs: 0},
		{name: "HEAD without commits", opts: Options{Ref: "HEAD", RepoDir: empty, Paths: []string{"clusters"}}, docs: -1, note: "no baseline: the repository has no commits yet"},
		{name: "another ref without commits", opts: Options{Ref: "origin/main", RepoDir: empty, Paths: []string{"clusters"}}, error: gitfs.ErrUnknownRef, msg: "cannot read the baseline origin/main: "},
		{name: "both", opts: Options{Dir: folder, Ref: "HEAD"}, msg: "use --baseline or --baseline-ref, not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Load(tt.opts)
			if tt.msg != "" || tt.error != nil {
				if err == nil || !strings.Contains(err.Error(), tt.msg) || (tt.error != nil && !errors.Is(err, tt.error)) {
					t.Fatalf("err = %v, want %v with %q", err, tt.error, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.docs < 0 && b.Docs != nil:
				t.Errorf("%d baseline documents, want no baseline", len(b.Docs))
			case tt.docs >= 0 && (b.Docs == nil || len(b.Docs) != tt.docs):
				t.Errorf("baseline documents %v (nil %v), want %d", len(b.Docs), b.Docs == nil, tt.docs)
			}
			if got := strings.Join(b.Notes, "\n"); got != tt.note {
				t.Errorf("notes %q, want %q", got, tt.note)
			}
		})
	}
}

// TestBadFileSameBothWays: a baseline file that is bad (invalid YAML, a
// document that is not an object) or over the size limit is the same
// input error whether the baseline is a folder (--baseline DIR) or a git
// commit (--baseline-ref): never silently left out of one of them.
func TestBadFileSameBothWays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, data, says string
	}{
		{name: "invalid YAML", file: "bad.yaml", data: "apiVersion: v1\nkind: [\n", says: "bad.yaml:3: invalid YAML"},
		{name: "not an object", file: "list.yaml", data: "apiVersion: v1\n---\n- a\n", says: "list.yaml:3:1: not a Kubernetes object"},
		{name: "over the size limit", file: "huge.yaml", data: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h}\ndata:\n  k: \"" + strings.Repeat("x", 9<<20) + "\"\n", says: "huge.yaml: file is 9.0 MiB, over the 8.0 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := t.TempDir()
			gittest.WriteFile(t, filepath.Join(repo, "clusters", "a.yaml"), gitRepository)
			gittest.WriteFile(t, filepath.Join(repo, "clusters", tt.file), tt.data)
			gittest.Init(t, repo)
			gittest.CommitAll(t, repo, "one")
			_, dirErr := Load(Options{Dir: filepath.Join(repo, "clusters")})
			_, refErr := Load(Options{Ref: "HEAD", RepoDir: repo, Paths: []string{"clusters"}})
			for name, err := range map[string]error{"--baseline DIR": dirErr, "--baseline-ref": refErr} {
				if err == nil || !strings.Contains(err.Error(), tt.says) {
					t.Errorf("%s: err %v, want one saying %q", name, err, tt.says)
				}
			}
		})
	}
}

// TestBudgetCoversTheBaseline: the baseline's files count in the run's
// budget; a git baseline that would not fit is refused before its files
// are read.
func TestBudgetCoversTheBaseline(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "b.yaml"), strings.ReplaceAll(gitRepository, "name: a", "name: b"))
	gittest.Init(t, repo)
	gittest.CommitAll(t, repo, "one")
	size := int64(2 * len(gitRepository))
	for _, opts := range []Options{
		{Dir: filepath.Join(repo, "clusters")},
		{Ref: "HEAD", RepoDir: repo, Paths: []string{"clusters"}},
	} {
		name := "dir"
		if opts.Ref != "" {
			name = "ref"
		}
		opts.Budget = manifest.NewBudget(size, 0)
		if _, err := Load(opts); err != nil {
			t.Errorf("%s: the baseline fits its budget: %v", name, err)
		}
		opts.Budget = manifest.NewBudget(size-1, 0)
		if _, err := Load(opts); !errors.Is(err, manifest.ErrBudget) {
			t.Errorf("%s: err %v, want ErrBudget", name, err)
		}
		opts.Budget = manifest.NewBudget(0, 1) // two objects
		if _, err := Load(opts); !errors.Is(err, manifest.ErrBudget) {
			t.Errorf("%s: err %v, want ErrBudget (objects)", name, err)
		}
	}
}

// TestGitBaselineSubmoduleIsNoted: a submodule under the paths is not
// read from a git baseline (its files are in another repository), and a
// note names it instead of leaving its objects without a baseline
// silently.
func TestGitBaselineSubmoduleIsNoted(t *testing.T) {
	t.Parallel()
	sub := t.TempDir()
	gittest.WriteFile(t, filepath.Join(sub, "b.yaml"), strings.ReplaceAll(gitRepository, "name: a", "name: b"))
	gittest.Init(t, sub)
	gittest.CommitAll(t, sub, "sub")
	repo := t.TempDir()
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "a.yaml"), gitRepository)
	gittest.Init(t, repo)
	gittest.Git(t, repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "clusters/extra")
	gittest.CommitAll(t, repo, "one")
	b, err := Load(Options{Ref: "HEAD", RepoDir: repo, Paths: []string{"clusters"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "baseline HEAD: 1 git submodule(s) not read (their files are in another repository; the rules see no baseline for their objects): clusters/extra"
	if len(b.Notes) != 1 || b.Notes[0] != want || len(b.Docs) != 1 {
		t.Errorf("notes %q (want %q), %d documents", b.Notes, want, len(b.Docs))
	}
}

// sharedBaseRepo is a repository whose kustomizations under clusters/
// name a shared base outside them (../../shared/base), the way Flux
// repositories are often laid out: one plain kustomization (fluxtf reads
// its resources itself) and one that kustomize builds (a namespace). Its
// first commit has the tag v1.0.0 in the shared base, its second v2.0.0.
func sharedBaseRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	gittest.WriteFile(t, filepath.Join(repo, "shared", "base", "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(repo, "shared", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
	gittest.WriteFile(t, filepath.Join(repo, "shared", "b.yaml"), strings.ReplaceAll(gitRepository, "name: a", "name: b"))
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "plain", "kustomization.yaml"), "resources:\n- ../../shared/base\n- ../../shared/b.yaml\n")
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "built", "kustomization.yaml"), "namespace: built\nresources:\n- ../../shared/base\n")
	gittest.Init(t, repo)
	gittest.CommitAll(t, repo, "one")
	gittest.WriteFile(t, filepath.Join(repo, "shared", "base", "a.yaml"), strings.ReplaceAll(gitRepository, "v1.0.0", "v2.0.0"))
	gittest.CommitAll(t, repo, "two")
	return repo
}

// TestGitBaselineReadsWhatKustomizationsName: a kustomization under the
// paths may name files outside them, inside the repository (a shared
// base); the git baseline reads them at its commit, as the work tree's
// build reads them, in fluxtf's own reading and kustomize's build alike
// (FLUXTF_SLOW=1 builds every kustomization with kustomize), instead of
// failing on a file that exists there, and never the work tree's copy.
func TestGitBaselineReadsWhatKustomizationsName(t *testing.T) {
	t.Parallel()
	repo := sharedBaseRepo(t)
	for _, opts := range []Options{
		{Ref: "HEAD~1", RepoDir: repo, Paths: []string{"clusters"}},
		{Ref: "HEAD~1", RepoDir: filepath.Join(repo, "clusters"), Paths: []string{"."}},
		{Ref: "HEAD~1", RepoDir: filepath.Join(repo, "clusters", "plain"), Paths: []string{"../../clusters"}},
		{Ref: "HEAD~1", RepoDir: repo, Paths: []string{filepath.Join(repo, "clusters")}},
	} {
		b, err := Load(opts)
		if err != nil {
			t.Fatalf("%s %q: %v", opts.RepoDir, opts.Paths, err)
		}
		var got []string
		for _, d := range b.Docs {
			tag, _ := d.Object["spec"].(map[string]any)["ref"].(map[string]any)["tag"].(string)
			got = append(got, d.Namespace+"/"+d.Name+"@"+tag)
		}
		slices.Sort(got)
		want := []string{"built/a@v1.0.0", "flux-system/a@v1.0.0", "flux-system/b@v1.0.0"}
		if !slices.Equal(got, want) || len(b.Notes) != 0 {
			t.Errorf("%s %q: baseline documents %q, notes %q; want %q", opts.RepoDir, opts.Paths, got, b.Notes, want)
		}
	}
}

// TestGitBaselineBudgetCoversWhatKustomizationsName: the files read
// outside the paths count in the run's budget too.
func TestGitBaselineBudgetCoversWhatKustomizationsName(t *testing.T) {
	t.Parallel()
	repo := sharedBaseRepo(t)
	opts := Options{Ref: "HEAD~1", RepoDir: repo, Paths: []string{filepath.Join("clusters", "plain")}}
	under := int64(len("resources:\n- ../../shared/base\n- ../../shared/b.yaml\n") + len(gitRepository))
	opts.Budget = manifest.NewBudget(under, 0)
	if _, err := Load(opts); !errors.Is(err, manifest.ErrBudget) {
		t.Errorf("err %v, want ErrBudget", err)
	}
}

// TestGitBaselineEscapeSameAsWorkTree: a kustomization entry that leads
// out of the repository is the same input error, at the same file:line,
// in a git baseline as in the work tree, and nothing outside is read.
func TestGitBaselineEscapeSameAsWorkTree(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	gittest.WriteFile(t, filepath.Join(top, "outside", "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(top, "outside", "kustomization.yaml"), "resources: [a.yaml]\n")
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "x", "kustomization.yaml"), "resources:\n- ../../../outside\n")
	gittest.Init(t, repo)
	gittest.CommitAll(t, repo, "one")
	clusters := filepath.Join(repo, "clusters")
	_, diskErr := manifest.Load([]string{clusters}, manifest.Options{NoCheck: true})
	_, refErr := Load(Options{Ref: "HEAD", RepoDir: repo, Paths: []string{clusters}})
	want := filepath.Join(clusters, "x", "kustomization.yaml") + ":2:3: resources[0]: \"../../../outside\" is outside the repository root " + repo
	if diskErr == nil || !strings.HasPrefix(diskErr.Error(), want) {
		t.Fatalf("work tree: err %v, want %q", diskErr, want)
	}
	if refErr == nil || refErr.Error() != "baseline HEAD: "+diskErr.Error() {
		t.Errorf("git baseline: err %v, want %q", refErr, "baseline HEAD: "+diskErr.Error())
	}
}

// TestGitBaselineWalkFollowsLinksAsDisk: a git baseline's folder walk
// meets the symbolic links of the commit as the disk walk meets them in
// a checkout of it: a link to a folder or a manifest inside the folder
// walked is followed (here into a hidden folder the walk reads as well:
// its objects are read once), a file met again through a link is read
// once, a link to a folder above ends (no loop), and links below a
// kustomization or named as Flux's source leaves out (.sops.yaml) are
// not met. Both walks give the same objects, from a path that is itself
// a link too.
func TestGitBaselineWalkFollowsLinksAsDisk(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	named := func(n string) string { return strings.ReplaceAll(gitRepository, "name: a", "name: "+n) }
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "a.yaml"), gitRepository)
	gittest.WriteFile(t, filepath.Join(repo, "clusters", ".base", "app", "b.yaml"), named("b"))
	gittest.WriteFile(t, filepath.Join(repo, "clusters", ".base", "c.yaml"), named("c"))
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "kust", "d.yaml"), named("d"))
	gittest.WriteFile(t, filepath.Join(repo, "clusters", "kust", "kustomization.yaml"), "resources:\n- d.yaml\n")
	links := map[string]string{
		"clusters/my app":      ".base/app",
		"clusters/c-link.yaml": ".base/c.yaml",
		"clusters/again.yaml":  "a.yaml",
		"clusters/loop":        ".",
		"clusters/deep/up":     "..",
		"clusters/.sops.yaml":  "../..",
		"clusters/kust/l":      "../../..",
		"linked":               "clusters",
	}
	for link, target := range links {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(repo, link)), 0o755); err != nil {
			t.Fatal(err)
		}
		gittest.Symlink(t, target, filepath.Join(repo, filepath.FromSlash(link)))
	}
	gittest.Init(t, repo)
	gittest.CommitAll(t, repo, "one")
	names := func(docs []*manifest.Doc) []string {
		var out []string
		for _, d := range docs {
			out = append(out, d.Name+" "+filepath.ToSlash(d.File))
		}
		slices.Sort(out)
		return out
	}
	for _, path := range []string{"clusters", "linked"} {
		disk, err := manifest.Load([]string{filepath.Join(repo, path)}, manifest.Options{NoCheck: true})
		if err != nil {
			t.Fatalf("%s on disk: %v", path, err)
		}
		b, err := Load(Options{Ref: "HEAD", RepoDir: repo, Paths: []string{path}})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, want := names(b.Docs), names(disk.Docs)
		for i := range want {
			want[i] = strings.Replace(want[i], filepath.ToSlash(repo)+"/", "", 1)
		}
		if !slices.Equal(got, want) || len(want) != 4 || len(b.Notes) != 0 {
			t.Errorf("%s: baseline %q, notes %q; disk %q (a, b, c, d)", path, got, b.Notes, want)
		}
	}
}

// TestGitBaselineLinkOutsideSameAsWorkTree: a symbolic link a git
// baseline's folder walk meets that leads out of the folder walked, out
// of the repository, nowhere or round a loop is the same input error, at
// the link, as in the work tree, and nothing outside is read.
func TestGitBaselineLinkOutsideSameAsWorkTree(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"../shared", "../../outside", "/", "nowhere", "loop"} {
		top := t.TempDir()
		repo := filepath.Join(top, "repo")
		gittest.WriteFile(t, filepath.Join(top, "outside", "a.yaml"), gitRepository)
		gittest.WriteFile(t, filepath.Join(repo, "shared", "a.yaml"), gitRepository)
		gittest.WriteFile(t, filepath.Join(repo, "clusters", "b.yaml"), strings.ReplaceAll(gitRepository, "name: a", "name: b"))
		gittest.Symlink(t, target, filepath.Join(repo, "clusters", "link"))
		if target == "loop" {
			if err := os.Symlink("link", filepath.Join(repo, "clusters", "loop")); err != nil {
				t.Fatal(err)
			}
		}
		gittest.Init(t, repo)
		gittest.CommitAll(t, repo, "one")
		clusters := filepath.Join(repo, "clusters")
		_, diskErr := manifest.Load([]string{clusters}, manifest.Options{NoCheck: true})
		_, refErr := Load(Options{Ref: "HEAD", RepoDir: repo, Paths: []string{clusters}})
		at := filepath.Join(clusters, "link") + ": "
		if diskErr == nil || !strings.HasPrefix(diskErr.Error(), at) {
			t.Errorf("%s: work tree: err %v, want one at %s", target, diskErr, at)
			continue
		}
		if refErr == nil || !strings.HasPrefix(refErr.Error(), "baseline HEAD: "+at) {
			t.Errorf("%s: git baseline: err %v, want one at %s", target, refErr, at)
			continue
		}
		d, _, _ := strings.Cut(strings.TrimPrefix(diskErr.Error(), at), ":")
		r, _, _ := strings.Cut(strings.TrimPrefix(refErr.Error(), "baseline HEAD: "+at), ":")
		if d != r {
			t.Errorf("%s: git baseline says %q, work tree %q", target, r, d)
		}
	}
}

// TestGitBaselineReadsHiddenAsTheDisk: the git baseline's folder walk
// reads the hidden folders and YAML files of the commit, and leaves out
// what Flux's source leaves out (.github/, .sops.yaml, .git/), as the
// disk's walk does: for an unchanged tree, the same objects at HEAD as
// on disk. It skipped every hidden entry, as the disk's walk did.
func TestGitBaselineReadsHiddenAsTheDisk(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	named := func(n string) string { return strings.ReplaceAll(gitRepository, "name: a", "name: "+n) }
	for f, n := range map[string]string{
		"clusters/a.yaml":                   "a",
		"clusters/.staging/b.yaml":          "b",
		"clusters/.c.yml":                   "c",
		"clusters/.x/.y/d.yaml":             "d",
		"clusters/.github/workflows/e.yaml": "e",
		"clusters/.sops.yaml":               "f",
		"clusters/.x/.flux.yaml":            "g",
		"clusters/.circleci/h.yaml":         "h",
	} {
		gittest.WriteFile(t, filepath.Join(repo, filepath.FromSlash(f)), named(n))
	}
	gittest.WriteFile(t, filepath.Join(repo, "clusters", ".yamllint.yml"), "rules: {}\n")
	gittest.Init(t, repo)
	gittest.CommitAll(t, repo, "one")
	names := func(docs []*manifest.Doc) []string {
		var out []string
		for _, d := range docs {
			out = append(out, d.Name)
		}
		slices.Sort(out)
		return out
	}
	want := []string{"a", "b", "c", "d"}
	b, err := Load(Options{Ref: "HEAD", RepoDir: repo, Paths: []string{"clusters"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(b.Docs); !slices.Equal(got, want) {
		t.Errorf("git baseline: objects %q, want %q", got, want)
	}
	disk, err := manifest.Load([]string{filepath.Join(repo, "clusters")}, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(disk.Docs); !slices.Equal(got, want) {
		t.Errorf("disk: objects %q, want %q", got, want)
	}
}
