package sourcecheck_test

import (
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/digx/fluxtf/internal/crdtest"
)

const gitRepositoryCRDFile = "crds/source.toolkit.fluxcd.io_gitrepositories.yaml"

// gitRepositoryCRD holds the v1 GitRepository CRD schema, loaded and compiled once
// per test binary.
type gitRepositoryCRD struct {
	v1       map[string]any
	compiled *jsonschema.Schema
	err      error
}

var (
	crdOnce   sync.Once
	crdLoaded gitRepositoryCRD
)

func loadGitRepositoryCRD(t *testing.T) *gitRepositoryCRD {
	t.Helper()
	dir := crdtest.UpstreamDir(t)
	crdOnce.Do(func() {
		c := &crdLoaded
		if c.v1, c.err = crdtest.LoadCRDSchema(filepath.Join(dir, gitRepositoryCRDFile), "v1"); c.err != nil {
			return
		}
		c.compiled, c.err = crdtest.CompileJSONSchema("gitrepository-v1.json", crdtest.ToJSONSchema(c.v1))
	})
	if crdLoaded.err != nil {
		t.Fatalf("loading %s: %v", gitRepositoryCRDFile, crdLoaded.err)
	}
	return &crdLoaded
}

var gitRepositoryType = reflect.TypeFor[sourcev1.GitRepository]()
