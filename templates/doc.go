// Package templates holds the data the generator starts from, embedded in
// the binary: the module stack catalogues (stacks/<name>.yaml: the base
// module and every optional component with its module path, default
// variables, dependencies and the base outputs it reads), the per-tier
// defaults (tiers.yaml) and the scaffold of `fluxtf init` (init/: the specs,
// Makefile, pre-commit configuration and GitHub workflow of a new
// repository; InitFiles returns them).
//
// A user's templates folder overrides the embedded data file by file: a
// file present there is read instead of the embedded one of the same path.
package templates
