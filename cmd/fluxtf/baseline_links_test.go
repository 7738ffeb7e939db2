package main

import (
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
	// the real folder is hidden: the walk reaches it through the link only
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".base", "podinfo", "a.yaml"), sharedGitRepository("v2.0.0"))
	for link, target := range map[string]string{"clusters/podinfo": ".base/podinfo", "clusters/.base/podinfo/again": "../.."} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	gittest.CommitAll(t, dir, "one")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".base", "podinfo", "a.yaml"), sharedGitRepository("v1.0.0"))
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
