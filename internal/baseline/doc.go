// Package baseline reads the baseline a run compares versions with: a
// folder of manifests (`fluxtf validate --baseline DIR`) or the same paths
// at a git commit (`--baseline-ref REF`, and `fluxtf check`, which
// defaults to HEAD). `validate` and `check` both read it here, so they
// agree on what is an error and what is a note: a baseline that was asked
// for and cannot be read (git missing, a repository git does not trust, a
// ref that names no commit, no git checkout) is an error saying how to
// fix it; only HEAD of a repository without commits yet is no baseline,
// with a note. A git baseline builds a kustomization under the paths that
// names files outside them (../../shared/base) from the same commit, within
// the repository as the work tree's build (internal/gitfs); a submodule
// under the paths is not read, with a note. The policies receive the
// documents read.
package baseline
