// Package policies evaluates Rego policies over manifests.
//
// The embedded policy set (rules/*.rego with lib/*.rego, each rule with its
// _test.rego) is loaded through OPA's loader from the embedded file system,
// compiled once with sandboxed capabilities and evaluated over the whole
// batch of a run's documents as one input (never a query per file): a
// shared query computes the library facts most rules read, once, then each
// rule package runs its own prepared query on as many goroutines as there
// are CPUs, reading those facts from the evaluation cache (batch.go).
// lib/api.rego is the policy API (data.fluxtf.api): the objects as records
// with named fields, built from those facts, which rules and user policies
// read instead of the facts (docs/writing-policies.md).
// Users add conftest-style policies from folders; those are compiled in the
// same sandbox (no network, environment or file built-ins) and evaluated per
// document, like conftest, or over the combined input.
//
// Findings are located (file, line, column) from the rule's field path and
// waivers in annotations are applied. The engine only evaluates: Evaluate
// takes documents already read (Input: the documents, the baseline's, the
// context such as the date and the accounts) and returns the findings.
// Reading manifests and baselines, and the notes a run prints (a rule
// skipped for want of a baseline), are package pipeline's, which
// `fluxtf validate` and `fluxtf check` share.
package policies
