package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKustomizeOutsideRootWouldLeak is the control of the
// kustomize-outside-root cases of TestBadInput: the same printing policy
// on the same kustomization does print a file's content into the report
// when the file is inside the repository root, so the absence of the
// secret there is the confinement's doing, not the policy's.
func TestKustomizeOutsideRootWouldLeak(t *testing.T) {
	t.Parallel()
	src := filepath.Join(repoRoot, "fixtures", "bad-input", "kustomize-outside-root")
	run := t.TempDir()
	copyAs("dotdot", "app")(t, run, src)
	copyAs("policy", "policy")(t, run, src)
	kust := filepath.Join(run, "app", "kustomization.yaml")
	data, err := os.ReadFile(kust)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(run, "app", "inside.env"), []byte("TOKEN="+outsideSecret+"\n"))
	writeFile(t, filepath.Join(run, "outside.env"), []byte("TOKEN="+outsideSecret+"\n"))
	writeFile(t, kust, []byte(strings.Replace(string(data), "../../outside.env", "inside.env", 1)))
	code, stdout, stderr := runCLI(t, "validate", filepath.Join(run, "app"), "--policy", filepath.Join(run, "policy"))
	if code != exitFindings || !strings.Contains(stdout, outsideSecret) {
		t.Fatalf("inside the root: exit %d, stdout %q, stderr %q; want exit 1 with the policy printing the value", code, stdout, stderr)
	}
	writeFile(t, kust, []byte(strings.Replace(string(data), "../../outside.env", "../outside.env", 1)))
	code, stdout, stderr = runCLI(t, "validate", filepath.Join(run, "app"), "--policy", filepath.Join(run, "policy"))
	if code != exitInput || strings.Contains(stdout+stderr, outsideSecret) || !strings.Contains(stderr, `"../outside.env" is outside the repository root`) {
		t.Fatalf("outside the root: exit %d, stdout %q, stderr %q; want exit 2 naming the entry, and no secret", code, stdout, stderr)
	}
}
