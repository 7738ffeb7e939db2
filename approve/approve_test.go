package approve

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/generator"
)

// TestEdit: the approval lands in the spec's text with nothing else
// changed, whatever shape the approvals list has.
func TestEdit(t *testing.T) {
	t.Parallel()
	a := generator.Approval{Target: "t1", Plan: "plan-v1.0.0-0123456789"}
	tests := []struct {
		name     string
		in       string
		approval generator.Approval
		want     string
		wantLine int
		wantErr  string
	}{
		{
			name:     "no approvals, no final line break",
			in:       "name: prod  # comment\nsource: {tag: v1.0.0}",
			approval: a,
			want:     "name: prod  # comment\nsource: {tag: v1.0.0}\napprovals:\n  - target: t1\n    plan: plan-v1.0.0-0123456789\n",
			wantLine: 5,
		},
		{
			name:     "component entry appended after a block item and its comment lines stay",
			in:       "approvals:\n    # keep\n    - target: t1\n      plan: plan-v1.0.0-aaaaaaaaaa   # old\nwaivers: []\n",
			approval: generator.Approval{Target: "t1", Component: "efs", Plan: "plan-v1.0.0-0123456789"},
			want:     "approvals:\n    # keep\n    - target: t1\n      plan: plan-v1.0.0-aaaaaaaaaa   # old\n    - target: t1\n      component: efs\n      plan: plan-v1.0.0-0123456789\nwaivers: []\n",
			wantLine: 7,
		},
		{
			name:     "plan replaced in place, comment kept",
			in:       "approvals:\n- target: t1\n  plan: plan-v1.0.0-aaaaaaaaaa   # old\n",
			approval: a,
			want:     "approvals:\n- target: t1\n  plan: plan-v1.0.0-0123456789   # old\n",
			wantLine: 3,
		},
		{
			name:     "quoted plan replaced",
			in:       "approvals:\n  - {target: t1, component: eks, plan: \"plan-v1.0.0-aaaaaaaaaa\"}\n",
			approval: generator.Approval{Target: "t1", Component: "base", Plan: "plan-v1.0.0-0123456789"},
			want:     "approvals:\n  - {target: t1, component: eks, plan: plan-v1.0.0-0123456789}\n",
			wantLine: 2,
		},
		{
			name:     "flow items get a flow item",
			in:       "approvals:\n  - {target: t2, plan: plan-v1.0.0-aaaaaaaaaa}\n# end\n",
			approval: a,
			want:     "approvals:\n  - {target: t2, plan: plan-v1.0.0-aaaaaaaaaa}\n  - {target: t1, plan: plan-v1.0.0-0123456789}\n# end\n",
			wantLine: 3,
		},
		{
			name:     "empty flow list",
			in:       "approvals: []  # none yet\nname: prod\n",
			approval: a,
			want:     "approvals:  # none yet\n  - target: t1\n    plan: plan-v1.0.0-0123456789\nname: prod\n",
			wantLine: 3,
		},
		{
			name:     "null list",
			in:       "approvals:\nname: prod\n",
			approval: a,
			want:     "approvals:\n  - target: t1\n    plan: plan-v1.0.0-0123456789\nname: prod\n",
			wantLine: 3,
		},
		{
			name:     "flow list with items",
			in:       "approvals: [{target: t2, plan: plan-v1.0.0-aaaaaaaaaa}]\n",
			approval: a,
			wantErr:  "spec.yaml:1: approvals is not a block list",
		},
		{
			name:     "flow spec",
			in:       "{name: prod}\n",
			approval: a,
			wantErr:  "written as a flow mapping",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := edit("spec.yaml", []byte(tc.in), "eks", tc.approval)
			if tc.wantErr != "" {
				var ie *InputError
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.As(err, &ie) {
					t.Fatalf("error %v, want an input error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got.data) != tc.want {
				t.Errorf("edited:\n%s\nwant:\n%s", got.data, tc.want)
			}
			if got.line != tc.wantLine {
				t.Errorf("line %d, want %d", got.line, tc.wantLine)
			}
			if l := strings.Split(string(got.data), "\n")[got.line-1]; !strings.Contains(l, tc.approval.Plan) {
				t.Errorf("line %d is %q, not the plan's", got.line, l)
			}
		})
	}
}

// TestApproveRefusesSymlink: a spec that is a symlink (to a file inside
// the specs folder: one leading out is not even read) is refused, and
// neither it nor its target changes.
func TestApproveRefusesSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	specs := filepath.Join(dir, "environments")
	if err := os.MkdirAll(filepath.Join(specs, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	spec := `apiVersion: fluxtf/v1alpha1
kind: Environment
name: prod
source: {url: "ssh://git@github.com/digx/infrastructure.git", tag: v4.2.0}
targets:
  - {account: digx-prod-eu, accountId: "333333333333", region: eu-west-1}
cluster:
  kubernetesVersion: "1.29"
  nodeGroups: [{name: system, instanceTypes: [m6i.large], minSize: 2, maxSize: 5}]
terraform:
  backend: {s3: {bucket: digx-terraform-state, region: eu-west-1}}
`
	real := filepath.Join(specs, "real", "prod.yaml")
	if err := os.WriteFile(real, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(specs, "prod.yaml")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no symlinks here: %v", err)
		}
		t.Skipf("no symlinks here: %v", err)
	}
	_, err := Approve(Options{SpecsDir: specs, OutDir: filepath.Join(dir, "clusters"), Env: "prod", Target: "digx-prod-eu-eu-west-1", Plan: "plan-v4.2.0-0123456789"})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("error %v, want an input error about the symlink", err)
	}
	if got, _ := os.ReadFile(real); string(got) != spec {
		t.Errorf("the symlink's target changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "clusters")); err == nil {
		t.Errorf("rendered although refused")
	}
}

// TestApproveKeepsCRLF: a spec written with CRLF line ends (on Windows)
// keeps them on every line, the inserted entry's too.
func TestApproveKeepsCRLF(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	specs := filepath.Join(dir, "environments")
	if err := os.MkdirAll(specs, 0o755); err != nil {
		t.Fatal(err)
	}
	spec := strings.ReplaceAll(`apiVersion: fluxtf/v1alpha1
kind: Environment
name: prod
source: {url: "ssh://git@github.com/digx/infrastructure.git", tag: v4.2.0}
targets:
  - {account: digx-prod-eu, accountId: "333333333333", region: eu-west-1}
cluster:
  kubernetesVersion: "1.35"
  nodeGroups: [{name: system, instanceTypes: [m6i.large], minSize: 2, maxSize: 5}]
terraform:
  runnerAccess: private
  backend: {s3: {bucket: digx-terraform-state, region: eu-west-1}}
`, "\n", "\r\n")
	file := filepath.Join(specs, "prod.yaml")
	if err := os.WriteFile(file, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, plan := range []string{"plan-v4.2.0-0123456789", "plan-v4.2.0-9876543210"} { // an entry added, then updated
		if _, err := Approve(Options{SpecsDir: specs, OutDir: filepath.Join(dir, "clusters"), Env: "prod", Target: "digx-prod-eu-eu-west-1", Plan: plan}); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(got), spec) || !strings.Contains(string(got), plan) {
			t.Fatalf("the approval is not appended to the spec:\n%q", got)
		}
		if n, crlf := strings.Count(string(got), "\n"), strings.Count(string(got), "\r\n"); n != crlf {
			t.Errorf("%d of %d lines end in a bare LF in a CRLF spec:\n%q", n-crlf, n, got)
		}
	}
}
