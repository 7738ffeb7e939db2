// Package generator turns environment specs into Flux and tf-controller
// manifests.
//
// Load reads a specs folder (one file per environment plus an optional
// defaults.yaml), strictly: every problem is reported with file:line:column
// and the field path. Expand turns one loaded Environment into typed
// objects: a source.toolkit.fluxcd.io/v1 GitRepository and, per target, one
// infra.contrib.fluxcd.io/v1alpha2 Terraform for the base stack and one per
// enabled component. Render marshals them into deterministic files and
// writes them atomically under the output root, or, with Check, compares
// them with what is on disk and returns the drift.
package generator
