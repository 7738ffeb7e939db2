package tfplan

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/templates"
)

func jsonVar(name, raw string) infrav1.Variable {
	return infrav1.Variable{Name: name, Value: &apiextensionsv1.JSON{Raw: []byte(raw)}}
}

func TestTFVars(t *testing.T) {
	t.Parallel()
	secrets := Secrets{"base-outputs": {
		"cluster_name":             []byte("dev-a"),
		"private_subnet_ids":       []byte("[\n  \"subnet-a\"\n]"),
		"private_subnet_ids__type": []byte(`["list","string"]`),
	}}
	tests := []struct {
		name     string
		spec     infrav1.TerraformSpec
		want     string
		missing  string
		errorMsg string
	}{
		{
			name: "vars keep their JSON, varsFrom values become strings and win",
			spec: infrav1.TerraformSpec{
				Vars:     []infrav1.Variable{jsonVar("n", `3`), jsonVar("l", `["a"]`), jsonVar("cluster_name", `"old"`)},
				VarsFrom: []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "base-outputs", VarsKeys: []string{"cluster_name", "private_subnet_ids:subnets"}}},
			},
			want: `{"cluster_name":"dev-a","l":["a"],"n":3,"subnets":"[\n  \"subnet-a\"\n]"}`,
		},
		{
			name: "no varsKeys: every key, the type keys too",
			spec: infrav1.TerraformSpec{VarsFrom: []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "base-outputs"}}},
			want: `{"cluster_name":"dev-a","private_subnet_ids":"[\n  \"subnet-a\"\n]","private_subnet_ids__type":"[\"list\",\"string\"]"}`,
		},
		{
			name:    "a key the Secret lacks is an empty string",
			spec:    infrav1.TerraformSpec{VarsFrom: []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "base-outputs", VarsKeys: []string{"vpc_id"}}}},
			want:    `{"vpc_id":""}`,
			missing: "varsFrom key vpc_id: Secret base-outputs has no such key",
		},
		{
			name: "an optional Secret that does not exist",
			spec: infrav1.TerraformSpec{VarsFrom: []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "nope", Optional: true}}},
			want: `{}`,
		},
		{
			name:     "a Secret that does not exist",
			spec:     infrav1.TerraformSpec{VarsFrom: []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "nope"}}},
			errorMsg: "Secret nope does not exist",
		},
		{
			name:     "values are not reproduced",
			spec:     infrav1.TerraformSpec{Values: &apiextensionsv1.JSON{Raw: []byte(`{"a":1}`)}},
			errorMsg: "not reproduced",
		},
		{
			name:     "a bad rename pattern",
			spec:     infrav1.TerraformSpec{VarsFrom: []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "base-outputs", VarsKeys: []string{"a:"}}}},
			errorMsg: `invalid rename pattern "a:"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, missing, err := TFVars(&infrav1.Terraform{Spec: tc.spec}, secrets)
			if tc.errorMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errorMsg) {
					t.Fatalf("error %v, want %q", err, tc.errorMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("tfvars\n%s\nwant\n%s", got, tc.want)
			}
			if strings.Join(missing, "\n") != tc.missing && !strings.Contains(strings.Join(missing, "\n"), tc.missing) || (tc.missing == "") != (len(missing) == 0) {
				t.Errorf("missing %q, want %q", missing, tc.missing)
			}
		})
	}
}

func TestSecretData(t *testing.T) {
	t.Parallel()
	outputs := map[string]OutputMeta{
		"name": {Type: json.RawMessage(`"string"`), Value: json.RawMessage(`"dev-a"`)},
		"ids":  {Type: json.RawMessage(`["list","string"]`), Value: json.RawMessage(`["s-1","s-2"]`)},
		"n":    {Type: json.RawMessage(`"number"`), Value: json.RawMessage(`2`)},
	}
	got, err := SecretData(&infrav1.WriteOutputsToSecretSpec{Name: "x", Outputs: []string{"name", "ids:subnets", "n"}}, outputs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"name": "dev-a", "subnets": `["s-1","s-2"]`, "subnets__type": `["list","string"]`, "n": "2", "n__type": `"number"`}
	if len(got) != len(want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	for k, v := range want {
		if string(got[k]) != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	all, err := SecretData(&infrav1.WriteOutputsToSecretSpec{Name: "x"}, outputs)
	if err != nil || len(all) != 5 {
		t.Errorf("no outputs listed: %d keys (%v), want every output", len(all), err)
	}
	if _, err := SecretData(&infrav1.WriteOutputsToSecretSpec{Name: "x", Outputs: []string{"vpc_id"}}, outputs); err == nil || !strings.Contains(err.Error(), "output not found: vpc_id") {
		t.Errorf("a listed output that does not exist: %v", err)
	}
}

func TestBackendOverride(t *testing.T) {
	t.Parallel()
	tf := &infrav1.Terraform{ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "flux-system"}}
	if got := BackendOverride(tf); !strings.Contains(got, `secret_suffix     = "a"`) || !strings.Contains(got, "in_cluster_config = true") {
		t.Errorf("default backend:\n%s", got)
	}
	tf.Spec.BackendConfig = &infrav1.BackendConfigSpec{CustomConfiguration: "backend \"s3\" {\n  bucket = \"b\"\n}\n"}
	if got := BackendOverride(tf); got != "\nterraform {\n  backend \"s3\" {\n  bucket = \"b\"\n}\n\n}\n" {
		t.Errorf("custom backend:\n%q", got)
	}
	tf.Spec.BackendConfig = &infrav1.BackendConfigSpec{SecretSuffix: "s", InClusterConfig: true, Labels: map[string]string{"b": "2", "a": "1"}}
	if got := BackendOverride(tf); !strings.Contains(got, `secret_suffix     = "s"`) || !strings.Contains(got, "\"a\" = \"1\"\n      \"b\" = \"2\"") {
		t.Errorf("kubernetes backend:\n%s", got)
	}
	tf.Spec.BackendConfig = &infrav1.BackendConfigSpec{Disable: true}
	if got := BackendOverride(tf); got != "" {
		t.Errorf("disabled backend: %q", got)
	}
}

func TestInterfaceModule(t *testing.T) {
	t.Parallel()
	st := testStack()
	mod, err := InterfaceModule(st, st.Component("consumer"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"variable \"private_subnet_ids\" {\n  type = string\n}",
		"variable \"replicas\" {\n  type = number\n  default = null\n}",
		"private_subnet_ids = jsondecode(var.private_subnet_ids)",
		"output \"queue\" {\n  value = \"placeholder-queue\"\n}",
	} {
		if !strings.Contains(mod["main.tf"], want) {
			t.Errorf("main.tf lacks %q:\n%s", want, mod["main.tf"])
		}
	}
	if want := "variable \"private_subnet_ids\" {\n  type = list(string)\n}"; !strings.Contains(mod[DecodedModule+"/main.tf"], want) {
		t.Errorf("decoded module lacks %q:\n%s", want, mod[DecodedModule+"/main.tf"])
	}
}

// testStack: a base writing a string and a list output, and a consumer
// reading both.
func testStack() *templates.Stack {
	return &templates.Stack{
		Name:   "test",
		Inputs: []templates.Input{{Name: "region", Type: "string", Required: true}},
		Base: templates.Module{
			Name:    "base",
			Outputs: []templates.Output{{Name: "cluster_name", Type: "string"}, {Name: "private_subnet_ids", Type: "list(string)"}},
		},
		Components: []templates.Module{{
			Name:    "consumer",
			Inputs:  []templates.Input{{Name: "replicas", Type: "number"}},
			Reads:   []string{"cluster_name", "private_subnet_ids"},
			Outputs: []templates.Output{{Name: "queue", Type: "string"}},
		}},
	}
}

func terraformBinary(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("terraform")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("terraform is not on the PATH; CI must install it (terraform 1.11.4)")
		}
		t.Skip("terraform is not on the PATH: skipping (install terraform 1.11 to run it)")
	}
	return bin
}

// TestRunnerCatches: the harness fails where tf-controller would, so the
// rendered objects' passing means something. Each case changes one thing
// of a base and consumer pair that plans.
func TestRunnerCatches(t *testing.T) {
	t.Parallel()
	bin := terraformBinary(t)
	base := func() *infrav1.Terraform {
		return &infrav1.Terraform{
			ObjectMeta: metav1.ObjectMeta{Name: "base", Namespace: "flux-system"},
			Spec: infrav1.TerraformSpec{
				Vars:                 []infrav1.Variable{jsonVar("region", `"eu-west-1"`)},
				WriteOutputsToSecret: &infrav1.WriteOutputsToSecretSpec{Name: "base-outputs", Outputs: []string{"cluster_name", "private_subnet_ids"}},
				BackendConfig:        &infrav1.BackendConfigSpec{CustomConfiguration: "backend \"s3\" {\n  bucket = \"state\"\n  key    = \"test/base.tfstate\"\n  region = \"eu-west-1\"\n  use_lockfile = true\n}\n"},
			},
		}
	}
	consumer := func() *infrav1.Terraform {
		return &infrav1.Terraform{
			ObjectMeta: metav1.ObjectMeta{Name: "consumer", Namespace: "flux-system"},
			Spec: infrav1.TerraformSpec{
				Vars:          []infrav1.Variable{jsonVar("region", `"eu-west-1"`), jsonVar("replicas", `2`)},
				DependsOn:     []infrav1.NamespacedObjectReference{{Name: "base"}},
				VarsFrom:      []infrav1.VarsReference{{Kind: infrav1.ReferenceKindSecret, Name: "base-outputs", VarsKeys: []string{"cluster_name", "private_subnet_ids"}}},
				BackendConfig: &infrav1.BackendConfigSpec{SecretSuffix: "consumer", InClusterConfig: true},
			},
		}
	}
	tests := []struct {
		name  string
		edit  func(st *templates.Stack, base, consumer *infrav1.Terraform)
		wants string // "" plans
	}{
		{name: "the pair plans", edit: func(*templates.Stack, *infrav1.Terraform, *infrav1.Terraform) {}},
		{
			name: "a list output read into a list(string) variable",
			edit: func(st *templates.Stack, _, _ *infrav1.Terraform) {
				c := st.Component("consumer")
				c.Reads = []string{"cluster_name"}
				c.Inputs = append(c.Inputs, templates.Input{Name: "private_subnet_ids", Type: "list(string)", Required: true})
			},
			wants: "list of string required",
		},
		{
			name: "an undeclared variable",
			edit: func(_ *templates.Stack, _, c *infrav1.Terraform) {
				c.Spec.Vars = append(c.Spec.Vars, jsonVar("replica", `2`))
			},
			wants: "undeclared variable",
		},
		{
			name:  "a required input missing",
			edit:  func(_ *templates.Stack, _, c *infrav1.Terraform) { c.Spec.Vars = c.Spec.Vars[1:] },
			wants: "No value for required variable",
		},
		{
			name: "a listed output the module does not have",
			edit: func(_ *templates.Stack, b, _ *infrav1.Terraform) {
				b.Spec.WriteOutputsToSecret.Outputs = append(b.Spec.WriteOutputsToSecret.Outputs, "vpc_id")
			},
			wants: "output not found: vpc_id",
		},
		{
			name: "a varsFrom key the producer does not write",
			edit: func(_ *templates.Stack, _, c *infrav1.Terraform) {
				c.Spec.VarsFrom[0].VarsKeys = append(c.Spec.VarsFrom[0].VarsKeys, "vpc_id")
			},
			wants: "varsFrom key vpc_id: Secret base-outputs has no such key",
		},
		{
			name: "a misspelt s3 backend attribute",
			edit: func(_ *templates.Stack, b, _ *infrav1.Terraform) {
				b.Spec.BackendConfig.CustomConfiguration = strings.Replace(b.Spec.BackendConfig.CustomConfiguration, "use_lockfile", "use_lock_file", 1)
			},
			wants: `An argument named "use_lock_file" is not expected here`,
		},
		{
			name: "a Kubernetes backend attribute of the wrong type",
			edit: func(_ *templates.Stack, _, c *infrav1.Terraform) {
				c.Spec.BackendConfig = &infrav1.BackendConfigSpec{CustomConfiguration: "backend \"kubernetes\" {\n  secret_suffix = [\"a\"]\n  in_cluster_config = true\n}\n"}
			},
			wants: "backend:",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, b, c := testStack(), base(), consumer()
			tc.edit(st, b, c)
			r, err := NewRunner(bin, t.TempDir(), 1)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			results := r.Run(ctx, []Object{
				{Terraform: c, Stack: st, Module: st.Component("consumer")},
				{Terraform: b, Stack: st, Module: &st.Base},
			})
			var errs []string
			for _, res := range results {
				if res.Err != nil {
					errs = append(errs, res.Name+": "+res.Err.Error())
				}
			}
			got := strings.Join(errs, "\n")
			switch {
			case tc.wants == "" && got != "":
				t.Errorf("want no error, got:\n%s", got)
			case tc.wants != "" && !strings.Contains(got, tc.wants):
				t.Errorf("want an error with %q, got:\n%s", tc.wants, got)
			}
			if tc.wants == "" {
				if objs, _ := r.StateObjects(); strings.Join(objs, " ") != "state/test/base.tfstate" {
					t.Errorf("state objects asked for: %v", objs)
				}
			}
		})
	}
}
