// Package gittest is test support: throw-away git repositories for the
// tests of the packages that read files at a git ref (baselines), with git
// behaving the same whatever the machine's configuration. Only tests
// import it.
package gittest
