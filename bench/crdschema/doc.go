// Command crdschema writes the JSON Schemas kubeconform validates custom
// resources with, from CustomResourceDefinition files, for
// bench/compare.sh:
//
//	crdschema -out DIR CRD.yaml...
//
// Each served version's openAPIV3Schema becomes DIR/<kind>_<version>.json
// (kind in lower case), the layout kubeconform reads with
// -schema-location 'DIR/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'.
// It converts the schema as kubeconform's openapi2jsonschema.py does:
// x-kubernetes-int-or-string becomes integer or string, nullable adds
// null, and (for -strict) objects with properties and without
// x-kubernetes-preserve-unknown-fields refuse other properties.
package main
