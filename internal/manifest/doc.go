// Package manifest reads the Kubernetes manifests that `fluxtf validate`
// checks, generated or hand-written, with the position of every document,
// and checks the kinds fluxtf knows strictly against their Go types.
//
// Load takes files and folders. A file yields every YAML document in it. A
// folder is walked recursively for .yaml and .yml files in sorted order,
// skipping hidden files and folders (.git, .github, ...) and files named
// expect.yaml (test fixture metadata, not manifests). A folder that holds a
// kustomization (kustomization.yaml, kustomization.yml or Kustomization) is
// built instead of walked: Load returns the objects Flux would apply, and
// the folder's subfolders are left to the kustomization.
//
// A "plain" kustomization (only apiVersion, kind, metadata and resources
// that are local files or local folders holding plain kustomizations) is
// read directly, keeping every document's exact position. Any other is
// built with the kustomize Go API (krusty) on the same file system; each
// built object is mapped back to the document it came from through
// kustomize's origin annotations, which are requested for the build only
// and stripped from the result. Like Flux's kustomize-controller, the
// build may read files outside the folder (../base); unlike it, remote
// resources (git or HTTP URLs) are refused rather than fetched, and every
// local entry of resources, bases and components must exist: both are
// input errors at the entry's line.
//
// Set.Check then decodes GitRepository (source.toolkit.fluxcd.io/v1 and the
// deprecated v1beta2) and Terraform (infra.contrib.fluxcd.io/v1alpha2 and
// the deprecated v1alpha1) documents strictly: an unknown field or a wrong
// type is an input error at file:line:column, and a violated schema
// constraint (an enum, a pattern, a required field) is a "schema" finding.
// Other kinds pass through unchecked to the policies.
package manifest
