// Package fluxignore names the files and folders that Flux's source
// artifact leaves out by default, so that a folder walk of fluxtf skips
// exactly those and reads the rest as Flux does: hidden folders and
// hidden YAML files included.
//
// Flux's kustomize-controller, generating a kustomization for a folder
// that has none (fluxcd/pkg kustomize/kustomize_generator.go,
// scanManifests), takes every .yaml and .yml file under the folder,
// hidden ones too, and stops at a subfolder holding a kustomization file;
// what it never sees is what source-controller left out of the artifact:
// the default patterns of fluxcd/pkg sourceignore/sourceignore.go
// (ExcludeVCS, ExcludeExt, ExcludeCI, ExcludeExtra; applied through
// NewDefaultMatcher when the repository has no .sourceignore and the
// GitRepository no spec.ignore).
package fluxignore

import "strings"

// Defaults are the default exclusion patterns of Flux's source artifact,
// as fluxcd/pkg sourceignore/sourceignore.go writes them (ExcludeVCS,
// ExcludeExt, ExcludeCI and ExcludeExtra, in that order): the single
// source of what a folder walk leaves out. Each is gitignore syntax with
// no slash but a trailing one (a folder only) or a leading "**/", so
// each matches an entry's name at any depth (Excluded).
var Defaults = []string{
	// ExcludeVCS
	".git/", ".gitignore", ".gitmodules", ".gitattributes",
	// ExcludeExt
	"*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
	// ExcludeCI
	".github/", ".circleci/", ".travis.yml", ".gitlab-ci.yml", "appveyor.yml",
	".drone.yml", "cloudbuild.yaml", "codeship-services.yml", "codeship-steps.yml",
	// ExcludeExtra
	"**/.goreleaser.yml", "**/.sops.yaml", "**/.flux.yaml",
}

// Excluded reports whether Flux's source artifact leaves out, by
// default (Defaults), the entry named name, a folder when isDir. Names
// are matched case-sensitively, as gitignore does on Linux.
func Excluded(name string, isDir bool) bool {
	for _, p := range Defaults {
		p = strings.TrimPrefix(p, "**/")
		if q, dirOnly := strings.CutSuffix(p, "/"); dirOnly {
			if isDir && name == q {
				return true
			}
			continue
		}
		if ext, ok := strings.CutPrefix(p, "*"); ok {
			if strings.HasSuffix(name, ext) { // "*" matches the empty name too
				return true
			}
			continue
		}
		if name == p {
			return true
		}
	}
	return false
}
