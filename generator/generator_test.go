package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/sourcecheck"
	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/templates"
)

func fixtureSpecs(t *testing.T) string {
	t.Helper()
	return filepath.Join(crdtest.RepoRoot(t), "fixtures", "environments")
}

func buildFixtures(t *testing.T) []*Output {
	t.Helper()
	outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: fixtureSpecs(t)}, All: true})
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

// TestGeneratedObjectsMatchUpstreamCRDs validates every rendered object
// against the upstream CRD's openAPIV3Schema, decodes it strictly back into
// the typed API and runs the project's own validators.
func TestGeneratedObjectsMatchUpstreamCRDs(t *testing.T) {
	t.Parallel()
	up := crdtest.UpstreamDir(t)
	schemas := map[string]string{
		"GitRepository": filepath.Join(up, "crds", "source.toolkit.fluxcd.io_gitrepositories.yaml"),
		"Terraform":     filepath.Join(up, "crds", "infra.contrib.fluxcd.io_terraforms.yaml"),
	}
	versions := map[string]string{"GitRepository": "v1", "Terraform": "v1alpha2"}
	compiled := map[string]*jsonschema.Schema{}
	for kind, file := range schemas {
		raw, err := crdtest.LoadCRDSchema(file, versions[kind])
		if err != nil {
			t.Fatal(err)
		}
		sch, err := crdtest.CompileJSONSchema(kind, crdtest.ToJSONSchema(raw))
		if err != nil {
			t.Fatal(err)
		}
		compiled[kind] = sch
	}
	n := 0
	for _, o := range buildFixtures(t) {
		for _, f := range o.Files {
			if strings.HasSuffix(f.Path, KustomizationFile) {
				continue
			}
			docs, err := yamlx.Parse(f.Path, f.Data, yamlx.DefaultLimits)
			if err != nil || len(docs) != 1 {
				t.Fatalf("%s: %v (%d docs)", f.Path, err, len(docs))
			}
			root := docs[0].Root
			kind := root.Get("kind").String()
			js, err := json.Marshal(root.ToAny())
			if err != nil {
				t.Fatal(err)
			}
			if err := crdtest.ValidateJSON(compiled[kind], js); err != nil {
				t.Errorf("%s: upstream %s schema: %v", f.Path, kind, err)
			}
			switch kind {
			case "Terraform":
				var tf infrav1.Terraform
				if err := yamlx.Decode(root, &tf); err != nil {
					t.Errorf("%s: strict decode: %v", f.Path, err)
				}
				if errs := tf.Validate(); len(errs) > 0 {
					t.Errorf("%s: %v", f.Path, errs.ToAggregate())
				}
			case "GitRepository":
				var g sourcev1.GitRepository
				if err := yamlx.Decode(root, &g); err != nil {
					t.Errorf("%s: strict decode: %v", f.Path, err)
				}
				if errs := sourcecheck.ValidateGitRepository(&g); len(errs) > 0 {
					t.Errorf("%s: %v", f.Path, errs.ToAggregate())
				}
			default:
				t.Errorf("%s: unexpected kind %q", f.Path, kind)
			}
			n++
		}
	}
	if n < 40 {
		t.Fatalf("only %d objects checked", n)
	}
}

// TestRenderedFoldersBuildWithKustomize runs the kustomize Go API over each
// rendered environment and checks it yields exactly the rendered objects.
func TestRenderedFoldersBuildWithKustomize(t *testing.T) {
	t.Parallel()
	for _, o := range buildFixtures(t) {
		fsys := filesys.MakeFsInMemory()
		want := map[string]bool{}
		for _, f := range o.Files {
			if err := fsys.WriteFile("/"+f.Path, f.Data); err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(f.Path, KustomizationFile) {
				want[f.Path] = true
			}
		}
		env := o.Env.Env.Name
		res, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fsys, "/"+env)
		if err != nil {
			t.Fatalf("%s: kustomize build: %v", env, err)
		}
		if got := len(res.Resources()); got != len(want) {
			t.Errorf("%s: kustomize built %d resources, rendered %d", env, got, len(want))
		}
		names := map[string]bool{}
		for _, obj := range o.Object {
			switch v := obj.Object.(type) {
			case *infrav1.Terraform:
				names["Terraform/"+v.Name] = true
			case *sourcev1.GitRepository:
				names["GitRepository/"+v.Name] = true
			}
		}
		for _, r := range res.Resources() {
			key := r.GetKind() + "/" + r.GetName()
			if !names[key] {
				t.Errorf("%s: kustomize produced unexpected %s", env, key)
			}
		}
	}
}

func TestFixturesShape(t *testing.T) {
	t.Parallel()
	outs := buildFixtures(t)
	byEnv := map[string]*Output{}
	for _, o := range outs {
		byEnv[o.Env.Env.Name] = o
	}
	tests := []struct {
		env        string
		tier       Tier
		ref        string
		k8s        string
		approve    infrav1.ApprovePlan
		minTargets int
		accounts   int
	}{
		{env: "dev", tier: TierDev, ref: "branch:alpha", k8s: "1.35", approve: infrav1.ApprovePlanAuto, minTargets: 1, accounts: 1},
		{env: "uat", tier: TierUAT, ref: "tag:v4.2.0", k8s: "1.34", approve: infrav1.ApprovePlanAuto, minTargets: 1, accounts: 1},
		{env: "prod", tier: TierProd, ref: "tag:v4.1.3", k8s: "1.34", approve: "", minTargets: 3, accounts: 2},
	}
	for _, tt := range tests {
		o := byEnv[tt.env]
		if o == nil {
			t.Fatalf("no %s environment in fixtures", tt.env)
		}
		e := o.Env.Env
		if e.Tier != tt.tier || e.Cluster.KubernetesVersion != tt.k8s {
			t.Errorf("%s: tier %s k8s %s", tt.env, e.Tier, e.Cluster.KubernetesVersion)
		}
		ref := "tag:" + e.Source.Tag
		if e.Source.Branch != "" {
			ref = "branch:" + e.Source.Branch
		}
		if ref != tt.ref {
			t.Errorf("%s: ref %s, want %s", tt.env, ref, tt.ref)
		}
		accounts, regions := map[string]bool{}, map[string]bool{}
		for _, tg := range e.Targets {
			accounts[tg.Account] = true
			regions[tg.Region] = true
		}
		if len(e.Targets) < tt.minTargets || len(accounts) < tt.accounts || (tt.env == "prod" && len(regions) < 2) {
			t.Errorf("%s: %d targets, %d accounts, %d regions", tt.env, len(e.Targets), len(accounts), len(regions))
		}
		for _, obj := range o.Object {
			tf, ok := obj.Object.(*infrav1.Terraform)
			if !ok {
				continue
			}
			if tf.Spec.ApprovePlan != tt.approve {
				t.Errorf("%s: %s approvePlan %q, want %q", tt.env, tf.Name, tf.Spec.ApprovePlan, tt.approve)
			}
			if tt.tier == TierProd && tf.Spec.DestroyResourcesOnDeletion {
				t.Errorf("%s: prod must not destroy on deletion", tf.Name)
			}
			if tf.Labels["fluxtf.io/component"] != "eks" {
				if len(tf.Spec.DependsOn) == 0 || len(tf.Spec.VarsFrom) == 0 {
					t.Errorf("%s: component without dependsOn/varsFrom on the base", tf.Name)
				}
			} else if tf.Spec.WriteOutputsToSecret == nil {
				t.Errorf("%s: base writes no outputs", tf.Name)
			}
		}
		if _, ok := e.Components["efs"]; !ok {
			t.Errorf("%s: EFS should be enabled in the fixtures", tt.env)
		}
		if _, ok := e.Components["karpenter"]; !ok {
			t.Errorf("%s: Karpenter should be enabled in the fixtures", tt.env)
		}
	}
}

func TestCatalogue(t *testing.T) {
	t.Parallel()
	st, err := templates.Embedded().Stack(DefaultStack)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(st.Components); n < 20 {
		t.Errorf("catalogue has %d components, want at least 20", n)
	}
	for _, name := range []string{"istio", "adot", "karpenter", "argocd", "velero", "external-dns", "aws-load-balancer-controller", "efs"} {
		m := st.Component(name)
		if m == nil {
			t.Errorf("seed component %s missing", name)
			continue
		}
		if m.Path == "" || len(m.Reads) == 0 || m.Description == "" {
			t.Errorf("%s: needs a path, the base outputs it reads and a description", name)
		}
	}
}

// TestTemplatesOverride replaces the embedded catalogue and tier defaults
// with a user's folder.
func TestTemplatesOverride(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "stacks", "jeppesen-eks.yaml"), []byte(testStack), 0o644)) // contract_test.go
	must(t, os.WriteFile(filepath.Join(dir, "tiers.yaml"), []byte("all: {terraform: {interval: 7m, assumeRole: r}, cluster: {os: AL2023}}\n"), 0o644))
	specs := filepath.Join(dir, "specs")
	must(t, os.MkdirAll(specs, 0o755))
	must(t, os.WriteFile(filepath.Join(specs, "dev.yaml"), []byte(`apiVersion: fluxtf/v1alpha1
kind: Environment
name: dev
source: {url: "https://example.com/x.git", branch: alpha, interval: 1m}
targets: [{account: digx-dev, accountId: "123456789012", region: eu-west-1}]
cluster: {kubernetesVersion: "1.30", nodeGroups: [{name: a, instanceTypes: [m6i.large], minSize: 2, maxSize: 3}]}
components: {hello: {}}
`), 0o644))
	set, err := templates.WithOverrides(dir)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: specs, Templates: set}, Envs: []string{"dev"}})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range outs[0].Files {
		paths = append(paths, f.Path)
		if strings.HasSuffix(f.Path, "hello.yaml") && !bytes.Contains(f.Data, []byte("interval: 7m0s")) {
			t.Errorf("tier override not applied:\n%s", f.Data)
		}
	}
	want := "dev/digx-dev-eu-west-1/cluster.yaml dev/digx-dev-eu-west-1/hello.yaml dev/gitrepository.yaml dev/kustomization.yaml"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("files %s, want %s", got, want)
	}
	// the embedded catalogue's components are gone with the override
	must(t, os.WriteFile(filepath.Join(specs, "dev.yaml"), []byte(`apiVersion: fluxtf/v1alpha1
kind: Environment
name: dev
source: {url: "https://example.com/x.git", branch: alpha}
targets: [{account: digx-dev, accountId: "123456789012", region: eu-west-1}]
cluster: {kubernetesVersion: "1.30", nodeGroups: [{name: a, instanceTypes: [m6i.large], minSize: 2, maxSize: 3}]}
components: {karpenter: {}}
`), 0o644))
	_, err = Build(Options{LoadOptions: LoadOptions{SpecsDir: specs, Templates: set}, Envs: []string{"dev"}})
	if err == nil || !strings.Contains(err.Error(), `unknown component "karpenter"`) {
		t.Errorf("want unknown component error, got %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestFailedWriteLeavesOldOutput makes the third staged write fail and
// checks that the previous output is byte-for-byte intact with no staging
// files or new folders left behind.
func TestFailedWriteLeavesOldOutput(t *testing.T) {
	out := t.TempDir()
	specs := fixtureSpecs(t)
	if _, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: specs}, OutDir: out, Envs: []string{"uat"}}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	var n atomic.Int32
	testHookWrite = func(string) error {
		if n.Add(1) == 3 {
			return errors.New("disk full")
		}
		return nil
	}
	defer func() { testHookWrite = nil }()
	_, err := Render(Options{LoadOptions: LoadOptions{SpecsDir: specs}, OutDir: out, All: true})
	if err == nil || !strings.Contains(err.Error(), "disk full; nothing was changed") {
		t.Fatalf("want the injected failure, got %v", err)
	}
	if after := snapshot(t, out); after != before {
		t.Errorf("output changed by a failed render:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestConcurrentRenderIsRefused holds the output root's lock as another
// render would and checks a second render refuses to start.
func TestConcurrentRenderIsRefused(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	unlock, err := lockDir(out)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Render(Options{LoadOptions: LoadOptions{SpecsDir: fixtureSpecs(t)}, OutDir: out, All: true})
	if err == nil || !strings.Contains(err.Error(), "another fluxtf render is writing") {
		t.Fatalf("want a lock error, got %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("files written despite the lock: %v", ents)
	}
}

// snapshot lists every file under dir with its content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			b.WriteString(rel + "/\n")
			return nil
		}
		data, err := os.ReadFile(p)
		b.WriteString(rel + "\n" + string(data))
		return err
	})
	must(t, err)
	return b.String()
}
