package sourcecheck_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	root := filepath.Join(crdtest.UpstreamDir(t), "samples")
	type sample struct {
		name string
		data []byte
	}
	var samples []sample
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		docs, err := crdtest.SplitYAMLDocuments(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		for i, doc := range docs {
			var head struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &head); err != nil {
				t.Errorf("%s#%d: %v", rel, i, err)
				continue
			}
			if head.Kind == sourcev1.GitRepositoryKind && head.APIVersion == sourcecheck.GitRepositoryAPIVersion {
				samples = append(samples, sample{name: rel + "#" + strconv.Itoa(i), data: doc})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no v1 GitRepository sample found")
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			jsonDoc, err := yaml.YAMLToJSON(s.data)
			if err != nil {
				t.Fatal(err)
			}
			if err := crdtest.ValidateJSON(crd.compiled, jsonDoc); err != nil {
				t.Errorf("the CRD's JSON Schema rejects the sample itself: %v", err)
			}
			var g sourcev1.GitRepository
			if err := yaml.UnmarshalStrict(s.data, &g); err != nil {
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
