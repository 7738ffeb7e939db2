package manifest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCheckAfterAnotherIsTheSame: Check decodes into objects it uses
// again (terraforms, gitRepositories); a document checked after any other
// (a full rendered Terraform and GitRepository, invalid ones, other
// kinds) gives the errors and findings it gives checked first.
func TestCheckAfterAnotherIsTheSame(t *testing.T) {
	files, err := filepath.Glob("testdata/check/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rendered, err := filepath.Glob(filepath.Join(repoRoot(t), "fixtures", "clusters", "*", "*", "*.yaml"))
	if err != nil || len(rendered) == 0 {
		t.Fatalf("no rendered fixtures: %v", err)
	}
	files = append(files, rendered[0], filepath.Join(filepath.Dir(filepath.Dir(rendered[0])), "gitrepository.yaml"))
	check := func(file string) string {
		set, _ := Load([]string{file}, Options{})
		errs, problems := set.Check()
		return strings.Join(append(errStrings(errs), findingStrings(problems)...), "\n")
	}
	alone := map[string]string{}
	for _, f := range files {
		alone[f] = check(f)
	}
	for _, first := range files {
		for _, f := range files {
			check(first)
			if got := check(f); got != alone[f] {
				t.Errorf("%s checked after %s:\n%s\nchecked first:\n%s", f, first, got, alone[f])
			}
		}
	}
}

// TestSharedResourceIsCopied: a file that two plain kustomizations list
// yields an object for each, naming its own kustomization; a file listed
// once yields its document itself.
func TestSharedResourceIsCopied(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("shared/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
	write("k1/own.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: own\n")
	write("k1/kustomization.yaml", "resources:\n- ../shared/a.yaml\n- own.yaml\n")
	write("k2/kustomization.yaml", "resources:\n- ../shared/a.yaml\n")
	set, err := Load([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range set.Docs {
		rel, _ := filepath.Rel(root, d.Kustomization)
		got = append(got, d.Name+" "+rel)
	}
	slices.Sort(got)
	want := []string{"a k1/kustomization.yaml", "a k2/kustomization.yaml", "own k1/kustomization.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("objects %q, want %q", got, want)
	}
}
