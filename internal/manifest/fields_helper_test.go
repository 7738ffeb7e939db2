package manifest

import (
	"reflect"
	"strings"
)

// jsonFields returns the json names of a struct's fields, lower-cased as
// encoding/json matches them, with inline (embedded or ",inline") fields
// flattened.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "" {
			tag = f.Tag.Get("yaml")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) && ft.Kind() == reflect.Struct {
			out = append(out, jsonFields(ft)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, strings.ToLower(name))
	}
	return out
}

// nonFileKustomizationFields are the fields of kustomize's Kustomization
// that name no file to load: names, labels, options, inline content.
// Every other field must be one refs.go checks (kustomizationUse).
var nonFileKustomizationFields = []string{
	"apiversion", "kind", "metadata", "nameprefix", "namesuffix", "namespace",
	"commonlabels", "labels", "commonannotations", "images", "imagetags", "replicas",
	"vars", "sortoptions", "generatoroptions", "buildmetadata",
}

// nonFileGeneratorFields are the fields of configMapGenerator and
// secretGenerator args that name no file.
var nonFileGeneratorFields = []string{"namespace", "name", "behavior", "literals", "options", "type"}

// nonFilePluginFields are the fields of kustomize's built-in generator
// and transformer configs that name no file, by kind.
var nonFilePluginFields = map[string][]string{
	"AnnotationsTransformer":         {"metadata", "annotations", "fieldspecs"},
	"ConfigMapGenerator":             {"metadata", "namespace", "name", "behavior", "literals", "options"},
	"SecretGenerator":                {"metadata", "namespace", "name", "behavior", "literals", "options", "type"},
	"HashTransformer":                {},
	"IAMPolicyGenerator":             {"cloud", "kubernetesservice", "serviceaccount"},
	"ImageTagTransformer":            {"imagetag", "fieldspecs"},
	"LabelTransformer":               {"metadata", "labels", "fieldspecs"},
	"NamespaceTransformer":           {"metadata", "fieldspecs", "unsetonly", "setrolebindingsubjects"},
	"PatchJson6902Transformer":       {"target", "jsonop"},
	"PatchStrategicMergeTransformer": {"patches"},
	"PatchTransformer":               {"patch", "target", "options"},
	"PrefixTransformer":              {"prefix", "fieldspecs"},
	"SuffixTransformer":              {"suffix", "fieldspecs"},
	"ReplacementTransformer":         {},
	"ReplicaCountTransformer":        {"replica", "fieldspecs"},
	"ValueAddTransformer":            {"value", "targets"},
}
