// Package sharedfiles pins the test data that tests read from ../shared
// beside the checkout (upstream CRDs and samples, public repositories'
// manifests) by content, and fetches it where that folder is absent (the
// GitHub workflow).
//
// The lock file (.ci/shared.lock) lists, one per line, a file's SHA-256,
// its path under ../shared and the URL it comes from; a URL ending in
// #yaml-block=N names the N-th fenced yaml block of a Markdown page, the
// way the upstream samples were extracted. Nothing of ../shared is copied
// into the project: the lock holds only checksums and addresses.
package sharedfiles
