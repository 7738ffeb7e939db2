// Package crdtest is test support shared by fluxtf's API and source-check tests: it
// locates the upstream CRD test data, loads a CRD version's openAPIV3Schema,
// converts it to JSON Schema, checks Go types against it field by field,
// enumerates the schema's constraints and builds minimal valid and single-violation
// documents for them.
//
// It is only imported from _test.go files and the bench tools
// (bench/crdschema converts the CRDs for kubeconform with ToJSONSchema).
package crdtest
