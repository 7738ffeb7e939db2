package main

import (
	"fmt"
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

// TestCheckDriftReadsThroughLinksAndHiddenFolders: check's copy of the
// rendered output reads what a kustomization under it names through a
// symbolic link (to a folder or a file outside the output, to a rendered
// folder inside it) or in a hidden folder, where the disk's read finds
// it, as validate of the rendered tree does, in both reading paths: it
// said "does not exist" (exit 2) for each. The link to the rendered
// folder reads the rendered files (the efs.yaml the drift re-creates),
// and that folder is not built a second time beside the link.
func TestCheckDriftReadsThroughLinksAndHiddenFolders(t *testing.T) {
	t.Parallel()
	shared := `clusters/%s:14:5: deny ref-by-tier: GitRepository "shared" (dev) follows branch "main"`
	for _, c := range []struct {
		name, kustomization, file string
		setup                     func(t *testing.T, dir string)
	}{
		{"folder link out of the output", "resources:\n- sharedlink\n", "hand/sharedlink/a.yaml", func(t *testing.T, dir string) {
			if err := os.Symlink("../../shared/base", filepath.Join(dir, "clusters", "hand", "sharedlink")); err != nil {
				t.Fatal(err)
			}
		}},
		{"file link out of the output", "resources:\n- a.yaml\n", "hand/a.yaml", func(t *testing.T, dir string) {
			if err := os.Symlink("../../shared/base/a.yaml", filepath.Join(dir, "clusters", "hand", "a.yaml")); err != nil {
				t.Fatal(err)
			}
		}},
		{"hidden folder", "resources:\n- .base\n", "hand/.base/a.yaml", func(t *testing.T, dir string) {
			for _, f := range []string{"a.yaml", "kustomization.yaml"} {
				data, err := os.ReadFile(filepath.Join(dir, "shared", "base", f))
				if err != nil {
					t.Fatal(err)
				}
				gittest.WriteFile(t, filepath.Join(dir, "clusters", "hand", ".base", f), string(data))
			}
		}},
		{"folder link to a rendered folder", "", "", func(t *testing.T, dir string) {
			if err := os.Symlink("dev", filepath.Join(dir, "clusters", "devlink")); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(filepath.Join(dir, "clusters", "hand")); err != nil {
				t.Fatal(err)
			}
			gittest.WriteFile(t, filepath.Join(dir, "clusters", "kustomization.yaml"), "resources:\n- devlink\n- uat\n- prod\n")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := driftedSharedBaseRun(t, c.kustomization)
			c.setup(t, dir)
			for _, slow := range []bool{false, true} {
				code, out := sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
				if code != 1 || strings.Contains(out, "does not exist") || strings.Contains(out, "state-key-unique") {
					t.Errorf("slow=%v: exit %d, want 1 without an input error or a second build:\n%s", slow, code, out)
				}
				if c.file != "" && !strings.Contains(out, fmt.Sprintf(shared, c.file)) {
					t.Errorf("slow=%v: want %q in:\n%s", slow, fmt.Sprintf(shared, c.file), out)
				}
			}
			// validate of the rendered tree says the same
			if code, out := sharedCLI(t, dir, false, "render", "--all"); code != 0 {
				t.Fatalf("render: exit %d:\n%s", code, out)
			}
			for _, slow := range []bool{false, true} {
				code, out := sharedCLI(t, dir, slow, "validate", "--no-baseline", "clusters")
				want := 1
				if c.file == "" {
					want = 0
				}
				if code != want || c.file != "" && !strings.Contains(out, fmt.Sprintf(shared, c.file)) {
					t.Errorf("slow=%v validate: exit %d, want %d:\n%s", slow, code, want, out)
				}
			}
		})
	}
}

// TestCheckDriftDeletedEnvironmentNote: a hand-written kustomization
// lists an environment's folder whose spec is gone. check validates with
// that output in place and its note says what validate will say once the
// render deleted it: the folder does not exist (rendering drops the
// folders its deletions empty), in both reading paths; the note said the
// folder "holds no kustomization.yaml", a folder check's copy kept empty.
func TestCheckDriftDeletedEnvironmentNote(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, out := sharedCLI(t, dir, false, "init"); code != 0 {
		t.Fatalf("init: %d %s", code, out)
	}
	gittest.Init(t, dir)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "kustomization.yaml"), "resources:\n- dev\n- uat\n- prod\n")
	gittest.CommitAll(t, dir, "one")
	if err := os.Remove(filepath.Join(dir, "environments", "uat.yaml")); err != nil {
		t.Fatal(err)
	}
	line := `clusters/kustomization.yaml:3:3: resources[1]: kustomization lists "uat", but clusters/uat does not exist`
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
		if want := "once it is deleted: " + line; code != 1 || !strings.Contains(out, want) {
			t.Errorf("slow=%v check: exit %d, want 1 with %q:\n%s", slow, code, want, out)
		}
	}
	if code, out := sharedCLI(t, dir, false, "render", "--all"); code != 0 {
		t.Fatalf("render: exit %d:\n%s", code, out)
	}
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "validate", "--no-baseline", "clusters")
		if code != 2 || !strings.Contains(out, line) {
			t.Errorf("slow=%v validate: exit %d, want 2 with %q:\n%s", slow, code, line, out)
		}
	}
}

// TestCheckDriftHoldsAnyFileName: check's copy of the output holds files
// whose names kustomize's in-memory file system refuses (a space, "(1)",
// non-ASCII, ".." inside a name): with drift, check read none of the
// tree ("illegal name 'read me.md' in file creation", exit 2) where
// validate reads it; now both report the objects of those files, in both
// reading paths.
func TestCheckDriftHoldsAnyFileName(t *testing.T) {
	t.Parallel()
	dir := driftedSharedBaseRun(t, "resources:\n- ../../shared/base\n")
	branch := strings.Replace(sharedGitRepository("v1.0.0"), "tag: v1.0.0", "branch: main", 1)
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "docs", "read me.md"), "notes\n")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "café", "deploy (1).yaml"), strings.Replace(branch, "name: shared", "name: walked", 1))
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "k", "kustomization.yaml"), "resources:\n- app..v2.yaml\n")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "k", "app..v2.yaml"), strings.Replace(branch, "name: shared", "name: listed", 1))
	wants := []string{
		`clusters/café/deploy (1).yaml:14:5: deny ref-by-tier: GitRepository "walked" (dev) follows branch "main"`,
		`clusters/k/app..v2.yaml:14:5: deny ref-by-tier: GitRepository "listed" (dev) follows branch "main"`,
		`shared/base/a.yaml:14:5: deny ref-by-tier: GitRepository "shared" (dev) follows branch "main"`,
	}
	for _, slow := range []bool{false, true} {
		code, out := sharedCLI(t, dir, slow, "check", "--no-baseline", "--diff=false")
		if code != 1 {
			t.Errorf("slow=%v check: exit %d, want 1:\n%s", slow, code, out)
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("slow=%v check: want %q in:\n%s", slow, want, out)
			}
		}
	}
	if code, out := sharedCLI(t, dir, false, "render", "--all"); code != 0 {
		t.Fatalf("render: exit %d:\n%s", code, out)
	}
	code, out := sharedCLI(t, dir, false, "validate", "--no-baseline", "clusters")
	for _, want := range wants {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("validate: exit %d, want 1 with %q:\n%s", code, want, out)
		}
	}
}

// TestCheckGitBaselineHoldsAnyFileName: a git baseline holds files whose
// names kustomize's in-memory file system refuses: a committed "read
// me.md" or "café/deploy (1).yaml" under the paths made every check and
// validate against the commit exit 2 ("cannot read the baseline HEAD:
// ... illegal name"); now the commit's file is compared (a tag going
// back is no-downgrade), in both reading paths.
func TestCheckGitBaselineHoldsAnyFileName(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- ../../shared/base\n")
	gittest.WriteFile(t, filepath.Join(dir, "clusters", "docs", "read me.md"), "notes\n")
	odd := filepath.Join(dir, "clusters", "café", "deploy (1).yaml")
	gittest.WriteFile(t, odd, strings.Replace(sharedGitRepository("v2.0.0"), "name: shared", "name: odd", 1))
	gittest.CommitAll(t, dir, "odd names")
	gittest.WriteFile(t, odd, strings.Replace(sharedGitRepository("v1.0.0"), "name: shared", "name: odd", 1))
	want := `clusters/café/deploy (1).yaml:14:5: deny no-downgrade: GitRepository "odd" (dev) goes back from module v2.0.0 to v1.0.0`
	for _, slow := range []bool{false, true} {
		for _, args := range [][]string{{"check", "--diff=false"}, {"validate", "--baseline-ref", "HEAD", "clusters"}} {
			code, out := sharedCLI(t, dir, slow, args...)
			if code != 1 || !strings.Contains(out, want) {
				t.Errorf("slow=%v %s: exit %d, want 1 with %q:\n%s", slow, args[0], code, want, out)
			}
		}
	}
}
