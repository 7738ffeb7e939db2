package promote

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/generator"
)

// spec is an environment spec of tier name with the given source and
// components blocks (their lines, indented by two).
func spec(name, source, components string) string {
	return `apiVersion: fluxtf/v1alpha1
kind: Environment
name: ` + name + `
source:
  url: ssh://git@github.com/digx/infrastructure.git
` + source + `targets:
  - account: digx-` + name + `
    accountId: "111111111111"
    region: eu-west-1
cluster:
  kubernetesVersion: "1.30"
  os: BOTTLEROCKET
components:
` + components
}

// defaults is the specs folder's defaults.yaml of the tests.
const defaults = `cluster:
  nodeGroups:
    - name: system
      instanceTypes: [m6i.large]
      minSize: 2
      maxSize: 5
terraform:
  runnerAccess: private
  backend:
    s3:
      bucket: digx-terraform-state
      region: eu-west-1
`

// TestPromoteCarriesMarkers: the target takes the source's migration
// markers and rollbacks for the step it is promoted, never a marker of
// another step, and drops its own rollback once its version moves.
func TestPromoteCarriesMarkers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		uat, prod  [2]string // source block, components block
		components []string
		want       []string // lines the promoted prod spec must hold
		wantNot    []string // text it must not hold
		wantNote   string
		noEdit     bool
	}{
		{
			name: "a Karpenter major with its marker",
			uat:  [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.0.0\", migration: {from: \"0.37\", to: \"1.0\"}}   # CRDs cleaned up\n"},
			prod: [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"0.37.5\"}   # autoscaling\n"},
			want: []string{`  karpenter: {version: "1.0.0", migration: {from: "0.37", to: "1.0"}}   # autoscaling`},
		},
		{
			name: "the marker into a block mapping",
			uat:  [2]string{"  tag: v4.2.0\n", "  karpenter:\n    version: \"1.0.0\"\n    migration:\n      from: \"0.37\"\n      to: \"1.0\"\n"},
			prod: [2]string{"  tag: v4.2.0\n", "  karpenter:\n    version: \"0.37.5\"   # pinned\n  efs: {}\n"},
			want: []string{"  karpenter:\n    version: \"1.0.0\"   # pinned\n    migration:\n      from: \"0.37\"\n      to: \"1.0\"\n  efs: {}\n"},
		},
		{
			name:       "with --component",
			uat:        [2]string{"  tag: v4.3.0\n", "  karpenter: {version: \"1.0.0\", migration: {from: \"0.37\", to: \"1.0\"}}\n"},
			prod:       [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"0.37.5\"}\n"},
			components: []string{"karpenter"},
			want:       []string{`  karpenter: {version: "1.0.0", migration: {from: "0.37", to: "1.0"}}`, "  tag: v4.2.0\n"},
		},
		{
			name:     "a marker for another step is not copied",
			uat:      [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.1.0\", migration: {from: \"0.37\", to: \"1.0\"}}\n"},
			prod:     [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.0.8\"}\n"},
			want:     []string{`  karpenter: {version: "1.1.0"}`},
			wantNot:  []string{"migration"},
			wantNote: `uat's components.karpenter.migration (0.37 -> 1.0) is for another step than prod's 1.0.8 -> 1.1.0: not taken`,
		},
		{
			name: "a module major with its guide",
			uat:  [2]string{"  tag: v5.0.0\n  migrationGuide: {path: docs/migrations/v5.md, from: v4, to: v5}\n", "  karpenter: {}\n"},
			prod: [2]string{"  tag: v4.2.0 # pinned\n", "  karpenter: {}\n"},
			want: []string{"  tag: v5.0.0 # pinned\n  migrationGuide:\n    path: docs/migrations/v5.md\n    from: v4\n    to: v5\n"},
		},
		{
			name:     "a guide for another major step is not copied",
			uat:      [2]string{"  tag: v5.1.0\n  migrationGuide: {path: docs/migrations/v5.md, from: v4, to: v5}\n", "  karpenter: {}\n"},
			prod:     [2]string{"  tag: v5.0.0\n", "  karpenter: {}\n"},
			wantNot:  []string{"migrationGuide"},
			want:     []string{"  tag: v5.1.0\n"},
			wantNote: "is for another step than prod's v5.0.0 -> v5.1.0: not taken",
		},
		{
			name: "a rollback of the tag",
			uat:  [2]string{"  tag: v4.1.0\n  rollback: {to: v4.1.0, reason: \"v4.2.0 breaks IRSA (INC-1234)\"}\n", "  karpenter: {}\n"},
			prod: [2]string{"  tag: v4.2.0\n", "  karpenter: {}\n"},
			want: []string{"  tag: v4.1.0\n  rollback:\n    to: v4.1.0\n    reason: v4.2.0 breaks IRSA (INC-1234)\n"},
		},
		{
			name: "a rollback of a component",
			uat:  [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.0.5\", rollback: {to: \"1.0.5\", reason: INC-7}}\n"},
			prod: [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.0.8\"}\n"},
			want: []string{`  karpenter: {version: "1.0.5", rollback: {to: 1.0.5, reason: INC-7}}`},
		},
		{
			name:    "the target's own rollback goes once it moves forward",
			uat:     [2]string{"  tag: v4.3.0\n", "  karpenter: {version: \"1.1.0\"}\n"},
			prod:    [2]string{"  tag: v4.1.0\n  rollback:\n    to: v4.1.0\n    reason: INC-1\n  secretRef: flux-git-auth\n", "  karpenter: {version: \"1.0.5\", rollback: {to: \"1.0.5\", reason: INC-7}}\n"},
			want:    []string{"  tag: v4.3.0\n  secretRef: flux-git-auth\n", `  karpenter: {version: "1.1.0"}` + "\n"},
			wantNot: []string{"rollback", "INC-"},
		},
		{
			name:   "the target already runs it",
			uat:    [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.0.0\", migration: {from: \"0.37\", to: \"1.0\"}}\n"},
			prod:   [2]string{"  tag: v4.2.0\n", "  karpenter: {version: \"1.0.0\"}\n"},
			noEdit: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "defaults.yaml"), []byte(defaults), 0o600); err != nil {
				t.Fatal(err)
			}
			for name, s := range map[string][2]string{"uat": tc.uat, "prod": tc.prod} {
				if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(spec(name, s[0], s[1])), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Promote(context.Background(), Options{SpecsDir: dir, From: generator.TierUAT, To: generator.TierProd, Components: tc.components, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(res.Notes, "\n")
			if tc.wantNote != "" && !strings.Contains(notes, tc.wantNote) {
				t.Errorf("notes %q lack %q", notes, tc.wantNote)
			}
			if tc.noEdit {
				if len(res.Edits) != 0 {
					t.Fatalf("want no edit, got:\n%s", res.Diff())
				}
				return
			}
			if len(res.Edits) != 1 {
				t.Fatalf("want one edit, got %d (notes %q)", len(res.Edits), notes)
			}
			got := string(res.Edits[0].After)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("promoted spec lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("promoted spec holds %q:\n%s", w, got)
				}
			}
			// the promoted spec loads: the markers are well-formed and a
			// rollback names the version the spec runs
			if err := os.WriteFile(filepath.Join(dir, "prod.yaml"), res.Edits[0].After, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := generator.Load(generator.LoadOptions{SpecsDir: dir}, "prod"); err != nil {
				t.Fatalf("the promoted spec does not load: %v\n%s", err, got)
			}
		})
	}
}

func TestRemovePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		path     []string
		want     string
		wantErr  bool
	}{
		{name: "block entry with its children", in: "source:\n  tag: v4.3.0\n  rollback:\n    to: v4.1.0   # INC\n    reason: x\n  url: u\n", path: []string{"source", "rollback"}, want: "source:\n  tag: v4.3.0\n  url: u\n"},
		{name: "flow entry in the middle", in: "c:\n  k: {version: \"1\", rollback: {to: \"1\", reason: x}, vars: {}}  # note\n", path: []string{"c", "k", "rollback"}, want: "c:\n  k: {version: \"1\", vars: {}}  # note\n"},
		{name: "flow entry at the end", in: "c:\n  k: {version: \"1\", rollback: {to: \"1\", reason: x}}\n", path: []string{"c", "k", "rollback"}, want: "c:\n  k: {version: \"1\"}\n"},
		{name: "flow scalar entry first", in: "c:\n  k: {a: 'x, y', b: 2}\n", path: []string{"c", "k", "a"}, want: "c:\n  k: {b: 2}\n"},
		{name: "missing: no change", in: "source:\n  tag: v4.3.0\n", path: []string{"source", "rollback"}, want: "source:\n  tag: v4.3.0\n"},
		{name: "the only entry: by hand", in: "source:\n  rollback: {to: a, reason: b}\n", path: []string{"source", "rollback"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := removePath([]byte(tc.in), tc.path)
			wantEdit(t, got, err, tc.wantErr, tc.want)
		})
	}
}
