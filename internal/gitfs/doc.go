// Package gitfs reads files as they are at a git commit, for baselines:
// `fluxtf validate --baseline-ref origin/main clusters` compares the
// manifests under clusters/ with the same paths at origin/main. It shells
// out to the user's git, so it honours their configuration, worktrees and
// object stores exactly as `git show` would.
package gitfs
