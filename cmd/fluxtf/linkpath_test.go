package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gittest"
)

// symlink makes link (a path under dir) a symbolic link to target.
func symlink(t *testing.T, dir, target, link string) {
	t.Helper()
	p := filepath.Join(dir, link)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// whereConfigMap is a ConfigMap whose data says where it was read from,
// for the printing policy of kustomize-outside-root.
func whereConfigMap(where string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  where: " + where + "\n"
}

// TestLinkedFolderEntriesClimbFromTheTarget: a kustomization in a folder
// reached through a symbolic link (the path named, clusters ->
// deploy/clusters; a link in the middle of a resources entry; a link
// named as a resource) takes its ".." entries from where the link leads,
// as kustomize does (its loader evaluates the links of every
// kustomization's folder) and so Flux's kustomize-controller: both
// reading paths read deploy/shared/base, not the shared/base the link's
// spelling climbs to. fluxtf's own reading resolved ".." through the
// spelling, so it read the other base (or said "does not exist" where
// kustomize built). An entry that climbs out of the repository from the
// link's target is exit 2 at its file:line, though the spelling stays
// inside.
func TestLinkedFolderEntriesClimbFromTheTarget(t *testing.T) {
	t.Parallel()
	run := t.TempDir()
	dir := filepath.Join(run, "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Init(t, dir)
	copyAs("policy", "policy")(t, dir, filepath.Join(repoRoot, "fixtures", "bad-input", "kustomize-outside-root"))
	gittest.WriteFile(t, filepath.Join(dir, "deploy", "clusters", "app", "kustomization.yaml"), "resources:\n- ../../shared/base\n")
	for where, base := range map[string]string{"deploy": "deploy/shared/base", "top": "shared/base"} {
		gittest.WriteFile(t, filepath.Join(dir, base, "kustomization.yaml"), "resources:\n- cm.yaml\n")
		gittest.WriteFile(t, filepath.Join(dir, base, "cm.yaml"), whereConfigMap(where))
	}
	symlink(t, dir, "deploy/clusters", "clusters")
	// a link in the middle of an entry, and a link named as a resource
	gittest.WriteFile(t, filepath.Join(dir, "top", "kustomization.yaml"), "resources:\n- ../clusters/app\n")
	gittest.WriteFile(t, filepath.Join(dir, "apps", "kustomization.yaml"), "resources:\n- linked\n")
	symlink(t, dir, "../deploy/clusters/app", "apps/linked")
	// climbing out of the repository from the link's target: a/b -> c
	gittest.WriteFile(t, filepath.Join(dir, "c", "k", "kustomization.yaml"), "resources:\n- ../../../x\n")
	symlink(t, dir, "../c", "a/b")
	for _, d := range []string{filepath.Join(dir, "x"), filepath.Join(run, "x")} {
		gittest.WriteFile(t, filepath.Join(d, "kustomization.yaml"), "resources:\n- cm.yaml\n")
		gittest.WriteFile(t, filepath.Join(d, "cm.yaml"), whereConfigMap("x"))
	}
	for _, slow := range []bool{false, true} {
		for _, path := range []string{"clusters/app", "top", "apps"} {
			code, out := sharedCLI(t, dir, slow, "validate", "--no-baseline", path, "--policy", "policy")
			if code != exitFindings || !strings.Contains(out, "where=deploy") || strings.Contains(out, "where=top") {
				t.Errorf("slow=%v validate %s: exit %d, want 1 with the ConfigMap of deploy/shared/base only:\n%s", slow, path, code, out)
			}
		}
		code, out := sharedCLI(t, dir, slow, "validate", "--no-baseline", "a/b/k", "--policy", "policy")
		want := `a/b/k/kustomization.yaml:2:3: resources[0]: "../../../x" is outside the repository root ` + dir
		if code != exitInput || !strings.Contains(out, want) || strings.Contains(out, "where=x") {
			t.Errorf("slow=%v validate a/b/k: exit %d, want 2 with %q:\n%s", slow, code, want, out)
		}
	}
}

// TestCheckLinkedHandWrittenFolder: a hand-written kustomization under
// the rendered output names a symbolic link to a folder elsewhere
// (clusters/hand/linked -> ../../deploy/hand), whose kustomization takes
// "../base" from where the link leads (deploy/base), in validate, in
// check and in check with drift (its copy of the rendered output), in
// both reading paths; fluxtf's own reading looked for clusters/hand/base
// and said "does not exist" (exit 2).
func TestCheckLinkedHandWrittenFolder(t *testing.T) {
	t.Parallel()
	dir := sharedBaseRun(t, "resources:\n- linked\n")
	gittest.WriteFile(t, filepath.Join(dir, "deploy", "hand", "kustomization.yaml"), "resources:\n- ../base\n")
	gittest.WriteFile(t, filepath.Join(dir, "deploy", "base", "kustomization.yaml"), "resources: [a.yaml]\n")
	gittest.WriteFile(t, filepath.Join(dir, "deploy", "base", "a.yaml"), strings.Replace(sharedGitRepository("v1.0.0"), "tag: v1.0.0", "branch: main", 1))
	symlink(t, dir, "../../deploy/hand", "clusters/hand/linked")
	want := `deploy/base/a.yaml:14:5: deny ref-by-tier: GitRepository "shared" (dev) follows branch "main"`
	runs := func(stage string, runs ...[]string) {
		for _, slow := range []bool{false, true} {
			for _, args := range runs {
				code, out := sharedCLI(t, dir, slow, args...)
				if code != exitFindings || !strings.Contains(out, want) || strings.Contains(out, "does not exist") {
					t.Errorf("%s slow=%v %s: exit %d, want 1 with %q:\n%s", stage, slow, args[0], code, want, out)
				}
			}
		}
	}
	runs("in sync", []string{"validate", "--no-baseline", "clusters"}, []string{"check", "--no-baseline", "--diff=false"})
	if err := os.Remove(filepath.Join(dir, "clusters", "dev", "digx-dev-eu-west-1", "efs.yaml")); err != nil {
		t.Fatal(err)
	}
	runs("drifted", []string{"check", "--no-baseline", "--diff=false"})
}
