package generator

import (
	"os"
	"path/filepath"
	"testing"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/templates"
)

// TestStackWithoutBase: a catalogue with no base module and no
// stack-specific fields renders its components alone, chained by their own
// dependencies, on an Azure-only target named <subscription>-<location>.
func TestStackWithoutBase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "stacks", "fn.yaml"), []byte(`apiVersion: fluxtf/v1alpha1
kind: Stack
name: fn
description: test
sourcePrefix: fn
targets: [azure]
spec: {}
policies: [common]
inputs:
  - {name: environment, type: string}
  - {name: subscription_id, type: string}
  - {name: location, type: string}
  - {name: resource_group_name, type: string}
components:
  - {name: plan, description: p, path: ./plan, outputs: [{name: plan_id, type: string}]}
  - {name: app, description: a, path: ./app, dependsOn: [plan]}
`), 0o644))
	specs := filepath.Join(dir, "specs")
	must(t, os.MkdirAll(specs, 0o755))
	must(t, os.WriteFile(filepath.Join(specs, "dev.yaml"), []byte(`apiVersion: fluxtf/v1alpha1
kind: Environment
name: dev
stack: fn
source: {url: "https://example.com/x.git", branch: alpha}
targets: [{azure: {subscription: sub-dev, subscriptionId: a1b2c3d4-0000-4000-8000-000000000001, location: westeurope, resourceGroup: rg-dev}}]
components: {plan: {}, app: {}}
`), 0o644))
	set, err := templates.WithOverrides(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(LoadOptions{SpecsDir: specs, Templates: set}, "dev")
	if err != nil {
		t.Fatal(err)
	}
	objs, err := Expand(l)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, o := range objs {
		paths = append(paths, o.Path)
		tf, ok := o.Object.(*infrav1.Terraform)
		if !ok {
			continue
		}
		if len(tf.Spec.VarsFrom) != 0 {
			t.Errorf("%s reads %v without a base", o.Path, tf.Spec.VarsFrom)
		}
		if tf.Annotations["fluxtf.io/policies"] != "common" || tf.Labels["fluxtf.io/subscription"] != "sub-dev" {
			t.Errorf("%s: annotations %v labels %v", o.Path, tf.Annotations, tf.Labels)
		}
		vars := map[string]bool{}
		for _, v := range tf.Spec.Vars {
			vars[v.Name] = true
		}
		if !vars["subscription_id"] || !vars["location"] || !vars["resource_group_name"] || vars["account_id"] || vars["assume_role_arn"] {
			t.Errorf("%s: vars %v", o.Path, vars)
		}
		switch o.Path {
		case "sub-dev-westeurope/app.yaml":
			if len(tf.Spec.DependsOn) != 1 || tf.Spec.DependsOn[0].Name != "dev-sub-dev-westeurope-plan" {
				t.Errorf("app dependsOn %v", tf.Spec.DependsOn)
			}
		case "sub-dev-westeurope/plan.yaml":
			if len(tf.Spec.DependsOn) != 0 {
				t.Errorf("plan dependsOn %v", tf.Spec.DependsOn)
			}
		default:
			t.Errorf("unexpected object %s", o.Path)
		}
	}
	if len(paths) != 3 {
		t.Errorf("objects %v", paths)
	}
}

// TestAzureOnlyStackRefusesAWSFields: an AWS account in a target of a
// stack that deploys to Azure only is an input error at its line.
func TestAzureOnlyStackRefusesAWSFields(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "stacks", "fn.yaml"), []byte("apiVersion: fluxtf/v1alpha1\nkind: Stack\nname: fn\nsourcePrefix: fn\ntargets: [azure]\nspec: {}\ncomponents: [{name: app, path: ./app}]\n"), 0o644))
	specs := filepath.Join(dir, "specs")
	must(t, os.MkdirAll(specs, 0o755))
	must(t, os.WriteFile(filepath.Join(specs, "dev.yaml"), []byte(`apiVersion: fluxtf/v1alpha1
kind: Environment
name: dev
stack: fn
source: {url: "https://example.com/x.git", branch: alpha}
targets:
  - account: digx-dev
    azure: {subscription: sub-dev, subscriptionId: a1b2c3d4-0000-4000-8000-000000000001, location: westeurope, resourceGroup: rg-dev}
`), 0o644))
	set, err := templates.WithOverrides(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(LoadOptions{SpecsDir: specs, Templates: set}, "dev")
	want := filepath.Join(specs, "dev.yaml") + ":7:5: targets[0].account: stack fn deploys to azure only, not to AWS accounts; remove it"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
