// Package sourcecheck validates Flux source-controller objects that fluxtf generates
// or reads, against the constraints of their CustomResourceDefinitions.
//
// ValidateGitRepository mirrors the openAPIV3Schema (including the hand-translated
// x-kubernetes-validations CEL rule) of the source.toolkit.fluxcd.io/v1 GitRepository
// CRD shipped with source-controller v1.9.6; the package's tests check it against
// that CRD.
package sourcecheck
