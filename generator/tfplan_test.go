package generator

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/tfplan"
)

// terraformBinary finds terraform on the PATH: a skip with a message
// locally, a failure in CI (CI=true), where it must be installed.
func terraformBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("terraform")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("terraform is not on the PATH; CI must install it (terraform 1.11.4) for the tf-controller reproduction tests")
		}
		t.Skip("terraform is not on the PATH: skipping the tf-controller reproduction (install terraform 1.11 to run it)")
	}
	return bin
}

// TestRenderedTerraformsPlan renders every example environment in memory
// and runs each Terraform object through the real terraform CLI as
// tf-controller's runner would (package tfplan): the variables file from
// spec.vars and from the varsFrom Secrets that the objects it dependsOn
// wrote, an interface-only module generated from the catalogue's contract,
// init -backend=false and plan; producers are applied so that their
// outputs Secret holds what tf-controller stores. Every object must plan,
// including those reading list outputs, and every backend must initialise
// (s3 against a local fake of AWS, at the object's own state key).
func TestRenderedTerraformsPlan(t *testing.T) {
	t.Parallel()
	bin := terraformBinary(t)
	specs := fixtureSpecs(t)
	files, err := filepath.Glob(filepath.Join(specs, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var objs []tfplan.Object
	decoded := 0
	for _, f := range files {
		env := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if env == strings.TrimSuffix(DefaultsFile, ".yaml") {
			continue
		}
		l, err := Load(LoadOptions{SpecsDir: specs}, env)
		if err != nil {
			t.Fatal(err)
		}
		rendered, err := Expand(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range rendered {
			tf, ok := o.Object.(*infrav1.Terraform)
			if !ok {
				continue
			}
			m := l.Stack.Module(tf.Labels[contract.LabelComponent])
			if m == nil {
				t.Fatalf("%s: no catalogue module %q", tf.Name, tf.Labels[contract.LabelComponent])
			}
			for _, in := range l.Stack.Contract(m) {
				if in.Decode != "" {
					decoded++
				}
			}
			objs = append(objs, tfplan.Object{Terraform: tf, Stack: l.Stack, Module: m})
		}
	}
	if len(objs) < 30 || decoded == 0 {
		t.Fatalf("%d Terraforms, %d decoded inputs: the examples should chain list outputs", len(objs), decoded)
	}
	r, err := tfplan.NewRunner(bin, t.TempDir(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	results := r.Run(ctx, objs)
	t.Logf("%d Terraforms planned with terraform (2 at a time) in %s", len(objs), time.Since(start).Round(time.Millisecond))
	for _, res := range results {
		if res.Err != nil {
			t.Errorf("%s: %v", res.Name, res.Err)
		}
	}
	// every s3 backend looked for its state at its own key
	stateObjects, _ := r.StateObjects()
	asked := map[string]bool{}
	for _, o := range stateObjects {
		asked[o] = true
	}
	s3 := regexp.MustCompile(`(?m)^\s*(bucket|key)\s*=\s*"([^"]*)"`)
	for _, o := range objs {
		cfg := o.Terraform.Spec.BackendConfig
		if cfg == nil || cfg.CustomConfiguration == "" {
			continue
		}
		kv := map[string]string{}
		for _, m := range s3.FindAllStringSubmatch(cfg.CustomConfiguration, -1) {
			kv[m[1]] = m[2]
		}
		if want := kv["bucket"] + "/" + kv["key"]; !asked[want] {
			t.Errorf("%s: terraform init never looked for the state at %s (asked: %v)", o.Terraform.Name, want, stateObjects)
		}
	}
}
