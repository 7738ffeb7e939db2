package generator

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"
)

// EnvironmentSchema is the JSON Schema of an environment spec file,
// generated from the Go types (see TestSchemaIsFresh) so editors can
// validate and complete specs. Only apiVersion, kind and name are required
// in a file, since defaults.yaml and the tier defaults supply the rest.
//
//go:embed environment.schema.json
var EnvironmentSchema []byte

// SchemaID is the $id of EnvironmentSchema.
const SchemaID = "https://github.com/digx/fluxtf/generator/environment.schema.json"

// GenerateSchema builds EnvironmentSchema from the Go types. commentsDir,
// when not empty, is this package's source folder, whose doc comments
// become descriptions.
func GenerateSchema(commentsDir string) ([]byte, error) {
	r := &jsonschema.Reflector{
		RequiredFromJSONSchemaTags: true,
		DoNotReference:             false,
	}
	if commentsDir != "" {
		if err := r.AddGoComments("github.com/digx/fluxtf/generator", commentsDir); err != nil {
			return nil, fmt.Errorf("read doc comments: %w", err)
		}
	}
	s := r.Reflect(&Environment{})
	s.ID = SchemaID
	s.Title = "fluxtf environment spec"
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
