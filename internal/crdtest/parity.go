package crdtest

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Go types with custom JSON encodings, and the schema shape each stands for.
var (
	stringLikeTypes = map[reflect.Type]bool{
		reflect.TypeFor[metav1.Duration]():  true,
		reflect.TypeFor[metav1.Time]():      true,
		reflect.TypeFor[metav1.MicroTime](): true,
	}
	intOrStringTypes = map[reflect.Type]bool{
		reflect.TypeFor[intstr.IntOrString](): true,
		reflect.TypeFor[resource.Quantity]():  true,
	}
	anyJSONTypes = map[reflect.Type]bool{
		reflect.TypeFor[apiextensionsv1.JSON](): true,
		reflect.TypeFor[runtime.RawExtension](): true,
	}
)

// GoField is one JSON-visible field of a Go struct, after flattening inline
// (embedded, unnamed) structs.
type GoField struct {
	// JSONName is the field's JSON name.
	JSONName string
	// GoName is the Go field name.
	GoName string
	// Type is the field's Go type.
	Type reflect.Type
	// Options are the json tag options (omitempty, omitzero, inline, ...).
	Options []string
	// Owner is the struct type declaring the field.
	Owner reflect.Type
}

// HasOption reports whether the json tag carries opt.
func (f GoField) HasOption(opt string) bool {
	for _, o := range f.Options {
		if o == opt {
			return true
		}
	}
	return false
}

// GoFields returns the JSON-visible fields of struct type t (pointers are
// dereferenced), keyed by JSON name, with embedded structs that have no JSON name
// flattened the way encoding/json does.
func GoFields(t reflect.Type) map[string]GoField {
	t = Deref(t)
	out := map[string]GoField{}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		name, opts := parts[0], parts[1:]
		if f.Anonymous && name == "" {
			if et := Deref(f.Type); et.Kind() == reflect.Struct {
				for k, v := range GoFields(et) {
					if _, dup := out[k]; !dup {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = GoField{JSONName: name, GoName: f.Name, Type: f.Type, Options: opts, Owner: t}
	}
	return out
}

// Deref strips pointer types.
func Deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// ParityOptions tunes FieldParity.
type ParityOptions struct {
	// OmitemptyPkg, when set, additionally requires every field of a struct
	// declared in this package path to carry omitempty exactly when the schema
	// does not list it as required.
	OmitemptyPkg string
	// SchemaSubset only checks that every schema property exists in Go (for a
	// schema that is a subset of the Go types, such as an older API version).
	SchemaSubset bool
	// AllowGoOnly lists schema paths (SchemaPathString form) of Go fields that may
	// be absent from the schema, each with the reason.
	AllowGoOnly map[string]string
}

// FieldParity walks schema and Go type t together and returns every mismatch:
// schema properties with no Go field, Go fields with no schema property, and
// incompatible types, each prefixed with its path. Special Go types are mapped to
// their JSON encodings: metav1.Duration/Time/MicroTime to string, Quantity and
// IntOrString to x-kubernetes-int-or-string, apiextensionsv1.JSON and
// runtime.RawExtension to x-kubernetes-preserve-unknown-fields.
func FieldParity(schema map[string]any, t reflect.Type, opts ParityOptions) []string {
	w := &parityWalker{opts: opts, seenAllowed: map[string]bool{}}
	w.walk(schema, t, nil)
	for p := range opts.AllowGoOnly {
		if !w.seenAllowed[p] {
			w.report(nil, "AllowGoOnly entry %q matched no Go-only field; remove it", p)
		}
	}
	sort.Strings(w.problems)
	return w.problems
}

type parityWalker struct {
	opts        ParityOptions
	problems    []string
	seenAllowed map[string]bool
}

func (w *parityWalker) report(path []string, format string, args ...any) {
	p := SchemaPathString(path)
	if p == "" {
		p = "<root>"
	}
	w.problems = append(w.problems, p+": "+fmt.Sprintf(format, args...))
}

func (w *parityWalker) walk(s map[string]any, t reflect.Type, path []string) {
	t = Deref(t)
	st := schemaType(s)
	switch {
	case stringLikeTypes[t]:
		if st != "string" {
			w.report(path, "Go %s encodes as a string but the schema type is %q", t, st)
		}
		return
	case intOrStringTypes[t]:
		if !isTrue(s, "x-kubernetes-int-or-string") {
			w.report(path, "Go %s is int-or-string but the schema lacks x-kubernetes-int-or-string", t)
		}
		return
	case anyJSONTypes[t] || t.Kind() == reflect.Interface:
		if !isTrue(s, "x-kubernetes-preserve-unknown-fields") || st != "" {
			w.report(path, "Go %s holds any JSON but the schema is not an untyped x-kubernetes-preserve-unknown-fields", t)
		}
		return
	}
	if isTrue(s, "x-kubernetes-int-or-string") {
		w.report(path, "schema is int-or-string but Go type is %s", t)
		return
	}
	if isTrue(s, "x-kubernetes-preserve-unknown-fields") && st == "" {
		w.report(path, "schema holds any JSON but Go type is %s", t)
		return
	}
	switch st {
	case "string":
		if t.Kind() == reflect.String {
			return
		}
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && s["format"] == "byte" {
			return
		}
		w.report(path, "schema type string but Go type %s", t)
	case "integer":
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			w.checkIntFormat(s, t, path)
		default:
			w.report(path, "schema type integer but Go type %s", t)
		}
	case "number":
		if t.Kind() != reflect.Float32 && t.Kind() != reflect.Float64 {
			w.report(path, "schema type number but Go type %s", t)
		}
	case "boolean":
		if t.Kind() != reflect.Bool {
			w.report(path, "schema type boolean but Go type %s", t)
		}
	case "array":
		if t.Kind() != reflect.Slice || t.Elem().Kind() == reflect.Uint8 {
			w.report(path, "schema type array but Go type %s", t)
			return
		}
		items, _ := s["items"].(map[string]any)
		w.walk(items, t.Elem(), append(path, "[]"))
	case "object":
		w.walkObject(s, t, path)
	default:
		w.report(path, "unhandled schema type %q (Go type %s)", st, t)
	}
}

func (w *parityWalker) checkIntFormat(s map[string]any, t reflect.Type, path []string) {
	want := map[string]reflect.Kind{"int32": reflect.Int32, "int64": reflect.Int64}
	if f, _ := s["format"].(string); f != "" {
		if k, ok := want[f]; ok && t.Kind() != k {
			w.report(path, "schema format %s but Go type %s", f, t)
		}
	}
}

func (w *parityWalker) walkObject(s map[string]any, t reflect.Type, path []string) {
	props := Properties(s)
	if props == nil {
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			if t.Kind() != reflect.Map || t.Key().Kind() != reflect.String {
				w.report(path, "schema is a string-keyed map but Go type is %s", t)
				return
			}
			w.walk(ap, t.Elem(), append(path, "{}"))
			return
		}
		// Free-form object (for example metadata): any struct or map encodes to it.
		if t.Kind() != reflect.Struct && t.Kind() != reflect.Map {
			w.report(path, "schema type object but Go type %s", t)
		}
		return
	}
	if t.Kind() != reflect.Struct {
		w.report(path, "schema object with properties but Go type %s", t)
		return
	}
	fields := GoFields(t)
	required := map[string]bool{}
	for _, r := range requiredList(s) {
		required[r] = true
		if props[r] == nil {
			w.report(path, "schema requires %q, which it does not define", r)
		}
	}
	for _, name := range SortedKeys(props) {
		sub := append(append([]string(nil), path...), name)
		f, ok := fields[name]
		if !ok {
			w.report(sub, "schema property has no Go field in %s", t)
			continue
		}
		ps, _ := props[name].(map[string]any)
		w.walk(ps, f.Type, sub)
		if w.opts.OmitemptyPkg != "" && f.Owner.PkgPath() == w.opts.OmitemptyPkg {
			switch {
			case required[name] && f.HasOption("omitempty"):
				w.report(sub, "required by the schema but Go field %s.%s has omitempty", f.Owner.Name(), f.GoName)
			case !required[name] && !f.HasOption("omitempty"):
				w.report(sub, "optional in the schema but Go field %s.%s lacks omitempty", f.Owner.Name(), f.GoName)
			}
		}
	}
	if w.opts.SchemaSubset {
		return
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := props[name]; ok {
			continue
		}
		sub := append(append([]string(nil), path...), name)
		if _, ok := w.opts.AllowGoOnly[SchemaPathString(sub)]; ok {
			w.seenAllowed[SchemaPathString(sub)] = true
			continue
		}
		f := fields[name]
		w.report(sub, "Go field %s.%s (%s) has no schema property", f.Owner.Name(), f.GoName, f.Type)
	}
}
