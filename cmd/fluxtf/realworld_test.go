package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
)

// TestValidateRealworldRepositories runs `fluxtf validate` on the root of
// each public repository SOURCES.md lists in ../shared/realworld, as a new
// user would: no deny finding, exit 0. YAML that is not a Kubernetes
// object (a Taskfile) met by the walk is skipped with one note that counts
// it; named on the command line it is an error (exit 2).
func TestValidateRealworldRepositories(t *testing.T) {
	t.Parallel()
	root := crdtest.SharedDir(t, "realworld") // skips when absent, fails under CI=true
	sources, err := os.ReadFile(filepath.Join(root, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	// the table's rows: | folder | github.com/... | commit | licence |
	var repos []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([\w.-]+) \| github\.com/`).FindAllStringSubmatch(string(sources), -1) {
		repos = append(repos, m[1])
	}
	if len(repos) < 3 {
		t.Fatalf("SOURCES.md lists %d repositories: %q", len(repos), repos)
	}
	// the YAML files of each repository that hold no Kubernetes object,
	// hidden ones included (a walk reads them, as Flux does), outside
	// what Flux's source leaves out (.github, which a walk skips whole)
	notKubernetes := map[string][]string{"gitops-flux2-example": {".pre-commit-config.yaml", "Taskfile.yml"}}
	for _, repo := range repos {
		t.Run(repo, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(root, repo)
			code, stdout, stderr := runCLI(t, "validate", dir, "--output", "json")
			if code != 0 {
				t.Fatalf("exit %d, want 0\n%s", code, stderr)
			}
			var rep struct {
				Findings []struct{ Rule, Severity, File, Message string }
				Notes    []string
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("json: %v\n%s", err, stdout)
			}
			for _, f := range rep.Findings {
				if f.Severity == "deny" {
					t.Errorf("deny %s: %s: %s", f.Rule, f.File, f.Message)
				}
			}
			var skipped []string
			for _, n := range rep.Notes {
				if strings.HasPrefix(n, "skipped ") && strings.Contains(n, "without a Kubernetes object") {
					skipped = append(skipped, n)
				}
			}
			want := notKubernetes[repo]
			switch {
			case len(want) == 0 && len(skipped) != 0:
				t.Errorf("notes %q, want no skipped file", skipped)
			case len(want) > 0 && len(skipped) != 1:
				t.Errorf("notes %q, want one note counting the files skipped", rep.Notes)
			case len(want) > 0:
				if !strings.HasPrefix(skipped[0], "skipped "+yamlFiles(len(want))) {
					t.Errorf("note %q does not count %d", skipped[0], len(want))
				}
				for _, f := range want {
					if !strings.Contains(skipped[0], filepath.Join(dir, f)) {
						t.Errorf("note %q does not name %s", skipped[0], f)
					}
				}
			}
			for _, f := range want {
				code, stdout, stderr := runCLI(t, "validate", filepath.Join(dir, f))
				if code != exitInput || stdout != "" || !regexp.MustCompile(regexp.QuoteMeta(f)+`:\d+:1: not a Kubernetes object`).MatchString(stderr) {
					t.Errorf("validate %s: exit %d, stdout %q, stderr %q; want exit 2 with an error naming it", f, code, stdout, stderr)
				}
			}
		})
	}
}

// yamlFiles says "1 YAML file " or "2 YAML files ", as the note counts.
func yamlFiles(n int) string {
	if n == 1 {
		return "1 YAML file "
	}
	return fmt.Sprintf("%d YAML files ", n)
}
