// Package manifest reads the Kubernetes manifests that `fluxtf validate`
// checks, generated or hand-written, with the position of every document,
// and checks the kinds fluxtf knows strictly against their Go types.
//
// Load takes files and folders. A file yields every YAML document in it;
// a path named that is not a regular file or a folder (a FIFO, a device)
// is an error and is never opened. A folder is walked recursively for
// .yaml and .yml files in sorted order, hidden ones included as Flux
// reads them, skipping what Flux's source artifact leaves out by default
// (internal/fluxignore: .git, .github, .sops.yaml, ...) and upper-case
// extensions (.YAML, with a note when one holds a Kubernetes object:
// skipped.go); a walked file whose
// documents have neither an
// apiVersion nor a kind (a Taskfile, Helm values) is skipped, and one note
// (Set.Notes) counts such files; named, it is an error. A walk skips a
// Helm chart (a folder holding a Chart.yaml: its templates are not YAML)
// with a note naming it. A folder that
// holds a kustomization (kustomization.yaml, kustomization.yml or
// Kustomization) is built instead of walked: Load returns the objects Flux
// would apply, and the folder's subfolders are left to the kustomization,
// except a subfolder holding a kustomization of its own that none built
// reaches (a Flux app folder, the spec.path of another Flux
// Kustomization), which is built on its own too (nested.go); a YAML file
// there that no kustomization reached lists is not read, and a note names
// it, and the nearest kustomization built.
//
// The loads of one run share a Budget (Options.Budget): bytes of files
// read and objects, the baseline's included; going over is ErrBudget,
// one error for the run.
//
// A "plain" kustomization (only apiVersion, kind, metadata and resources
// that are local files or local folders holding plain kustomizations) is
// read directly, keeping every document's exact position. Any other is
// built with the kustomize Go API (krusty) on the same file system; each
// built object is mapped back to the document it came from through
// kustomize's origin annotations, which are requested for the build only
// and stripped from the result. Like Flux's kustomize-controller, the
// build may read files outside the folder (../base), but only inside the
// repository root (confine.go: the git work tree holding the path named,
// else that path), on a read-only file system: every entry of every field
// that loads a file (refs.go; TestEveryKustomizationFieldIsClassified
// holds the list to kustomize's types) is checked first, and an absolute
// path, a `..` chain or a symbolic link that leads out of the root is an
// input error at the entry's line, before anything is read. Remote
// resources (git or HTTP URLs) are refused rather than fetched, no plugin
// or Helm chart runs, and every local entry of resources, bases and
// components must exist: all input errors at the entry's line.
//
// Set.Check then decodes GitRepository (source.toolkit.fluxcd.io/v1 and the
// deprecated v1beta2) and Terraform (infra.contrib.fluxcd.io/v1alpha2 and
// the deprecated v1alpha1) documents strictly: an unknown field or a wrong
// type is an input error at file:line:column, and a violated schema
// constraint (an enum, a pattern, a required field) is a "schema" finding.
// Other kinds pass through unchecked to the policies.
package manifest
