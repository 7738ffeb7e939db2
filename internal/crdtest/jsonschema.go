package crdtest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Integer bounds implied by the OpenAPI formats int32 and int64.
var intFormatBounds = map[string][2]string{
	"int32": {"-2147483648", "2147483647"},
	"int64": {"-9223372036854775808", "9223372036854775807"},
}

// ToJSONSchema converts a Kubernetes structural (OpenAPI v3) schema into a JSON
// Schema (draft 2020-12) with the same meaning for validation:
//
//   - x-kubernetes-int-or-string becomes type [integer, string];
//   - nullable adds "null" to the type;
//   - objects with properties and without x-kubernetes-preserve-unknown-fields get
//     additionalProperties: false (what strict field validation does);
//   - formats int32/int64 become minimum/maximum bounds; other formats are dropped
//     (the API server does not reject on them in spec);
//   - every other x-kubernetes-* extension (list/map types, CEL validations, ...) is
//     dropped; CEL rules are tested separately.
//
// Keywords that JSON Schema shares with OpenAPI (type, properties, items,
// additionalProperties, required, enum, pattern, min/max(Length), anyOf, ...) are kept.
func ToJSONSchema(s map[string]any) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		switch {
		case k == "properties":
			props, _ := v.(map[string]any)
			m := make(map[string]any, len(props))
			for pk, pv := range props {
				if ps, ok := pv.(map[string]any); ok {
					m[pk] = ToJSONSchema(ps)
				}
			}
			out[k] = m
		case k == "items" || k == "not" || k == "additionalProperties":
			if sub, ok := v.(map[string]any); ok {
				out[k] = ToJSONSchema(sub)
			} else {
				out[k] = v
			}
		case k == "anyOf" || k == "allOf" || k == "oneOf":
			list, _ := v.([]any)
			conv := make([]any, 0, len(list))
			for _, item := range list {
				if sub, ok := item.(map[string]any); ok {
					conv = append(conv, ToJSONSchema(sub))
				}
			}
			out[k] = conv
		case k == "format":
			if b, ok := intFormatBounds[v.(string)]; ok {
				if _, has := s["minimum"]; !has {
					out["minimum"] = json.Number(b[0])
				}
				if _, has := s["maximum"]; !has {
					out["maximum"] = json.Number(b[1])
				}
			}
		case k == "nullable", strings.HasPrefix(k, "x-kubernetes-"):
			// handled below or dropped
		default:
			out[k] = v
		}
	}
	if isTrue(s, "x-kubernetes-int-or-string") {
		out["type"] = []any{"integer", "string"}
	}
	if isTrue(s, "nullable") {
		switch t := out["type"].(type) {
		case string:
			out["type"] = []any{t, "null"}
		case []any:
			out["type"] = append(t, "null")
		}
	}
	if schemaType(s) == "object" && s["properties"] != nil && !isTrue(s, "x-kubernetes-preserve-unknown-fields") {
		if _, has := s["additionalProperties"]; !has {
			out["additionalProperties"] = false
		}
	}
	return out
}

// CompileJSONSchema compiles a JSON Schema document (generic JSON values) under the
// given resource name.
func CompileJSONSchema(name string, doc map[string]any) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		return nil, err
	}
	return c.Compile(name)
}

// MustCompileJSONSchema compiles the JSON Schema document data (JSON text)
// under the resource name id; an error fails the test.
func MustCompileJSONSchema(tb testing.TB, id string, data []byte) *jsonschema.Schema {
	tb.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("%s: %v", id, err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		tb.Fatalf("%s: %v", id, err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		tb.Fatalf("%s: %v", id, err)
	}
	return sch
}

// ValidateJSON validates a JSON document against a compiled schema.
func ValidateJSON(sch *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}
