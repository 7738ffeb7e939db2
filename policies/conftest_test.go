package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/finding"
)

// conftestResult is one entry of `conftest test --output json`.
type conftestResult struct {
	Namespace string `json:"namespace"`
	Failures  []struct {
		Msg      string         `json:"msg"`
		Metadata map[string]any `json:"metadata"`
	} `json:"failures"`
	Warnings []struct {
		Msg      string         `json:"msg"`
		Metadata map[string]any `json:"metadata"`
	} `json:"warnings"`
}

// TestConftestParity runs the embedded policies unchanged under conftest
// (`conftest test --combine --all-namespaces`) on every rule fixture and on
// the generated examples, and checks conftest reports exactly the findings
// fluxtf's engine reports on the same files without a baseline. conftest
// comes from `make tools` (bin/tools is on the PATH there).
func TestConftestParity(t *testing.T) {
	t.Parallel()
	crdtest.Integration(t, "conftest")
	conftest, err := exec.LookPath("conftest")
	if err != nil {
		conftest = filepath.Join("..", "bin", "tools", "conftest")
		if _, err := os.Stat(conftest); err != nil {
			t.Fatal("conftest is not installed; run `make tools` (or `make test`, which installs the pinned conftest into bin/tools)")
		}
	}
	var dirs []string
	for _, kind := range []string{"deny", "pass"} {
		m, _ := filepath.Glob(filepath.Join("..", "fixtures", "policies", "*", kind))
		dirs = append(dirs, m...)
	}
	for _, env := range []string{"dev", "uat", "prod"} {
		dirs = append(dirs, filepath.Join("..", "fixtures", "clusters", env))
	}
	if len(dirs) < 35 {
		t.Fatalf("only %d fixture folders", len(dirs))
	}
	e := newEngine(t, Options{})
	for _, dir := range dirs {
		t.Run(strings.TrimPrefix(dir, "../fixtures/"), func(t *testing.T) {
			t.Parallel()
			var files []string
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") && d.Name() != "kustomization.yaml" {
					files = append(files, p)
				}
				return err
			})
			sort.Strings(files)
			args := append([]string{"test", "--combine", "--all-namespaces", "--no-color", "--output", "json", "--policy", "."}, files...)
			cmd := exec.Command(conftest, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run() // exits 1 on failures
			var results []conftestResult
			if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
				t.Fatalf("conftest output: %v\n%s%s", err, stdout.String(), stderr.String())
			}
			var theirs []string
			for _, r := range results {
				for _, f := range r.Failures {
					theirs = append(theirs, key(finding.Deny, f.Msg, f.Metadata))
				}
				for _, f := range r.Warnings {
					theirs = append(theirs, key(finding.Warn, f.Msg, f.Metadata))
				}
			}
			rep, err := e.Validate(context.Background(), ValidateOptions{Paths: files, Now: fixtureNow})
			if err != nil {
				t.Fatal(err)
			}
			var ours []string
			for _, f := range rep.Findings {
				if isEngineRule(f.Rule) || dateRules[f.Rule] {
					continue
				}
				ours = append(ours, key(f.Severity, f.Message, map[string]any{"rule": f.Rule, "kind": f.Kind, "namespace": f.Namespace, "name": f.Name, "field": f.Field}))
			}
			sort.Strings(theirs)
			sort.Strings(ours)
			if strings.Join(theirs, "\n") != strings.Join(ours, "\n") {
				t.Errorf("conftest:\n%s\nfluxtf:\n%s", strings.Join(theirs, "\n"), strings.Join(ours, "\n"))
			}
		})
	}
}

// dateRules compare dates with the run's day, which fluxtf passes
// (context.today) and conftest does not: under conftest they report only
// what needs no date (an unknown Python version), and here, only fluxtf
// would report the rest.
var dateRules = map[string]bool{"functions-python-supported": true, "functions-python-end-of-support": true}

func key(sev finding.Severity, msg string, md map[string]any) string {
	s := func(k string) string { v, _ := md[k].(string); return v }
	return fmt.Sprintf("%s %s %s/%s/%s %s: %s", sev, s("rule"), s("kind"), s("namespace"), s("name"), s("field"), msg)
}
