package generator

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"
	orderedmap "github.com/pb33f/ordered-map/v2"

	"github.com/digx/fluxtf/templates"
)

// EnvironmentSchema is the JSON Schema of an environment spec file,
// generated from the Go types (see TestSchemaIsFresh) so editors can
// validate and complete specs. Only apiVersion, kind and name are required
// in a file, since defaults.yaml and the tier defaults supply the rest.
//
//go:embed environment.schema.json
var EnvironmentSchema []byte

// DefaultsSchema is the JSON Schema of a specs folder's defaults.yaml: an
// environment without apiVersion, kind, name and tier, nothing required.
//
//go:embed defaults.schema.json
var DefaultsSchema []byte

// DefaultsSchemaID is the $id of DefaultsSchema.
const DefaultsSchemaID = "https://github.com/digx/fluxtf/generator/defaults.schema.json"

// SchemaID is the $id of EnvironmentSchema.
const SchemaID = "https://github.com/digx/fluxtf/generator/environment.schema.json"

// generateSchemas builds EnvironmentSchema and DefaultsSchema from the Go
// types (TestSchemaIsFresh -update writes them). commentsDir, when not
// empty, is this package's source folder, whose doc comments become
// descriptions.
func generateSchemas(commentsDir string) (env, defaults []byte, err error) {
	r := &jsonschema.Reflector{
		RequiredFromJSONSchemaTags: true,
		DoNotReference:             false,
	}
	if commentsDir != "" {
		if err := r.AddGoComments("github.com/digx/fluxtf/generator", commentsDir); err != nil {
			return nil, nil, fmt.Errorf("read doc comments: %w", err)
		}
	}
	s := r.Reflect(&Environment{})
	if err := applyFieldPatterns(s); err != nil {
		return nil, nil, err
	}
	if err := addComponentNames(s); err != nil {
		return nil, nil, err
	}
	// accounts belongs in defaults.yaml only
	s.Definitions["Environment"].Properties.Delete("accounts")
	s.ID = SchemaID
	s.Title = "fluxtf environment spec"
	if env, err = json.MarshalIndent(s, "", "  "); err != nil {
		return nil, nil, err
	}
	// defaults.yaml: the Environment definition without identity fields
	d := r.Reflect(&Environment{})
	if err := applyFieldPatterns(d); err != nil {
		return nil, nil, err
	}
	if err := addComponentNames(d); err != nil {
		return nil, nil, err
	}
	e := d.Definitions["Environment"]
	for _, k := range []string{"apiVersion", "kind", "name", "tier", "moved"} {
		e.Properties.Delete(k)
	}
	e.Required = nil
	e.Description = "Settings merged under every environment of the specs folder (defaults.yaml)."
	e.Properties.Set(StacksKey, &jsonschema.Schema{
		Type:                 "object",
		Description:          "Settings merged, over the rest of defaults.yaml, under the environments of one stack only, by stack name (such as jeppesen-eks: {cluster: ...}).",
		AdditionalProperties: &jsonschema.Schema{Ref: "#/$defs/Defaults"},
	})
	d.Definitions["Defaults"] = e
	delete(d.Definitions, "Environment")
	d.Ref = "#/$defs/Defaults"
	d.ID = DefaultsSchemaID
	d.Title = "fluxtf defaults.yaml"
	if defaults, err = json.MarshalIndent(d, "", "  "); err != nil {
		return nil, nil, err
	}
	return append(env, '\n'), append(defaults, '\n'), nil
}

// addComponentNames lists the embedded catalogue's components under
// `components`, so editors complete their names and show what each one
// deploys; other names stay allowed for catalogues overridden with
// --templates.
func addComponentNames(s *jsonschema.Schema) error {
	set := templates.Embedded()
	env := s.Definitions["Environment"]
	if env == nil || env.Properties == nil {
		return fmt.Errorf("schema: no Environment definition")
	}
	comps, ok := env.Properties.Get("components")
	if !ok || comps.AdditionalProperties == nil {
		return fmt.Errorf("schema: no components property")
	}
	props := orderedmap.New[string, *jsonschema.Schema]()
	for _, stack := range set.StackNames() {
		st, err := set.Stack(stack)
		if err != nil {
			return err
		}
		addStackComponents(props, st, comps.AdditionalProperties.Ref)
	}
	comps.Properties = props
	return nil
}

// addStackComponents adds the components of one stack's catalogue.
func addStackComponents(props *orderedmap.OrderedMap[string, *jsonschema.Schema], st *templates.Stack, ref string) {
	for _, name := range st.ComponentNames() {
		m := st.Component(name)
		desc := "(stack " + st.Name + ") " + m.Description
		if m.DefaultVersion != "" {
			desc += " (default version " + m.DefaultVersion + ")"
		}
		if len(m.DependsOn) > 0 {
			desc += "; needs " + fmt.Sprint(m.DependsOn)
		}
		props.Set(name, &jsonschema.Schema{Ref: ref, Description: desc})
	}
}
