// Command fluxtf renders environment specs into Flux GitRepository and
// tf-controller Terraform manifests and validates manifests with embedded
// Rego policies. See `fluxtf --help`.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
