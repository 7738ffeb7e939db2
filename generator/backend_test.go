package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
)

// specDir writes files (name -> content) into a new specs folder.
func specDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// wantLoadError loads prod from a specs folder of defaults.yaml
// (testDefaults when defaults is "") and prod.yaml: the load must fail, and
// its error (paths relative to the folder) must have a line containing
// each of want.
func wantLoadError(t *testing.T, defaults, prod string, want ...string) {
	t.Helper()
	if defaults == "" {
		defaults = testDefaults
	}
	dir := specDir(t, map[string]string{"defaults.yaml": defaults, "prod.yaml": prod})
	_, err := Load(LoadOptions{SpecsDir: dir}, "prod")
	if err == nil {
		t.Fatal("no error")
	}
	msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error:\n%s\nwant a line with:\n%s", msg, w)
		}
	}
}

const (
	testDefaults = `source:
  url: ssh://git@github.com/digx/infrastructure.git
cluster:
  kubernetesVersion: "1.29"
  nodeGroups:
    - {name: system, instanceTypes: [m6i.large], minSize: 2, maxSize: 5}
terraform:
  backend:
    s3: {bucket: digx-terraform-state, region: eu-west-1}
`
	testProd = `apiVersion: fluxtf/v1alpha1
kind: Environment
name: prod
source: {tag: v4.1.3}
targets:
  - {account: digx-prod-eu, accountId: "333333333333", region: eu-west-1}
  - {account: digx-prod-us, accountId: "444444444444", region: us-east-1}
components:
  efs: {}
  karpenter: {}
`
)

// terraforms expands the environment name of a specs folder into its
// Terraform objects by name.
func terraforms(t *testing.T, dir, name string) map[string]*infrav1.Terraform {
	t.Helper()
	l, err := Load(LoadOptions{SpecsDir: dir}, name)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Expand(l)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*infrav1.Terraform{}
	for _, o := range objs {
		if tf, ok := o.Object.(*infrav1.Terraform); ok {
			out[tf.Name] = tf
		}
	}
	return out
}

// TestFixturesHaveBackendsAndUniqueKeys: every rendered Terraform of the
// examples has a backend, and no two share a state key.
func TestFixturesHaveBackendsAndUniqueKeys(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	n := 0
	for _, env := range []string{"dev", "uat", "prod"} {
		for name, tf := range terraforms(t, fixtureSpecs(t), env) {
			b := tf.Spec.BackendConfig
			if b == nil {
				t.Errorf("%s: no backendConfig", name)
				continue
			}
			key := tf.Namespace + "/" + b.SecretSuffix
			if b.CustomConfiguration != "" {
				key = b.CustomConfiguration
				if !strings.HasPrefix(key, "backend \"s3\" {\n") {
					t.Errorf("%s: customConfiguration is not an s3 backend block:\n%s", name, key)
				}
			} else if env != "dev" {
				t.Errorf("%s: %s keeps its state in the cluster", name, env)
			}
			if other, dup := seen[key]; dup {
				t.Errorf("%s and %s share the state key %q", name, other, key)
			}
			seen[key] = name
			n++
		}
	}
	if n < 30 {
		t.Fatalf("only %d Terraforms", n)
	}
}

// TestStateKeyIsTheIdentity: the key is made of the stack, environment,
// account id, region and component, so naming a target (a display name)
// keeps it, and moving to another account or region changes it.
func TestStateKeyIsTheIdentity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		prod    string
		object  string
		wantKey string
	}{
		{
			name:    "default names",
			prod:    testProd,
			object:  "prod-digx-prod-eu-eu-west-1-karpenter",
			wantKey: `key          = "jeppesen-eks/prod/333333333333/eu-west-1/karpenter.tfstate"`,
		},
		{
			name:    "named target, other cluster name",
			prod:    strings.Replace(testProd, "region: eu-west-1}", "region: eu-west-1, name: main, clusterName: prod-main}", 1),
			object:  "prod-main-karpenter",
			wantKey: `key          = "jeppesen-eks/prod/333333333333/eu-west-1/karpenter.tfstate"`,
		},
		{
			name:    "key prefix",
			prod:    testProd + "terraform:\n  backend:\n    s3: {keyPrefix: state/eks}\n",
			object:  "prod-digx-prod-us-us-east-1-eks",
			wantKey: `key          = "state/eks/jeppesen-eks/prod/444444444444/us-east-1/eks.tfstate"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": tc.prod})
			tf := terraforms(t, dir, "prod")[tc.object]
			if tf == nil || tf.Spec.BackendConfig == nil {
				t.Fatalf("no backend on %s", tc.object)
			}
			cfg := tf.Spec.BackendConfig.CustomConfiguration
			if !strings.Contains(cfg, tc.wantKey) {
				t.Errorf("customConfiguration:\n%s\nwant the line %s", cfg, tc.wantKey)
			}
			for _, line := range []string{`bucket       = "digx-terraform-state"`, `region       = "eu-west-1"`, `use_lockfile = true`, `encrypt      = true`} {
				if !strings.Contains(cfg, line) {
					t.Errorf("customConfiguration:\n%s\nwant the line %s", cfg, line)
				}
			}
			if tf.Spec.BackendConfig.Disable || tf.Spec.BackendConfig.SecretSuffix != "" {
				t.Errorf("backendConfig %+v: want only customConfiguration", tf.Spec.BackendConfig)
			}
		})
	}
}

func TestS3BlockOptions(t *testing.T) {
	t.Parallel()
	yes := true
	id := Identity{Stack: "jeppesen-eks", Environment: "uat", AccountID: "111111111111", Region: "eu-west-1", Component: "eks"}
	got := s3Block(&S3Backend{Bucket: "b", Region: "eu-west-1", DynamoDBTable: "locks", UseLockfile: &yes, RoleARN: "arn:aws:iam::999999999999:role/terraform-state"}, id)
	want := `backend "s3" {
  bucket         = "b"
  key            = "jeppesen-eks/uat/111111111111/eu-west-1/eks.tfstate"
  region         = "eu-west-1"
  encrypt        = true
  dynamodb_table = "locks"
  use_lockfile   = true
  assume_role = {
    role_arn = "arn:aws:iam::999999999999:role/terraform-state"
  }
}
`
	if got != want {
		t.Errorf("s3Block:\n%s\nwant:\n%s", got, want)
	}
}

func TestHCLString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{in: "plain", want: `"plain"`},
		{in: `a"b\c`, want: `"a\"b\\c"`},
		{in: "x${y}%{z}$a", want: `"x$${y}%%{z}$a"`},
		{in: "l1\nl2\t\r\x01", want: `"l1\nl2\t\r\u0001"`},
	}
	for _, tc := range tests {
		if got := hclString(tc.in); got != tc.want {
			t.Errorf("hclString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSecretSuffix(t *testing.T) {
	t.Parallel()
	short := Identity{Stack: "jeppesen-eks", Environment: "dev", AccountID: "210987654321", Region: "eu-west-1", Component: "eks"}
	if got, want := short.SecretSuffix(), "jeppesen-eks-dev-210987654321-eu-west-1-eks"; got != want {
		t.Errorf("SecretSuffix = %q, want %q", got, want)
	}
	long := short
	long.Component = "aws-load-balancer-controller"
	other := long
	other.Environment = "dev2"
	a, b := long.SecretSuffix(), other.SecretSuffix()
	if len(a) > 63 || len(b) > 63 || a == b || a != long.SecretSuffix() {
		t.Errorf("long suffixes %q and %q: want at most 63 characters, distinct, stable", a, b)
	}
}

// TestBackendAndApprovalErrors: mistakes in terraform.backend and
// approvals are input errors naming the file, line and field.
func TestBackendAndApprovalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		defaults string
		prod     string
		want     []string
	}{
		{
			name:     "no bucket for prod",
			defaults: strings.Replace(testDefaults, "    s3: {bucket: digx-terraform-state, region: eu-west-1}\n", "    s3: {region: eu-west-1}\n", 1),
			prod:     testProd,
			want:     []string{"prod.yaml:1:1: terraform.backend.s3.bucket: is required with type s3: the state bucket, such as digx-terraform-state (set it in defaults.yaml)"},
		},
		{
			name: "bad bucket, region, role and prefix",
			prod: testProd + "terraform:\n  backend:\n    s3: {bucket: Bad_Bucket, region: europe, roleArn: role/x, keyPrefix: /x/}\n",
			want: []string{
				`prod.yaml:13:10: terraform.backend.s3.bucket: "Bad_Bucket" is not an S3 bucket name`,
				`prod.yaml:13:30: terraform.backend.s3.region: must be an AWS region`,
				`prod.yaml:13:46: terraform.backend.s3.roleArn: "role/x" is not an IAM role ARN`,
				`prod.yaml:13:63: terraform.backend.s3.keyPrefix: "/x/" is not a key prefix`,
			},
		},
		{
			name: "no locking",
			prod: testProd + "terraform:\n  backend:\n    s3: {useLockfile: false}\n",
			want: []string{"prod.yaml:13:5: terraform.backend.s3: has no state locking"},
		},
		{
			name: "unknown type",
			prod: testProd + "terraform:\n  backend: {type: consul}\n",
			want: []string{`prod.yaml:12:13: terraform.backend.type: must be s3 or kubernetes, got "consul"`},
		},
		{
			name: "two targets, one account and region",
			prod: strings.Replace(testProd, "  - {account: digx-prod-us, accountId: \"444444444444\", region: us-east-1}\n",
				"  - {account: digx-prod-eu, accountId: \"333333333333\", region: eu-west-1, name: again}\n", 1),
			want: []string{"prod.yaml:7:5: targets[1]: deploys to the same account id 333333333333 and region eu-west-1 as targets[0]"},
		},
		{
			name: "approvals",
			prod: testProd + `approvals:
  - {target: digx-prod-eu-eu-west-2, plan: plan-v4.1.3-b8e362c206}
  - {target: digx-prod-eu-eu-west-1, component: velero, plan: plan-v4.1.3-b8e362c206}
  - {target: digx-prod-eu-eu-west-1, plan: plan-v4.1.3-b8e362}
  - {target: digx-prod-eu-eu-west-1, plan: v4.1.3}
`,
			want: []string{
				`prod.yaml:12:6: approvals[0].target: no target is named "digx-prod-eu-eu-west-2"; did you mean "digx-prod-eu-eu-west-1"?`,
				`prod.yaml:13:38: approvals[1].component: component "velero" is not enabled`,
				`prod.yaml:14:38: approvals[2].plan: "plan-v4.1.3-b8e362" is not a tf-controller plan id`,
				`prod.yaml:15:38: approvals[3].plan: "v4.1.3" is not a tf-controller plan id`,
				`prod.yaml:15:5: approvals[3]: approves the same objects as approvals[2]`,
			},
		},
		{
			name: "approval with auto",
			prod: testProd + "terraform: {approvePlan: auto}\napprovals:\n  - {target: digx-prod-eu-eu-west-1, plan: plan-v4.1.3-b8e362c206}\n",
			want: []string{"prod.yaml:13:5: approvals[0]: approves a plan, but terraform.approvePlan is auto"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantLoadError(t, tc.defaults, tc.prod, tc.want...)
		})
	}
}

// TestApprovalsRender: an approval renders approvePlan on the objects it
// names; one naming a component wins over one for the whole target.
func TestApprovalsRender(t *testing.T) {
	t.Parallel()
	prod := testProd + `approvals:
  - {target: digx-prod-eu-eu-west-1, plan: plan-v4.1.3-b8e362c206}
  - {target: digx-prod-eu-eu-west-1, component: efs, plan: plan-v4.1.3-0123456789}
  - {target: digx-prod-us-us-east-1, component: base, plan: plan-v4.1.3-aaaaaaaaaa}
`
	dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": prod})
	tfs := terraforms(t, dir, "prod")
	want := map[string]string{
		"prod-digx-prod-eu-eu-west-1-eks":       "plan-v4.1.3-b8e362c206",
		"prod-digx-prod-eu-eu-west-1-karpenter": "plan-v4.1.3-b8e362c206",
		"prod-digx-prod-eu-eu-west-1-efs":       "plan-v4.1.3-0123456789",
		"prod-digx-prod-us-us-east-1-eks":       "plan-v4.1.3-aaaaaaaaaa",
		"prod-digx-prod-us-us-east-1-efs":       "",
		"prod-digx-prod-us-us-east-1-karpenter": "",
	}
	if len(tfs) != len(want) {
		t.Fatalf("%d Terraforms, want %d", len(tfs), len(want))
	}
	for name, plan := range want {
		if got := string(tfs[name].Spec.ApprovePlan); got != plan {
			t.Errorf("%s: approvePlan %q, want %q", name, got, plan)
		}
	}
}

func TestStaleApproval(t *testing.T) {
	t.Parallel()
	e := &Environment{Source: Source{Tag: "v4.2.0"}}
	if msg := StaleApproval(e, Approval{Plan: "plan-v4.2.0-b8e362c206"}); msg != "" {
		t.Errorf("a plan of the source's tag: %s", msg)
	}
	if msg := StaleApproval(e, Approval{Plan: "plan-v4.1.3-b8e362c206"}); !strings.Contains(msg, "made at v4.1.3, but the source is at v4.2.0") {
		t.Errorf("a plan of another tag: %q", msg)
	}
	e = &Environment{Source: Source{Branch: "alpha"}}
	if msg := StaleApproval(e, Approval{Plan: "plan-alpha-b8e362c206"}); msg != "" {
		t.Errorf("a plan of the source's branch: %s", msg)
	}
}
