package check_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/gittest"
	"github.com/digx/fluxtf/policies"
)

// TestDriftFindings: the render-drift finding of each kind of change to
// the committed output, at its file and line, naming the render that
// fixes it with the folders of this check (a deleted spec's output:
// TestOrphanedOutput); and an input error of the specs stops the check.
func TestDriftFindings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eks := filepath.Join("dev", "digx-dev-eu-west-1", "eks.yaml")
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		// file is the drifted file under clusters/, line the finding's,
		// says in its message; none: no drift
		file, says string
		line       int
		err        string // the check's error instead
	}{
		{name: "unchanged"},
		{
			name: "spec edited", change: makeDrift,
			file: eks, line: 1, says: "is out of date with the dev spec; run make render ENV=dev (fluxtf render --env dev --specs ",
		},
		{
			name: "output file deleted", file: eks, says: "is missing: the dev spec renders it; run make render ENV=dev (fluxtf render --env dev --specs ",
			change: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "clusters", eks)); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "no specs folder", err: "does not exist",
			change: func(t *testing.T, dir string) {
				if err := os.RemoveAll(filepath.Join(dir, "environments")); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "bad spec", err: "dev.yaml:",
			change: func(t *testing.T, dir string) {
				gittest.WriteFile(t, filepath.Join(dir, "environments", "dev.yaml"), "apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: dev\nnoSuchField: 1\n")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := devRepo(t, true)
			if tt.change != nil {
				tt.change(t, dir)
			}
			res, err := check.Run(ctx, engine, check.Options{
				Render: generator.Options{
					LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join(dir, "environments")},
					OutDir:      filepath.Join(dir, "clusters"),
				},
				BaselineRef: "HEAD", RepoDir: dir, Now: now,
			})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Report.Rule(check.RuleDrift) == nil {
				t.Error("render-drift is not among the report's rules")
			}
			drift := findings(res.Report, check.RuleDrift)
			if tt.file == "" {
				if len(drift) > 0 || res.Report.Failed() {
					t.Errorf("drift %+v on an unchanged tree (failed %v)", drift, res.Report.Failed())
				}
				return
			}
			want := filepath.Join(dir, "clusters", tt.file)
			var got *finding.Finding
			for i := range drift {
				if drift[i].File == want {
					got = &drift[i]
				}
			}
			if got == nil {
				t.Fatalf("no drift finding at %s: %+v", want, drift)
			}
			if got.Line != tt.line || got.Severity != finding.Deny || !strings.HasPrefix(got.Message, want+" "+tt.says) || !strings.Contains(got.Message, " --out "+filepath.Join(dir, "clusters")) {
				t.Errorf("finding %+v, want line %d and a message %q ... --out %s", *got, tt.line, want+" "+tt.says, filepath.Join(dir, "clusters"))
			}
			if !res.Report.Failed() {
				t.Error("drift does not fail the report")
			}
		})
	}
}
