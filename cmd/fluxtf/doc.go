// Command fluxtf renders environment specs into Flux GitRepository and
// tf-controller Terraform manifests and validates manifests with embedded
// Rego policies. See `fluxtf --help`.
package main
