// Package policies evaluates Rego policies over manifests.
//
// The embedded policy set (rules/*.rego with lib/*.rego, each rule with its
// _test.rego) is loaded through OPA's loader from the embedded file system,
// compiled once with sandboxed capabilities and prepared as a single query
// that evaluates every rule over every document of a run in one pass.
// Users add conftest-style policies from folders; those are compiled in the
// same sandbox (no network, environment or file built-ins) and evaluated per
// document, like conftest, or over the combined input.
//
// Findings are located (file, line, column) from the rule's field path,
// waivers in annotations are applied, and rules that need a baseline note
// that they were skipped when there is none.
package policies
