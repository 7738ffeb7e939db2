package generator

import (
	"strings"
	"testing"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/contract"
)

// varValue is the JSON text of a Terraform's var n, or "".
func varValue(tf *infrav1.Terraform, n string) string {
	for _, v := range tf.Spec.Vars {
		if v.Name == n && v.Value != nil {
			return string(v.Value.Raw)
		}
	}
	return ""
}

// source expands the environment name of a specs folder and returns its
// GitRepository.
func source(t *testing.T, dir, name string) *sourcev1.GitRepository {
	t.Helper()
	l, err := Load(LoadOptions{SpecsDir: dir}, name)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Expand(l)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if g, ok := o.Object.(*sourcev1.GitRepository); ok {
			return g
		}
	}
	t.Fatal("no GitRepository")
	return nil
}

// baseOf is the name of the base Terraform beside a component's.
func baseOf(name string) string {
	return name[:strings.LastIndex(name, "-")] + "-eks"
}

// TestMovedRenders: a recorded rename of a target or of the environment
// renders the new names with the former ones in fluxtf.io/moved-from and
// the reason in fluxtf.io/moved-reason, and keeps the cluster name and the
// state key of the names before the rename; a rename without a moved
// entry renders no annotation.
func TestMovedRenders(t *testing.T) {
	t.Parallel()
	before := terraforms(t, specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": testProd}), "prod")
	renamedTarget := strings.Replace(testProd, `region: eu-west-1}`, `region: eu-west-1, name: eu-main}`, 1)
	tests := []struct {
		name     string
		file     string // the environment's name (and file)
		spec     string
		object   string // a renamed Terraform
		was      string // its name before
		from     string // its fluxtf.io/moved-from
		reason   string
		source   string // the GitRepository's fluxtf.io/moved-from
		unmoved  string // a Terraform with no annotation
		oldState string // whose state key and cluster_name it keeps
	}{
		{
			name:     "target",
			file:     "prod",
			spec:     renamedTarget + "moved:\n  - {from: digx-prod-eu-eu-west-1, to: eu-main, reason: short names (PLAT-1)}\n",
			object:   "prod-eu-main-eks",
			was:      "prod-digx-prod-eu-eu-west-1-eks",
			from:     "prod-digx-prod-eu-eu-west-1-eks",
			reason:   "short names (PLAT-1)",
			unmoved:  "prod-digx-prod-us-us-east-1-eks",
			oldState: "prod-digx-prod-eu-eu-west-1-eks",
		},
		{
			name:     "environment",
			file:     "production",
			spec:     strings.Replace(testProd, "name: prod\n", "name: production\ntier: prod\n", 1) + "moved:\n  - {from: prod, to: production, reason: the naming standard}\n",
			object:   "production-digx-prod-us-us-east-1-karpenter",
			was:      "prod-digx-prod-us-us-east-1-karpenter",
			from:     "prod-digx-prod-us-us-east-1-karpenter",
			reason:   "the naming standard",
			source:   "jeppesen-eks-prod",
			oldState: "prod-digx-prod-us-us-east-1-karpenter",
		},
		{
			name: "both, the target twice",
			file: "production",
			spec: strings.Replace(strings.Replace(testProd, "name: prod\n", "name: production\ntier: prod\n", 1), `region: eu-west-1}`, `region: eu-west-1, name: eu-core}`, 1) +
				"moved:\n  - {from: eu-main, to: eu-core, reason: again}\n  - {from: prod, to: production, reason: env}\n  - {from: digx-prod-eu-eu-west-1, to: eu-main, reason: first}\n",
			object:   "production-eu-core-eks",
			was:      "prod-digx-prod-eu-eu-west-1-eks",
			from:     "prod-digx-prod-eu-eu-west-1-eks, prod-eu-core-eks, prod-eu-main-eks, production-digx-prod-eu-eu-west-1-eks, production-eu-main-eks",
			reason:   "again; first; env",
			source:   "jeppesen-eks-prod",
			oldState: "prod-digx-prod-eu-eu-west-1-eks",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, tc.file + ".yaml": tc.spec})
			tfs := terraforms(t, dir, tc.file)
			tf := tfs[tc.object]
			if tf == nil {
				t.Fatalf("no Terraform %s", tc.object)
			}
			if got := tf.Annotations[contract.AnnotationMovedFrom]; got != tc.from {
				t.Errorf("moved-from %q, want %q", got, tc.from)
			}
			if got := tf.Annotations[contract.AnnotationMovedReason]; got != tc.reason {
				t.Errorf("moved-reason %q, want %q", got, tc.reason)
			}
			old := before[tc.oldState]
			if got, want := tf.Spec.BackendConfig.CustomConfiguration, old.Spec.BackendConfig.CustomConfiguration; got != want {
				t.Errorf("backend:\n%s\nwant the one before the move:\n%s", got, want)
			}
			if got, want := varValue(tfs[baseOf(tc.object)], "cluster_name"), varValue(before[baseOf(tc.was)], "cluster_name"); got != want || want == "" {
				t.Errorf("cluster_name %s, want %s as before the move", got, want)
			}
			if tc.unmoved != "" {
				if a := tfs[tc.unmoved].Annotations[contract.AnnotationMovedFrom]; a != "" {
					t.Errorf("%s was not moved, yet moved-from is %q", tc.unmoved, a)
				}
			}
			if got := source(t, dir, tc.file).Annotations[contract.AnnotationMovedFrom]; got != tc.source {
				t.Errorf("GitRepository moved-from %q, want %q", got, tc.source)
			}
		})
	}
	t.Run("no entry", func(t *testing.T) {
		t.Parallel()
		tfs := terraforms(t, specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": renamedTarget}), "prod")
		tf := tfs["prod-eu-main-eks"]
		if a := tf.Annotations[contract.AnnotationMovedFrom]; a != "" {
			t.Errorf("moved-from %q without a moved entry", a)
		}
		if got := varValue(tf, "cluster_name"); got != `"prod-eu-main"` {
			t.Errorf("cluster_name %s: without a moved entry the new name is the cluster's", got)
		}
	})
}

func TestMovedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		defaults string
		prod     string
		want     []string
	}{
		{
			name: "missing fields",
			prod: testProd + "moved:\n  - {to: digx-prod-eu-eu-west-1}\n  - {from: x}\n",
			want: []string{
				"prod.yaml:12:5: moved[0].from: is required",
				"prod.yaml:12:5: moved[0].reason: is required",
				"prod.yaml:13:5: moved[1].to: is required",
			},
		},
		{
			name: "from in use, from is to, unknown to",
			prod: testProd + `moved:
  - {from: digx-prod-us-us-east-1, to: digx-prod-eu-eu-west-1, reason: r}
  - {from: old, to: old, reason: r}
  - {from: older, to: nowhere, reason: r}
`,
			want: []string{
				`prod.yaml:12:6: moved[0].from: "digx-prod-us-us-east-1" is a name in use in this spec`,
				`prod.yaml:13:17: moved[1].to: is the same as from`,
				`prod.yaml:14:19: moved[2].to: "nowhere" names no target of this spec (digx-prod-eu-eu-west-1, digx-prod-us-us-east-1), nor this environment (prod), nor the from of another entry`,
			},
		},
		{
			name: "two into one, one twice",
			prod: testProd + `moved:
  - {from: a, to: digx-prod-eu-eu-west-1, reason: r}
  - {from: b, to: digx-prod-eu-eu-west-1, reason: r}
  - {from: a, to: prod, reason: r}
`,
			want: []string{
				`prod.yaml:13:15: moved[1].to: moved[0] renames another name to "digx-prod-eu-eu-west-1" too`,
				`prod.yaml:14:6: moved[2].from: "a" is moved already by moved[0]`,
			},
		},
		{
			name: "a loop",
			prod: testProd + "moved:\n  - {from: a, to: b, reason: r}\n  - {from: b, to: a, reason: r}\n",
			want: []string{`moved[0].to: "b" names no target`, `moved[1].to: "a" names no target`},
		},
		{
			name: "unknown field",
			prod: testProd + "moved:\n  - {from: a, to: prod, reason: r, form: b}\n",
			want: []string{`prod.yaml:12:36: moved[0].form: unknown field "form"; did you mean "from"?`},
		},
		{
			name:     "in defaults.yaml",
			defaults: testDefaults + "moved:\n  - {from: a, to: prod, reason: r}\n",
			prod:     testProd,
			want:     []string{"defaults.yaml:10:1: moved: moved belongs in each environment's own file"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantLoadError(t, tc.defaults, tc.prod, tc.want...)
		})
	}
}
