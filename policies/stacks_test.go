package policies

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/templates"
)

// ocmFamilyRules are the embedded rules that may report on objects of the
// ocm-client stack: the general ones, the common family's stack rules and
// the ocm-client family's. Every other embedded rule is an EKS rule.
var ocmFamilyRules = map[string]bool{
	"source-name-prefix": true, "ref-by-tier": true, "account-by-tier": true, "state-backend": true, "state-key-unique": true,
	"prod-safeguards": true, "promotion-order": true, "client-secret-by-reference": true, "functions-python-supported": true,
	"functions-python-end-of-support": true, "app-settings-no-credentials": true,
	// the release rules of the common family (ocm-client has a module tag
	// and no component versions)
	"no-downgrade": true, "release-order": true, "component-version-pinned": true, "migration-marker-stale": true,
}

func ocmRuleAllowed(id string) bool {
	// module-contract holds every stack's Terraforms to their catalogue
	return generalRules[id] || ocmFamilyRules[id] || id == "module-contract"
}

// lookalike is a Terraform of stack carrying everything the EKS rules
// look at (a Kubernetes version far behind, AL2, too few nodes for EFS,
// Karpenter, a public runner endpoint). Labelled ocm-client, no EKS rule
// may read it; labelled jeppesen-eks, the EKS rules report it, which
// shows the check can fail.
func lookalike(stack, families, component string) string {
	return `apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata:
  name: prod-digx-dev-eu-west-1-` + component + `
  namespace: flux-system
  annotations:
    fluxtf.io/policies: ` + families + `
    fluxtf.io/runner-access: public
  labels:
    app.kubernetes.io/managed-by: fluxtf
    fluxtf.io/account: digx-dev
    fluxtf.io/component: ` + component + `
    fluxtf.io/environment: prod
    fluxtf.io/region: eu-west-1
    fluxtf.io/stack: ` + stack + `
    fluxtf.io/target: digx-dev-eu-west-1
    fluxtf.io/tier: prod
spec:
  interval: 10m0s
  path: ./` + stack + `/base
  sourceRef:
    kind: GitRepository
    name: ` + stack + `-prod
    namespace: flux-system
  backendConfig:
    customConfiguration: |
      backend "s3" {
        bucket       = "digx-terraform-state"
        key          = "` + stack + `/prod/eks.tfstate"
        region       = "eu-west-1"
        use_lockfile = true
      }
  vars:
  - name: kubernetes_version
    value: "1.20"
  - name: os
    value: AL2
  - name: karpenter_version
    value: "0.30.0"
  - name: node_groups
    value:
      system:
        min_size: 0
  - name: efs_enabled
    value: true
`
}

func lookalikeSource(stack, families string) string {
	return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ` + stack + `-prod
  namespace: flux-system
  annotations:
    fluxtf.io/policies: ` + families + `
    fluxtf.io/source-prefix: ` + stack + `
  labels:
    app.kubernetes.io/managed-by: fluxtf
    fluxtf.io/environment: prod
    fluxtf.io/stack: ` + stack + `
    fluxtf.io/tier: prod
spec:
  interval: 10m0s
  ref:
    tag: v4.1.3
  url: ssh://git@github.com/digx/infrastructure.git
`
}

// TestNoEKSRuleOnOCMClient runs every embedded rule on the ocm-client
// stack's rendered examples (fixtures/clusters/ocm-*), on the ocm-client
// rules' fixtures and on an ocm-client object that looks like an EKS
// cluster in every way the EKS rules read, each alone and with the EKS
// stack's examples beside it, with and without a baseline: no EKS rule id
// may appear. The same look-alike in a stack declaring the eks family
// (jeppesen-eks, or a made-up one) gets EKS findings.
func TestNoEKSRuleOnOCMClient(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	clusters := filepath.Join("..", "fixtures", "clusters")
	ocmDirs, _ := filepath.Glob(filepath.Join(clusters, "ocm-*"))
	if len(ocmDirs) < 3 {
		t.Fatalf("ocm-client examples: %v", ocmDirs)
	}
	// every rule fixture folder's ocm-client objects (the ocm-client
	// family's folders, and the common family's ocm-*.yaml cases), checked
	// together as one set per folder
	var fixtureSets [][]string
	folders, _ := filepath.Glob(filepath.Join("..", "fixtures", "policies", "*", "*"))
	for _, d := range folders {
		files, _ := filepath.Glob(filepath.Join(d, "*.yaml"))
		var ocm []string
		for _, f := range files {
			if strings.Contains(string(mustRead(t, f)), "fluxtf.io/stack: ocm-client") {
				ocm = append(ocm, f)
			}
		}
		if len(ocm) > 0 {
			fixtureSets = append(fixtureSets, ocm)
		}
	}
	if len(fixtureSets) < 14 {
		t.Fatalf("only %d rule fixture folders with ocm-client objects", len(fixtureSets))
	}
	look := t.TempDir()
	writeFile(t, filepath.Join(look, "gitrepository.yaml"), lookalikeSource("ocm-client", "common,ocm-client"))
	writeFile(t, filepath.Join(look, "function-app.yaml"), lookalike("ocm-client", "common,ocm-client", "eks"))
	base := t.TempDir()
	writeFile(t, filepath.Join(base, "gitrepository.yaml"), lookalikeSource("ocm-client", "common,ocm-client"))
	writeFile(t, filepath.Join(base, "function-app.yaml"), strings.ReplaceAll(strings.ReplaceAll(lookalike("ocm-client", "common,ocm-client", "eks"), `"1.20"`, `"1.24"`), `"0.30.0"`, `"1.1.0"`))

	eksDirs := []string{filepath.Join(clusters, "dev"), filepath.Join(clusters, "uat"), filepath.Join(clusters, "prod")}
	runs := [][]string{ocmDirs, {look}, append(append([]string(nil), ocmDirs...), eksDirs...)}
	runs = append(runs, fixtureSets...)
	for _, paths := range runs {
		for _, baseline := range []string{"", base} {
			rep, err := e.Validate(context.Background(), ValidateOptions{Paths: paths, BaselineDir: baseline, Now: fixtureNow})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Findings {
				if !ocmRuleAllowed(f.Rule) {
					t.Errorf("%v (baseline %q): EKS rule %s on %s:%d: %s", paths, baseline, f.Rule, f.File, f.Line, f.Message)
				}
			}
		}
	}

	// The same look-alike in a stack that declares the eks family, by its
	// catalogue (jeppesen-eks) or its annotation (a made-up acme-cluster),
	// gets the EKS rules; in a stack that does not, none of them.
	want := []string{"al2-end-of-support", "k8s-sequential-upgrade", "prod-os-bottlerocket"}
	for _, tc := range []struct {
		name, stack, families string
		wantEKS               bool
	}{
		{name: "jeppesen-eks", stack: "jeppesen-eks", families: "common,eks", wantEKS: true},
		{name: "made-up stack declaring eks", stack: "acme-cluster", families: "common,eks", wantEKS: true},
		{name: "made-up stack declaring common", stack: "acme-cluster", families: "common"},
		{name: "ocm-client declaring eks nowhere", stack: "ocm-client", families: "common,ocm-client"},
	} {
		dir, base := t.TempDir(), t.TempDir()
		writeFile(t, filepath.Join(dir, "gitrepository.yaml"), lookalikeSource(tc.stack, tc.families))
		writeFile(t, filepath.Join(dir, "eks.yaml"), lookalike(tc.stack, tc.families, "eks"))
		// its baseline twin is the same deployment: the stack is part of
		// an object's identity (lib.twins)
		writeFile(t, filepath.Join(base, "gitrepository.yaml"), lookalikeSource(tc.stack, tc.families))
		writeFile(t, filepath.Join(base, "eks.yaml"), strings.ReplaceAll(strings.ReplaceAll(lookalike(tc.stack, tc.families, "eks"), `"1.20"`, `"1.24"`), `"0.30.0"`, `"1.1.0"`))
		rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{dir}, BaselineDir: base, Now: fixtureNow})
		if err != nil {
			t.Fatal(err)
		}
		fired := map[string]bool{}
		for _, f := range rep.Findings {
			if !ocmRuleAllowed(f.Rule) {
				fired[f.Rule] = true
			}
		}
		var ids []string
		for id := range fired {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if !tc.wantEKS {
			if len(ids) > 0 {
				t.Errorf("%s: EKS rules fired: %v", tc.name, ids)
			}
			continue
		}
		for _, w := range want {
			if !fired[w] {
				t.Errorf("%s: the EKS look-alike should get %s; EKS rules fired: %v", tc.name, w, ids)
			}
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	return b
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPythonRuntimesMatchTemplate: the rules' own copy of the Azure
// Functions Python table (lib.python_runtimes without context, what
// conftest uses) says what templates/functions-python.yaml says, which the
// engine passes as context.pythonRuntimes.
func TestPythonRuntimesMatchTemplate(t *testing.T) {
	t.Parallel()
	lib, _, err := loadModules(Embedded, []string{"lib"}, false)
	if err != nil {
		t.Fatal(err)
	}
	opts := []func(*rego.Rego){rego.Query("x := data.fluxtf.lib.python_runtimes"), rego.Input(map[string]any{"files": []any{}})}
	for _, m := range lib {
		opts = append(opts, rego.ParsedModule(m))
	}
	rs, err := rego.New(opts...).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval: %v %v", rs, err)
	}
	got, err := ast.InterfaceToValue(rs[0].Bindings["x"])
	if err != nil {
		t.Fatal(err)
	}
	want, err := pythonRuntimesTerm(templates.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want.Value) != 0 {
		t.Errorf("policies/lib/stacks.rego python_runtimes:\n%v\ntemplates/functions-python.yaml:\n%v", got, want.Value)
	}
}
