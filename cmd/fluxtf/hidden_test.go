package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
)

// TestHiddenFolderIsReadAsFlux: a folder walk reads a hidden folder
// (clusters/.staging) and a hidden YAML file as Flux's kustomize-controller
// does where it generates a kustomization, so a GitRepository there that
// follows a branch is a deny finding, in validate, in check and in check
// with drift (its copy of the rendered output), in both reading paths;
// fluxtf skipped them with a note (exit 0). What Flux's source leaves out
// by default (.github/, .sops.yaml) stays unread. The git baseline's
// walk reads the hidden folder at HEAD as the disk's walk reads it: a tag
// going back there (v2.0.0 -> v1.0.0) is no-downgrade.
func TestHiddenFolderIsReadAsFlux(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
	branch := strings.Replace(sharedGitRepository("v1.0.0"), "tag: v1.0.0", "branch: main", 1)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".staging", "a.yaml"), branch)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".b.yaml"), strings.Replace(branch, "name: shared", "name: dotted", 1))
	for _, f := range []string{".github/workflows/x.yaml", ".sops.yaml", ".staging/.sops.yaml"} {
		gittest.WriteFile(t, filepath.Join(dir, "clusters", filepath.FromSlash(f)), strings.Replace(branch, "name: shared", "name: unread", 1))
	}
	wants := []string{
		`clusters/.staging/a.yaml:14:5: deny ref-by-tier: GitRepository "shared" (dev) follows branch "main"`,
		`clusters/.b.yaml:14:5: deny ref-by-tier: GitRepository "dotted" (dev) follows branch "main"`,
	}
	runs := func(stage string, runs ...[]string) {
		for _, slow := range []bool{false, true} {
			for _, args := range runs {
				code, out := sharedCLI(t, dir, slow, args...)
				if code != exitFindings || strings.Contains(out, `"unread"`) || strings.Contains(out, "hidden") {
					t.Errorf("%s slow=%v %s: exit %d, want 1, nothing from .github or .sops.yaml, no note on hidden files:\n%s", stage, slow, args[0], code, out)
				}
				for _, want := range wants {
					if !strings.Contains(out, want) {
						t.Errorf("%s slow=%v %s: want %q:\n%s", stage, slow, args[0], want, out)
					}
				}
			}
		}
	}
	runs("in sync", []string{"validate", "--no-baseline", "clusters"}, []string{"check", "--no-baseline", "--diff=false"})
	efs := filepath.Join(dir, "clusters", "dev", "digx-dev-eu-west-1", "efs.yaml")
	rendered, err := os.ReadFile(efs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(efs); err != nil {
		t.Fatal(err)
	}
	runs("drifted", []string{"check", "--no-baseline", "--diff=false"})
	gittest.WriteFile(t, efs, string(rendered))

	// the git baseline reads the hidden folder at HEAD
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".staging", "a.yaml"), sharedGitRepository("v2.0.0"))
	gittest.CommitAll(t, dir, "staging")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", ".staging", "a.yaml"), sharedGitRepository("v1.0.0"))
	want := `clusters/.staging/a.yaml:14:5: deny no-downgrade: GitRepository "shared" (dev) goes back from module v2.0.0 to v1.0.0`
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "validate", "clusters/.staging", "--baseline-ref", "HEAD")
		if code != exitFindings || !strings.Contains(out, want) {
			t.Errorf("slow=%v validate clusters/.staging --baseline-ref HEAD: exit %d, want 1 with %q:\n%s", slow, code, want, out)
		}
		code, out = sharedCLI(t, dir, slow, "validate", "clusters", "--baseline-ref", "HEAD")
		if code != exitFindings || !strings.Contains(out, want) {
			t.Errorf("slow=%v validate clusters --baseline-ref HEAD: exit %d, want 1 with %q:\n%s", slow, code, want, out)
		}
	}
}
