// Package contract names the labels, annotations and Terraform variables
// that generated manifests carry and the policies read. A hand-written
// manifest that uses the same names is checked exactly like a generated one.
// The Rego policies spell the same strings; policies TestContractNamesMatchGo
// keeps the two in step, and TestRuleVariablesAreRendered fails when a rule
// reads a Terraform variable the generator no longer writes.
package contract
