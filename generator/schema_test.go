package generator

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/textdiff"
	"github.com/digx/fluxtf/internal/yamlx"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated schema")

// TestSchemaIsFresh fails when environment.schema.json no longer matches
// the Go types; run `go test ./generator -run TestSchemaIsFresh -update`.
func TestSchemaIsFresh(t *testing.T) {
	t.Parallel()
	env, defaults, err := generateSchemas(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		file      string
		got, have []byte
	}{{"environment.schema.json", env, EnvironmentSchema}, {"defaults.schema.json", defaults, DefaultsSchema}} {
		if *update {
			if err := os.WriteFile(f.file, f.got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !bytes.Equal(f.got, f.have) {
			t.Errorf("%s is stale; run: go test ./generator -run TestSchemaIsFresh -update\n%s", f.file, textdiff.Unified(f.file, "generated", string(f.have), string(f.got)))
		}
	}
}

// TestSchemaAgreesWithLoader validates the example specs against the
// published schema and checks that the schema, like the loader, rejects
// an unknown field and a wrong type.
func TestSchemaAgreesWithLoader(t *testing.T) {
	t.Parallel()
	envSchema := crdtest.MustCompileJSONSchema(t, SchemaID, EnvironmentSchema)
	defaultsSchema := crdtest.MustCompileJSONSchema(t, DefaultsSchemaID, DefaultsSchema)
	validateWith := func(sch *jsonschema.Schema, data []byte) error {
		docs, err := yamlx.Parse("spec.yaml", data, yamlx.DefaultLimits)
		if err != nil {
			return err
		}
		js, err := json.Marshal(docs[0].Root.ToAny())
		if err != nil {
			return err
		}
		return crdtest.ValidateJSON(sch, js)
	}
	specs, err := filepath.Glob(filepath.Join(fixtureSpecs(t), "*.yaml"))
	if err != nil || len(specs) < 4 {
		t.Fatalf("specs: %v %v", specs, err)
	}
	for _, p := range specs {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sch := envSchema
		if filepath.Base(p) == DefaultsFile {
			sch = defaultsSchema
		}
		if err := validateWith(sch, data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for name, bad := range map[string]string{
		"unknown field": "apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: uat\nsource: {tagg: v1.0.0}\n",
		"wrong type":    "apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: uat\ncluster: {kubernetesVersion: 1.30}\n",
		"bad enum":      "apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: uat\ncluster: {os: WINDOWS}\n",
	} {
		if err := validateWith(envSchema, []byte(bad)); err == nil {
			t.Errorf("%s: the schema accepted %q", name, bad)
		}
	}
	if err := validateWith(defaultsSchema, []byte("name: uat\n")); err == nil {
		t.Error("the defaults schema accepted a name")
	}
}
