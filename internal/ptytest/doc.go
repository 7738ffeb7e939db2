// Package ptytest opens pseudo-terminal pairs for tests of what fluxtf
// does on a terminal (progress lines, colour), so that those tests run in
// CI, where no process has a controlling terminal. Linux only.
//
// It is only imported from _test.go files.
package ptytest
