package manifest

import (
	"path/filepath"
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
