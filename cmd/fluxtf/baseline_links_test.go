package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
)

// TestCheckGitBaselineWalksLinkedFolders: a git baseline's folder walk
// follows a symbolic link to a folder inside the folder walked as the
// disk walk does in the working tree, so the objects read through it
// have their baseline: a tag going back under the linked folder
// (v2.0.0 -> v1.0.0) is no-downgrade, where the baseline only noted the
// link and the rules skipped the object. A link to a folder above
// (a loop) ends. validate and check alike, in both reading paths.
func TestCheckGitBaselineWalksLinkedFolders(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, out := sharedCLI(t, dir, false, "init"); code != 0 {
		t.Fatalf("init: %d %s", code, out)
	}
	gittest.Init(t, dir)
	// the real folder is one Flux's source leaves out (.github), which the
	// walk skips: it reaches the folder through the link only
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".github", "podinfo", "a.yaml"), sharedGitRepository("v2.0.0"))
	for link, target := range map[string]string{"clusters/podinfo": ".github/podinfo", "clusters/.github/podinfo/again": "../.."} {
		gittest.Symlink(t, target, filepath.Join(dir, filepath.FromSlash(link)))
	}
	gittest.CommitAll(t, dir, "one")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".github", "podinfo", "a.yaml"), sharedGitRepository("v1.0.0"))
	want := `clusters/podinfo/a.yaml:14:5: deny no-downgrade: GitRepository "shared" (dev) goes back from module v2.0.0 to v1.0.0`
	for _, slow := range []bool{false, true} {
		for _, args := range [][]string{{"check", "--baseline-ref", "HEAD", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters"}} {
			code, out := sharedCLI(t, dir, slow, args...)
			if code != 1 || !strings.Contains(out, want) || strings.Contains(out, "not followed") {
				t.Errorf("slow=%v %s: exit %d, want 1 with %q:\n%s", slow, args[0], code, want, out)
			}
		}
	}
}

// TestKustomizationLinkLoopSaysSo: a kustomization entry that is a
// symbolic link loop (a.yaml -> b.yaml -> a.yaml) is exit 2 at the
// entry's file:line saying the links never end and to fix them, not
// "does not exist" (the links plainly exist): validate, check without
// and with drift (its copy of the output reads the base from the disk),
// in both reading paths, and a git baseline holding the loop.
func TestKustomizationLinkLoopSaysSo(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml, l1.yaml]\n")
	for link, target := range map[string]string{"l1.yaml": "l2.yaml", "l2.yaml": "l1.yaml"} {
		gittest.Symlink(t, target, filepath.Join(dir, "shared", "base", link))
	}
	want := `shared/base/kustomization.yaml:1:21: resources[1]: kustomization lists "l1.yaml", but shared/base/l1.yaml leads through symbolic links that never end`
	run := func(what string, code int, out string) {
		t.Helper()
		if code != 2 || !strings.Contains(out, want) || !strings.Contains(out, "fix") || strings.Contains(out, "does not exist") || strings.Count(strings.TrimSpace(out), "\n") != 0 {
			t.Errorf("%s: exit %d, want 2 with %q:\n%s", what, code, want, out)
		}
	}
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "validate", "--no-baseline", "clusters/hand")
		run(fmt.Sprintf("slow=%v validate", slow), code, out)
		code, out = sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
		run(fmt.Sprintf("slow=%v check", slow), code, out)
	}
	if err := os.Remove(filepath.Join(dir, "clusters", "dev", "digx-dev-eu-west-1", "efs.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
		run(fmt.Sprintf("slow=%v check with drift", slow), code, out)
	}
	// the loop at the commit only: the baseline's error says so too
	gittest.Git(t, dir, "checkout", "-q", "--", "clusters")
	gittest.CommitAll(t, dir, "loop")
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
	want = "baseline HEAD: " + want
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "check", "--baseline-ref", "HEAD", "--diff=false")
		run(fmt.Sprintf("slow=%v check, git baseline", slow), code, out)
	}
}
