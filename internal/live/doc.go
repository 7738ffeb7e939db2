// Package live reads what a cluster says about its Flux objects: the
// output of `kubectl get terraforms,gitrepositories -A -o yaml` (a v1 List,
// or a stream of objects or Lists), for `--live FILE`. It keeps, of each
// Terraform and GitRepository, the identity, the spec fields the policies
// compare (vars, sourceRef, approvePlan, suspend, ref) and the status
// tf-controller and source-controller record (observedGeneration,
// conditions, plan, revisions, artifact), checking their types strictly.
// Nothing in the file is executed or fetched.
package live
