package generator

import (
	"testing"

	"github.com/digx/fluxtf/internal/contract"
)

// customProd is testProd (targets in eu-west-1 and us-east-1) on CUSTOM
// with the given customImage block.
func customProd(image string) string {
	return testProd + "cluster:\n  os: CUSTOM\n  customImage:\n" + image
}

// TestCustomImagePerRegion: each base Terraform gets its own region's image.
func TestCustomImagePerRegion(t *testing.T) {
	t.Parallel()
	prod := customProd(`    regions:
      eu-west-1: {amiId: ami-0123456789abcdef0}
      us-east-1: {pipelineArn: "arn:aws:imagebuilder:us-east-1:444444444444:image-pipeline/eks-nodes"}
`)
	dir := specDir(t, map[string]string{"defaults.yaml": testDefaults, "prod.yaml": prod})
	tfs := terraforms(t, dir, "prod")
	want := map[string][2]string{
		"prod-digx-prod-eu-eu-west-1-eks": {contract.VarCustomAMIID, `"ami-0123456789abcdef0"`},
		"prod-digx-prod-us-us-east-1-eks": {contract.VarImagePipelineARN, `"arn:aws:imagebuilder:us-east-1:444444444444:image-pipeline/eks-nodes"`},
	}
	for name, w := range want {
		got := map[string]string{}
		for _, v := range tfs[name].Spec.Vars {
			got[v.Name] = string(v.Value.Raw)
		}
		if got[w[0]] != w[1] {
			t.Errorf("%s: %s = %s, want %s", name, w[0], got[w[0]], w[1])
		}
		for _, other := range []string{contract.VarCustomAMIID, contract.VarImagePipelineARN} {
			if other != w[0] && got[other] != "" {
				t.Errorf("%s: %s is also set (%s)", name, other, got[other])
			}
		}
	}
}

func TestCustomImageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		image string
		want  string
	}{
		{
			name:  "one AMI for two regions",
			image: "    amiId: ami-0123456789abcdef0\n",
			want:  "prod.yaml:13:3: cluster.customImage: names one image, but the targets are in eu-west-1, us-east-1, and an AMI or pipeline belongs to one region",
		},
		{
			name:  "a region without an image",
			image: "    regions:\n      eu-west-1: {amiId: ami-0123456789abcdef0}\n",
			want:  "prod.yaml:14:5: cluster.customImage.regions: has no image for us-east-1, where a target is",
		},
		{
			name:  "a pipeline of another region",
			image: "    regions:\n      eu-west-1: {amiId: ami-0123456789abcdef0}\n      us-east-1: {pipelineArn: \"arn:aws:imagebuilder:eu-west-1:444444444444:image-pipeline/x\"}\n",
			want:  "prod.yaml:16:19: cluster.customImage.regions[us-east-1].pipelineArn: is a pipeline in eu-west-1, not us-east-1",
		},
		{
			name:  "both once and per region",
			image: "    amiId: ami-0123456789abcdef0\n    regions:\n      eu-west-1: {amiId: ami-0123456789abcdef0}\n      us-east-1: {amiId: ami-0123456789abcdef1}\n",
			want:  "prod.yaml:13:3: cluster.customImage: set the image either once (amiId or pipelineArn) or per region (regions), not both",
		},
		{
			name:  "an empty region",
			image: "    regions:\n      eu-west-1: {}\n      us-east-1: {amiId: ami-0123456789abcdef1}\n",
			want:  "cluster.customImage.regions[eu-west-1]: set amiId or pipelineArn",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantLoadError(t, "", customProd(tc.image), tc.want)
		})
	}
}
