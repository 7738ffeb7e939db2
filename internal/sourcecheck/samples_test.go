package sourcecheck_test

import (
	"testing"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/sourcecheck"
)

// TestGitRepositorySamples decodes every v1 GitRepository document of the upstream
// samples (Terraform sample files included) strictly and validates it.
func TestGitRepositorySamples(t *testing.T) {
	t.Parallel()
	crd := loadGitRepositoryCRD(t)
	var samples []crdtest.Sample
	for _, s := range crdtest.Samples(t, sourcev1.GitRepositoryKind) {
		if s.APIVersion == sourcecheck.GitRepositoryAPIVersion {
			samples = append(samples, s)
		}
	}
	if len(samples) == 0 {
		t.Fatal("no v1 GitRepository sample found")
	}
	for _, s := range samples {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			jsonDoc, err := yaml.YAMLToJSON(s.Data)
			if err != nil {
				t.Fatal(err)
			}
			if err := crdtest.ValidateJSON(crd.compiled, jsonDoc); err != nil {
				t.Errorf("the CRD's JSON Schema rejects the sample itself: %v", err)
			}
			var g sourcev1.GitRepository
			if err := yaml.UnmarshalStrict(s.Data, &g); err != nil {
				t.Fatalf("strict decode: %v", err)
			}
			if errs := sourcecheck.ValidateGitRepository(&g); len(errs) > 0 {
				t.Errorf("validation errors: %v", errs)
			}
			if err := crdtest.ValidateJSON(crd.compiled, crdtest.MarshalJSON(t, &g)); err != nil {
				t.Errorf("re-encoded object violates the CRD schema: %v", err)
			}
		})
	}
}
