package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
)

// driftedSharedBaseRun is sharedBaseRun with a shared base whose
// GitRepository follows a branch (a ref-by-tier finding at
// shared/base/a.yaml, which only a build that read the base reports) and
// a rendered file deleted, so that check validates its in-memory copy of
// the rendered output (runinput.Overlay) rather than the disk.
func driftedSharedBaseRun(t *testing.T, kustomization string) string {
	t.Helper()
	dir := sharedBaseRun(t, kustomization)
	gittest.WriteFile(t, filepath.Join(dir, "shared", "base", "a.yaml"), strings.Replace(sharedGitRepository("v1.0.0"), "tag: v1.0.0", "branch: main", 1))
	if err := os.Remove(filepath.Join(dir, "clusters", "dev", "digx-dev-eu-west-1", "efs.yaml")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCheckDriftReadsSharedBase: when the render drifts, check's copy of
// the rendered output reads a hand-written kustomization's shared base
// outside it from the disk, as validate and a check without drift do, in
// fluxtf's own reading and kustomize's build (FLUXTF_SLOW=1) alike: the
// drift (exit 1) and the base's own finding, where it failed with exit 2
// "shared/base does not exist".
func TestCheckDriftReadsSharedBase(t *testing.T) {
	t.Parallel()
	for _, k := range []string{"resources:\n- ../../shared/base\n", "namespace: flux-system\nresources:\n- ../../shared/base\n"} {
		dir := driftedSharedBaseRun(t, k)
		wants := []string{
			`shared/base/a.yaml:14:5: deny ref-by-tier: GitRepository "shared" (dev) follows branch "main"`,
			"clusters/dev/digx-dev-eu-west-1/efs.yaml",
		}
		for _, slow := range []bool{false, true} {
			code, out := sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
			if code != 1 || strings.Contains(out, "does not exist") {
				t.Errorf("%q slow=%v: exit %d, want 1 without an input error:\n%s", k, slow, code, out)
			}
			for _, want := range wants {
				if !strings.Contains(out, want) {
					t.Errorf("%q slow=%v: want %q in:\n%s", k, slow, want, out)
				}
			}
		}
	}
}

// TestCheckDriftEscapeIsInputError: an entry that leads out of the
// repository from check's copy of the rendered output is exit 2 at its
// file:line with validate's error, in both reading paths; a symbolic
// link out of it and a FIFO outside the output are refused with
// validate's errors too.
func TestCheckDriftEscapeIsInputError(t *testing.T) {
	t.Parallel()
	dir := driftedSharedBaseRun(t, "resources:\n- ../../../outside\n")
	gittest.WriteFile(t, filepath.Join(filepath.Dir(dir), "outside", "kustomization.yaml"), "resources: []\n")
	if err := os.Symlink(filepath.Join(filepath.Dir(dir), "outside"), filepath.Join(dir, "shared", "link")); err != nil {
		t.Fatal(err)
	}
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "link", "kustomization.yaml"), "resources:\n- ../../shared/link\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "shared", "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "fifo", "kustomization.yaml"), "resources:\n- ../../shared/fifo.yaml\n")
	wants := []string{
		`clusters/hand/kustomization.yaml:2:3: resources[0]: "../../../outside" is outside the repository root ` + dir,
		`clusters/link/kustomization.yaml:2:3: resources[0]: "../../shared/link" leads through a symbolic link to ` + filepath.Join(filepath.Dir(dir), "outside") + `, outside the repository root ` + dir,
		`clusters/fifo/kustomization.yaml:2:3: resources[0]: "../../shared/fifo.yaml" is not a regular file (p---------)`,
	}
	for _, slow := range []bool{false, true} {
		for _, args := range [][]string{{"validate", "clusters"}, {"check", "--no-baseline", "--diff=false"}} {
			code, out := sharedCLI(t, dir, slow, args...)
			if code != 2 {
				t.Errorf("slow=%v %s: exit %d, want 2:\n%s", slow, args[0], code, out)
			}
			for _, want := range wants {
				if !strings.Contains(out, want) {
					t.Errorf("slow=%v %s: want %q in:\n%s", slow, args[0], want, out)
				}
			}
		}
	}
}
