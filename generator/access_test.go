package generator

import (
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/contract"
)

// TestRunnerAccessRenders: private annotates every Terraform of the
// target; public also opens the base's endpoint to runnerCidrs only.
func TestRunnerAccessRenders(t *testing.T) {
	t.Parallel()
	prod := strings.Replace(testProd, "region: us-east-1}", "region: us-east-1, runnerAccess: public}", 1) +
		"terraform:\n  runnerAccess: private\n  runnerCidrs: [203.0.113.10/32]\n"
	dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": prod})
	for name, tf := range terraforms(t, dir, "prod") {
		want := "private"
		if strings.Contains(name, "us-east-1") {
			want = "public"
		}
		if got := tf.Annotations[contract.AnnotationRunnerAccess]; got != want {
			t.Errorf("%s: runner access %q, want %q", name, got, want)
		}
		if !strings.HasSuffix(name, "-eks") {
			continue
		}
		vars := map[string]string{}
		for _, v := range tf.Spec.Vars {
			vars[v.Name] = string(v.Value.Raw)
		}
		wantOpen, wantCIDRs := "false", ""
		if want == "public" {
			wantOpen, wantCIDRs = "true", `["203.0.113.10/32"]`
		}
		if vars[contract.VarEndpointPublicAccess] != wantOpen || vars[contract.VarEndpointPublicCIDRs] != wantCIDRs {
			t.Errorf("%s: endpoint vars %s, %s; want %s, %s", name, vars[contract.VarEndpointPublicAccess], vars[contract.VarEndpointPublicCIDRs], wantOpen, wantCIDRs)
		}
	}
}

func TestRunnerAccessErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, prod, want string
	}{
		{
			name: "public without runner addresses",
			prod: testProd + "terraform: {runnerAccess: public}\n",
			want: "terraform.runnerCidrs: is required when a target's runnerAccess is public",
		},
		{
			name: "open to the internet",
			prod: testProd + "terraform: {runnerAccess: public, runnerCidrs: [0.0.0.0/0, 10.0.0.300/8]}\n",
			want: "terraform.runnerCidrs[0]: 0.0.0.0/0 opens the cluster API to the whole internet",
		},
		{
			name: "not a CIDR",
			prod: testProd + "terraform: {runnerAccess: public, runnerCidrs: [10.0.0.300/8]}\n",
			want: `terraform.runnerCidrs[0]: "10.0.0.300/8" is not a CIDR block`,
		},
		{
			name: "unknown mode",
			prod: strings.Replace(testProd, "region: us-east-1}", "region: us-east-1, runnerAccess: vpn}", 1),
			want: `prod.yaml:7:75: targets[1].runnerAccess: must be private or public, got "vpn"`,
		},
		{
			name: "endpoint set twice",
			prod: testProd + "cluster:\n  vars: {cluster_endpoint_public_access: true}\nterraform: {runnerAccess: public, runnerCidrs: [203.0.113.10/32]}\n",
			want: "cluster.vars[cluster_endpoint_public_access]: is set by fluxtf when a target's runnerAccess is public",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantLoadError(t, "", tc.prod, tc.want)
		})
	}
}
