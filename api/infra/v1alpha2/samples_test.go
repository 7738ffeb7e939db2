package v1alpha2_test

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/crdtest"
)

// terraformSamples returns every Terraform document of the upstream samples,
// keyed by apiVersion.
func terraformSamples(t *testing.T) map[string][]crdtest.Sample {
	t.Helper()
	out := map[string][]crdtest.Sample{}
	for _, s := range crdtest.Samples(t, v1alpha2.TerraformKind) {
		out[s.APIVersion] = append(out[s.APIVersion], s)
	}
	return out
}

// TestTerraformSamples decodes every upstream Terraform sample strictly into the
// Go types and validates it; v1alpha1 samples must use no v1alpha2-only field.
// Re-encoding the decoded object must still satisfy the CRD's JSON Schema.
func TestTerraformSamples(t *testing.T) {
	t.Parallel()
	crd := loadTerraformCRD(t)
	samples := terraformSamples(t)
	tests := []struct {
		name       string
		apiVersion string
		validate   func(*v1alpha2.Terraform) []string
		check      func(doc []byte) error
	}{
		{
			name:       "v1alpha2",
			apiVersion: v1alpha2.APIVersion,
			validate: func(tf *v1alpha2.Terraform) []string {
				return errorStrings(tf.Validate())
			},
			check: func(doc []byte) error { return crdtest.ValidateJSON(crd.compiled, doc) },
		},
		{
			name:       "v1alpha1",
			apiVersion: v1alpha2.DeprecatedAPIVersion,
			validate: func(tf *v1alpha2.Terraform) []string {
				return errorStrings(tf.ValidateAsV1alpha1())
			},
			check: func(doc []byte) error { return crdtest.ValidateJSON(crd.compiledV1, doc) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			docs := samples[tc.apiVersion]
			if len(docs) == 0 {
				t.Fatalf("no %s Terraform sample found", tc.apiVersion)
			}
			for _, sd := range docs {
				t.Run(sd.Name, func(t *testing.T) {
					t.Parallel()
					jsonDoc, err := yaml.YAMLToJSON(sd.Data)
					if err != nil {
						t.Fatal(err)
					}
					if err := tc.check(jsonDoc); err != nil {
						t.Errorf("the CRD's JSON Schema rejects the sample itself: %v", err)
					}
					var raw map[string]any
					if err := yaml.Unmarshal(sd.Data, &raw); err != nil {
						t.Fatal(err)
					}
					if tc.apiVersion == v1alpha2.DeprecatedAPIVersion {
						if errs := v1alpha2.FindV1alpha2OnlyFields(raw); len(errs) > 0 {
							t.Errorf("v1alpha1 sample uses v1alpha2-only fields: %v", errs)
						}
					}
					var tf v1alpha2.Terraform
					if err := yaml.UnmarshalStrict(sd.Data, &tf); err != nil {
						t.Fatalf("strict decode: %v", err)
					}
					if errs := tc.validate(&tf); len(errs) > 0 {
						t.Errorf("validation errors:\n  %s", strings.Join(errs, "\n  "))
					}
					if err := tc.check(crdtest.MarshalJSON(t, &tf)); err != nil {
						t.Errorf("re-encoded object violates the CRD schema: %v\n%s", err, crdtest.MarshalJSON(t, &tf))
					}
				})
			}
		})
	}
}

func errorStrings[E interface{ Error() string }](errs []E) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}
