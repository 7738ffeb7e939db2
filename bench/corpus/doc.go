// Package corpus builds the validation corpus of the benchmarks from a
// rendered fleet: per environment one file holding its GitRepository and
// its first base Terraform, as bench/compare.sh (through bench/fleetgen)
// and the policies' BenchmarkValidate use it.
package corpus
