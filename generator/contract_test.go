package generator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/templates"
)

// TestContractErrors: the generator passes only the inputs a module's
// contract declares, of their declared types, and every required one;
// anything else is an input error naming the spec file, line and field.
func TestContractErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, prod, want string
	}{
		{
			name: "undeclared component variable",
			prod: testProd + "  efs: {vars: {encrypted: true, throughput: fast}}\n",
			want: "prod.yaml:10:33: components[efs].vars[throughput]: throughput is not an input of module efs in stack jeppesen-eks; remove it (its optional inputs: encrypted, performance_mode, throughput_mode)",
		},
		{
			name: "undeclared base variable",
			prod: testProd + "cluster:\n  vars: {cluster_version: \"1.29\"}\n",
			want: "prod.yaml:11:10: cluster.vars[cluster_version]: cluster_version is not an input of module eks",
		},
		{
			name: "wrong type",
			prod: testProd + "  efs: {vars: {encrypted: \"yes\"}}\n",
			want: `prod.yaml:10:16: components[efs].vars[encrypted]: input encrypted of module efs: bool required, got the string "yes"`,
		},
		{
			name: "list where a string is declared",
			prod: testProd + "cluster:\n  vars: {cluster_addons: coredns}\n",
			want: `cluster.vars[cluster_addons]: input cluster_addons of module eks: list(string) required, got the string "coredns"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			prod := strings.Replace(tc.prod, "components:\n  efs: {}\n  karpenter: {}\n", "components:\n  karpenter: {}\n", 1)
			wantLoadError(t, "", prod, tc.want)
		})
	}
}

// TestContractOfCatalogue: a catalogue override whose module misses an
// input fluxtf sets, or requires one nobody sets, fails at the spec field
// that asks for it.
func TestContractOfCatalogue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, stack, want string
	}{
		{
			name:  "fluxtf-set variable not declared",
			stack: strings.Replace(testStack, "    - {name: kubernetes_version, type: string}\n", "", 1),
			want:  "dev.yaml:6:11: cluster.kubernetesVersion: fluxtf sets variable kubernetes_version from cluster.kubernetesVersion, but module cluster of stack jeppesen-eks does not declare that input",
		},
		{
			name:  "required input nobody sets",
			stack: strings.Replace(testStack, "reads: [cluster_name]", "reads: [cluster_name], inputs: [{name: domain, type: string, required: true}]", 1),
			want:  "components[hello].vars: module hello requires input domain (string); set it under components[hello].vars",
		},
		{
			name:  "default of the wrong type",
			stack: strings.Replace(testStack, "reads: [cluster_name]", "reads: [cluster_name], vars: {replicas: two}, inputs: [{name: replicas, type: number}]", 1),
			want:  `jeppesen-eks.yaml:22:91: components[0].vars.replicas: default of input replicas: number required, got the string "two"`,
		},
		{
			name:  "default not declared",
			stack: strings.Replace(testStack, "reads: [cluster_name]", "reads: [cluster_name], vars: {replicas: 2}", 1),
			want:  `components[0].vars.replicas: "replicas" is not an input of module hello; declare it under inputs`,
		},
		{
			name:  "decode written in the catalogue",
			stack: strings.Replace(testStack, "{name: tags, type: map(string)}", "{name: tags, type: string, decode: map(string)}", 1),
			want:  `base.inputs[4].decode: is derived from the read output's type; remove it`,
		},
		{
			name:  "bad type",
			stack: strings.Replace(testStack, "{name: tags, type: map(string)}", "{name: tags, type: map(strin)}", 1),
			want:  `base.inputs[4].type: type "map(strin)": unknown type "strin"`,
		},
		{
			name:  "read output declared as an input too",
			stack: strings.Replace(testStack, "reads: [cluster_name]", "reads: [cluster_name], inputs: [{name: cluster_name, type: string}]", 1),
			want:  `components[0].reads[0]: "cluster_name" is also declared as an input`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			must(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, "stacks", "jeppesen-eks.yaml"), []byte(tc.stack), 0o644))
			specs := specDir(t, map[string]string{"dev.yaml": testDev})
			set, err := templates.WithOverrides(dir)
			must(t, err)
			_, err = Load(LoadOptions{SpecsDir: specs, Templates: set}, "dev")
			if err == nil {
				t.Fatal("no error")
			}
			msg := strings.ReplaceAll(strings.ReplaceAll(err.Error(), specs+string(filepath.Separator), ""), filepath.Join(dir, "stacks")+string(filepath.Separator), "")
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error:\n%s\nwant a line with:\n%s", msg, tc.want)
			}
		})
	}
	// the catalogue as written loads
	dir := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(dir, "stacks"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "stacks", "jeppesen-eks.yaml"), []byte(testStack), 0o644))
	set, err := templates.WithOverrides(dir)
	must(t, err)
	if _, err := Load(LoadOptions{SpecsDir: specDir(t, map[string]string{"dev.yaml": testDev}), Templates: set}, "dev"); err != nil {
		t.Fatal(err)
	}
}

const (
	testStack = `apiVersion: fluxtf/v1alpha1
kind: Stack
name: jeppesen-eks
description: test
sourcePrefix: jeppesen-eks
inputs:
  - {name: account_id, type: string, required: true}
  - {name: region, type: string}
  - {name: environment, type: string}
  - {name: assume_role_arn, type: string}
base:
  name: cluster
  path: ./base
  outputs: [{name: cluster_name, type: string}]
  inputs:
    - {name: kubernetes_version, type: string}
    - {name: cluster_name, type: string}
    - {name: os, type: string}
    - {name: node_groups, type: any}
    - {name: tags, type: map(string)}
components:
  - {name: hello, description: hi, path: ./hello, reads: [cluster_name]}
`
	testDev = `apiVersion: fluxtf/v1alpha1
kind: Environment
name: dev
source: {url: "https://example.com/x.git", branch: alpha}
targets: [{account: digx-dev, accountId: "123456789012", region: eu-west-1}]
cluster: {kubernetesVersion: "1.30", os: AL2023, nodeGroups: [{name: a, instanceTypes: [m6i.large], minSize: 2, maxSize: 3}]}
components: {hello: {}}
`
)
