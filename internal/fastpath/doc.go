// Package fastpath is the one switch over fluxtf's home-made hot paths:
// code that does what a kept library does, faster, and is held to that
// library's output by differential tests and fuzzers. Setting the
// environment variable FLUXTF_SLOW routes them through the reference
// library instead, so that a suspected bug in a fast path can be triaged
// in one run: if the output changes with FLUXTF_SLOW=1, the fast path is
// wrong (the output must be the same either way).
//
// The paths (Path) and their references:
//
//   - yaml: internal/yamlx's single-pass parser (fast.go) and its node
//     arena; reference go.yaml.in/yaml/v3 (parseSlow).
//   - emit: generator.Marshal's tree built from the typed object
//     (typedyaml.go), or JSON-to-YAML reader (jsonyaml.go), and block
//     emitter (yamlemit.go); reference encoding/json then
//     go.yaml.in/yaml/v2's encoder, what sigs.k8s.io/yaml.Marshal does.
//   - convert: the policies' input converter, OPA values built straight
//     from YAML trees with shared parts (policies/convert.go); reference
//     the decoded objects through OPA's ast.InterfaceToValue.
//   - kustomize: plain kustomizations read as written (internal/manifest
//     kustomize.go); reference kustomize's krusty build.
//   - compile: the embedded policies parsed on every CPU and compiled
//     without the rewriting stages that leave them unchanged
//     (policies/compile.go); reference OPA's loader and the compilation
//     with those stages.
//   - facts: the facts of every object that the embedded rules' library
//     derives (lib.all_facts), computed in Go while the engine builds the
//     input (policies/facts.go, input.facts); reference the library's own
//     derivation in Rego.
//
// FLUXTF_SLOW is read once per process. "" and "0" leave every fast path
// on; a comma-separated list of path names ("yaml,emit") turns off those;
// any other value ("1", "true", "all") turns off all of them.
package fastpath
