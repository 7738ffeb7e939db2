package v1alpha2_test

import (
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/crdtest"
)

const terraformCRDFile = "crds/infra.contrib.fluxcd.io_terraforms.yaml"

// terraformCRD holds the Terraform CRD schemas, loaded and compiled once per test
// binary.
type terraformCRD struct {
	v1alpha2   map[string]any     // openAPIV3Schema of v1alpha2
	v1alpha1   map[string]any     // openAPIV3Schema of v1alpha1
	compiled   *jsonschema.Schema // JSON Schema of v1alpha2
	compiledV1 *jsonschema.Schema // JSON Schema of v1alpha1
	err        error
}

var (
	crdOnce   sync.Once
	crdLoaded terraformCRD
)

func loadTerraformCRD(t *testing.T) *terraformCRD {
	t.Helper()
	dir := crdtest.UpstreamDir(t)
	crdOnce.Do(func() {
		file := filepath.Join(dir, terraformCRDFile)
		c := &crdLoaded
		if c.v1alpha2, c.err = crdtest.LoadCRDSchema(file, "v1alpha2"); c.err != nil {
			return
		}
		if c.v1alpha1, c.err = crdtest.LoadCRDSchema(file, "v1alpha1"); c.err != nil {
			return
		}
		if c.compiled, c.err = crdtest.CompileJSONSchema("terraform-v1alpha2.json", crdtest.ToJSONSchema(c.v1alpha2)); c.err != nil {
			return
		}
		c.compiledV1, c.err = crdtest.CompileJSONSchema("terraform-v1alpha1.json", crdtest.ToJSONSchema(c.v1alpha1))
	})
	if crdLoaded.err != nil {
		t.Fatalf("loading %s: %v", terraformCRDFile, crdLoaded.err)
	}
	return &crdLoaded
}

var terraformType = reflect.TypeFor[v1alpha2.Terraform]()
