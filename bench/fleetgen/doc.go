// Command fleetgen writes a synthetic fleet of environment specs for
// bench/compare.sh (see package bench/fleet), and the validation corpus
// built from it.
//
//	fleetgen specs  -n 1000 -out DIR     # DIR/<env>.yaml and DIR/defaults.yaml
//	fleetgen corpus -specs DIR -out DIR   # DIR/<env>.yaml: GitRepository + base Terraform
//
// corpus renders the specs in memory with the generator `fluxtf render`
// uses and writes, per environment, one file of two documents: the
// GitRepository and the first target's base Terraform.
package main
