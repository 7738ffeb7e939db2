package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
)

// sharedGitRepository is a GitRepository of a shared base, outside the
// rendered output; tag is its module tag.
func sharedGitRepository(tag string) string {
	return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  annotations:
    fluxtf.io/policies: common,eks
  labels:
    fluxtf.io/stack: shared
    fluxtf.io/tier: dev
  name: shared
  namespace: flux-system
spec:
  interval: 5m0s
  ref:
    tag: ` + tag + `
  url: ssh://git@github.com/digx/shared.git
`
}

// sharedCLI runs this test binary as the CLI in dir, with the reference
// paths (kustomize's own build of every kustomization) when slow is set,
// and returns its exit code and combined output.
func sharedCLI(t *testing.T, dir string, slow bool, args ...string) (int, string) {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	extra := []string{"FLUXTF_TEST_AS_CLI=1", nowEnv + "=" + testNow, "FLUXTF_SLOW="}
	if slow {
		extra[2] = "FLUXTF_SLOW=1"
	}
	return command(t, dir, cleanEnv(extra...), bin, args...)
}

// sharedBaseRun is `fluxtf init` in a new repository with a hand-written
// kustomization under the rendered output, clusters/hand, that names a
// shared base outside it (resources: [../../shared/base]), the way Flux
// repositories are often laid out; kustomization is its content.
func sharedBaseRun(t *testing.T, kustomization string) string {
	t.Helper()
	dir := t.TempDir()
	if code, out := sharedCLI(t, dir, false, "init"); code != 0 {
		t.Fatalf("init: %d %s", code, out)
	}
	gittest.Init(t, dir)
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "a.yaml"), sharedGitRepository("v2.0.0"))
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "hand", "kustomization.yaml"), kustomization)
	gittest.CommitAll(t, dir, "one")
	return dir
}

// TestCheckGitBaselineReadsSharedBase: a kustomization under the paths
// that names a shared base outside them is built from the git baseline's
// commit too, in fluxtf's own reading and in kustomize's build
// (FLUXTF_SLOW=1) alike: check compares the working tree's base with the
// commit's (a tag going back, v2.0.0 -> v1.0.0, is no-downgrade), where it
// failed with exit 2 "shared/base does not exist".
func TestCheckGitBaselineReadsSharedBase(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"resources:\n- ../../shared/base\n", "namespace: flux-system\nresources:\n- ../../shared/base\n"} {
		dir := sharedBaseRun(t, k)
		gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "a.yaml"), sharedGitRepository("v1.0.0"))
		want := `shared/base/a.yaml:14:5: deny no-downgrade: GitRepository "shared" (dev) goes back from module v2.0.0 to v1.0.0`
		for _, slow := range []bool{false, true} {
			for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters/hand"}} {
				code, out := sharedCLI(t, dir, slow, args...)
				if code != 1 || !strings.Contains(out, want) {
					t.Errorf("%q slow=%v %s: exit %d, want 1 with %q:\n%s", k, slow, args[0], code, want, out)
				}
			}
		}
	}
}

// TestCheckGitBaselineEscapeIsInputError: a kustomization entry of the
// baseline's commit that leads out of the repository is exit 2 at its
// file:line, the same error as in the working tree, in both reading
// paths; nothing outside the repository is read.
func TestCheckGitBaselineEscapeIsInputError(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- ../../../outside\n")
	gittest.WriteFile(t, filepath.Join(filepath.Dir(dir), "outside", "kustomization.yaml"), "resources: []\n")
	want := `clusters/hand/kustomization.yaml:2:3: resources[0]: "../../../outside" is outside the repository root ` + dir
	for _, slow := range []bool{false, true} {
		// the working tree
		code, out := sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("slow=%v work tree: exit %d, want 2 with %q:\n%s", slow, code, want, out)
		}
	}
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "hand", "kustomization.yaml"), "resources:\n- ../../shared/base\n")
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "check", "--baseline-ref", "HEAD", "--diff=false")
		if code != 2 || !strings.Contains(out, "baseline HEAD: "+want) {
			t.Errorf("slow=%v baseline: exit %d, want 2 with %q:\n%s", slow, code, "baseline HEAD: "+want, out)
		}
	}
}

// TestCheckGitBaselineSubmoduleNote: a git submodule under the paths is
// not in a git baseline (its files are in another repository): a note
// names it, not a silent drop, not an error.
func TestCheckGitBaselineSubmoduleNote(t *testing.T) {
	t.Parallel()
	sub := t.TempDir()
	gittest.WriteFile(t, filepath.Join(sub, "kustomization.yaml"), "resources: []\n")
	gittest.Init(t, sub)
	gittest.CommitAll(t, sub, "sub")
	dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
	gittest.Git(t, dir, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "clusters/vendor")
	gittest.CommitAll(t, dir, "two")
	// a gitlink whose name holds a control character: the note escapes it
	// like every note
	head := strings.TrimSpace(gittest.Git(t, sub, "rev-parse", "HEAD"))
	gittest.Git(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+head+",clusters/ev\x1bil")
	gittest.Git(t, dir, "commit", "-q", "-m", "three")
	code, out := sharedCLI(t, dir, false, "validate", "--baseline-ref", "HEAD", "clusters")
	want := `note: baseline HEAD: 2 git submodule(s) not read (their files are in another repository; the rules see no baseline for their objects): clusters/ev\x1bil, clusters/vendor` + "\n"
	if code != 0 || !strings.Contains(out, want) || strings.Contains(out, "\x1b") {
		t.Errorf("exit %d, want 0 with %q:\n%s", code, want, out)
	}
}

// TestCheckGitBaselineFollowsLinks: a symbolic link of the baseline's
// commit that a kustomization reaches is resolved at the same commit, as
// a checkout of it would resolve it on disk: a link inside the repository
// (a file, a folder, a chain of links) is read, where the unchanged tree
// was exit 2 "does not exist" in the baseline only; a link out of it
// (/etc/passwd, ../../..) is the work tree's error at the entry, with
// nothing outside read. Both reading paths agree.
func TestCheckGitBaselineFollowsLinks(t *testing.T) {
	t.Parallel()
	link := func(t *testing.T, dir, target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	move := func(t *testing.T, dir, from, to string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
			t.Fatal(err)
		}
	}
	inside := map[string]func(t *testing.T, dir string){
		"file": func(t *testing.T, dir string) {
			move(t, dir, "shared/base/a.yaml", "common/a.yaml")
			link(t, dir, "../../common/a.yaml", "shared/base/a.yaml")
		},
		"chain": func(t *testing.T, dir string) {
			move(t, dir, "shared/base/a.yaml", "common/a.yaml")
			link(t, dir, "../common/a.yaml", "shared/l1.yaml")
			link(t, dir, "../l1.yaml", "shared/base/a.yaml")
		},
		"folder": func(t *testing.T, dir string) {
			move(t, dir, "shared/base", "common/base")
			link(t, dir, "../common/base", "shared/base")
		},
	}
	for name, setup := range inside {
		dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
		setup(t, dir)
		gittest.CommitAll(t, dir, "links")
		// the working tree goes back a tag: the baseline's v2.0.0 was read
		gittest.WriteFile(t, filepath.Join(dir, "clusters", "hand", "kustomization.yaml"), "resources:\n- ../../now\n")
		gittest.WriteFile(t, filepath.Join(dir, "now", "a.yaml"), sharedGitRepository("v1.0.0"))
		gittest.WriteFile(t, filepath.Join(dir, "now", "kustomization.yaml"), "resources: [a.yaml]\n")
		want := `now/a.yaml:14:5: deny no-downgrade: GitRepository "shared" (dev) goes back from module v2.0.0 to v1.0.0`
		for _, slow := range []bool{false, true} {
			for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters/hand"}} {
				code, out := sharedCLI(t, dir, slow, args...)
				if code != 1 || !strings.Contains(out, want) {
					t.Errorf("%s slow=%v %s: exit %d, want 1 with %q:\n%s", name, slow, args[0], code, want, out)
				}
			}
		}
	}
	outside := []struct{ name, target, entry, real string }{
		{"absolute", "/etc/passwd", "p.yaml", "/etc/passwd"},
		{"dots", "../../..", "../up/etc", ""},
	}
	for _, c := range outside {
		dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
		linkAt := "shared/base/p.yaml"
		if c.entry != "p.yaml" {
			linkAt = "shared/up"
		}
		link(t, dir, c.target, linkAt)
		gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml, "+c.entry+"]\n")
		gittest.CommitAll(t, dir, "link out")
		if err := os.Remove(filepath.Join(dir, linkAt)); err != nil {
			t.Fatal(err)
		}
		gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
		real := c.real
		if real == "" {
			real = filepath.Join(filepath.Dir(filepath.Dir(dir)), "etc")
		}
		want := `baseline HEAD: shared/base/kustomization.yaml:1:21: resources[1]: "` + c.entry + `" leads through a symbolic link to ` + real + `, outside the repository root ` + dir
		for _, slow := range []bool{false, true} {
			for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters/hand"}} {
				code, out := sharedCLI(t, dir, slow, args...)
				if code != 2 || !strings.Contains(out, want) || strings.Count(strings.TrimSpace(out), "\n") != 0 || strings.Contains(out, "root:") {
					t.Errorf("%s slow=%v %s: exit %d, want 2 with one line %q:\n%s", c.name, slow, args[0], code, want, out)
				}
			}
		}
	}
}

// TestCheckGitBaselineAnyName: a git baseline holds files under any name
// git does: a folder "my app", a base "bäse+1" outside the paths. The
// baseline was kept in kustomize's in-memory file system, which refuses
// every name outside [a-zA-Z0-9-_.:], so that one such name anywhere
// under the paths made every check exit 2 ("illegal name 'my app'").
// A hostile name (newline, an Actions command, ESC) in a problem of the
// baseline is one escaped line, as in the work tree.
func TestCheckGitBaselineAnyName(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- \"../../shared/bäse+1\"\n")
	if err := os.Rename(filepath.Join(dir, "shared", "base"), filepath.Join(dir, "shared", "bäse+1")); err != nil {
		t.Fatal(err)
	}
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "my app", "a.yaml"), strings.Replace(sharedGitRepository("v3.0.0"), "name: shared", "name: app", 1))
	gittest.CommitAll(t, dir, "names")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "my app", "a.yaml"), strings.Replace(sharedGitRepository("v1.0.0"), "name: shared", "name: app", 1))
	gittest.WriteFile(t, filepath.Join(dir, "shared", "bäse+1", "a.yaml"), sharedGitRepository("v1.0.0"))
	wants := []string{
		`clusters/my app/a.yaml:14:5: deny no-downgrade: GitRepository "app" (dev) goes back from module v3.0.0 to v1.0.0`,
		`shared/bäse+1/a.yaml:14:5: deny no-downgrade: GitRepository "shared" (dev) goes back from module v2.0.0 to v1.0.0`,
	}
	for _, slow := range []bool{false, true} {
		for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters"}} {
			code, out := sharedCLI(t, dir, slow, args...)
			for _, want := range wants {
				if code != 1 || !strings.Contains(out, want) {
					t.Errorf("slow=%v %s: exit %d, want 1 with %q:\n%s", slow, args[0], code, want, out)
				}
			}
		}
	}

	dir = sharedBaseRun(t, "resources:\n- ../../shared/base\n")
	evil := filepath.Join(dir, "clusters", "ev\nil::error file=x.yaml::pwned\x1b[31m")
	gittest.WriteFile(t, filepath.Join(evil, "kustomization.yaml"), "resources: [nope.yaml]\n")
	gittest.CommitAll(t, dir, "hostile")
	if err := os.RemoveAll(evil); err != nil {
		t.Fatal(err)
	}
	want := `baseline HEAD: clusters/ev\nil::error file=x.yaml::pwned\x1b[31m/kustomization.yaml:1:13: resources[0]: kustomization lists "nope.yaml"`
	for _, slow := range []bool{false, true} {
		for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters"}} {
			code, out := sharedCLI(t, dir, slow, args...)
			if code != 2 || !strings.Contains(out, want) || strings.Count(strings.TrimSpace(out), "\n") != 0 || strings.ContainsRune(out, '\x1b') {
				t.Errorf("slow=%v %s: exit %d, want 2 with one line %q:\n%s", slow, args[0], code, want, out)
			}
		}
	}
}

// TestCheckGitBaselineSaysWhyMissing: a kustomization of the baseline's
// commit naming a git submodule, or a symbolic link that never ends (a
// loop, or a "link" blob larger than a path), is exit 2 at its entry
// saying so and what to do, not "does not exist" of a path that the
// commit holds; a link blob of 1 MiB is not read.
func TestCheckGitBaselineSaysWhyMissing(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
	head := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD"))
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml, ../sub, l1.yaml, big.yaml]\n")
	gittest.Git(t, dir, "add", "-A")
	for _, l := range []struct{ path, target string }{{"l1.yaml", "l2.yaml"}, {"l2.yaml", "l1.yaml"}, {"big.yaml", strings.Repeat("x/", 1<<19)}} {
		gittest.WriteFile(t, filepath.Join(dir, "target"), l.target)
		sha := strings.TrimSpace(gittest.Git(t, dir, "hash-object", "-w", "target"))
		gittest.Git(t, dir, "update-index", "--add", "--cacheinfo", "120000,"+sha+",shared/base/"+l.path)
	}
	gittest.Git(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+head+",shared/sub")
	gittest.Git(t, dir, "commit", "-q", "-m", "two")
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
	wants := []string{
		`baseline HEAD: shared/base/kustomization.yaml:1:21: resources[1]: kustomization lists "../sub", but shared/sub is in the git submodule shared/sub at the commit, whose files are in another repository: a git baseline does not read them; vendor the files into this repository, or pass --baseline DIR`,
		`baseline HEAD: shared/base/kustomization.yaml:1:29: resources[2]: kustomization lists "l1.yaml", but shared/base/l1.yaml leads through symbolic links that never end at the commit`,
		`baseline HEAD: shared/base/kustomization.yaml:1:38: resources[3]: kustomization lists "big.yaml", but shared/base/big.yaml leads through symbolic links that never end at the commit`,
	}
	for _, slow := range []bool{false, true} {
		for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters/hand"}} {
			code, out := sharedCLI(t, dir, slow, args...)
			for _, want := range wants {
				if code != 2 || !strings.Contains(out, want) {
					t.Errorf("slow=%v %s: exit %d, want 2 with %q:\n%s", slow, args[0], code, want, out)
				}
			}
		}
	}
}
