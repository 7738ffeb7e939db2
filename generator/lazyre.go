package generator

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled on its first use. The
// package's few dozen patterns, compiled as package variables, cost every
// fluxtf process 15-30 ms before main (GODEBUG=inittrace=1), most of
// that package's start-up, though only the commands that read specs
// match any (validate and policy commands none). An invalid pattern
// panics at its first use, as regexp.MustCompile would at start-up; the
// tests use every one (TestSchemaPatternsAreTheCheckers and the checker's
// tests).
type lazyRegexp struct {
	expr string
	re   func() *regexp.Regexp
}

// lazyRE returns the pattern expr, to compile on first use.
func lazyRE(expr string) *lazyRegexp {
	return &lazyRegexp{expr: expr, re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// MatchString is regexp.Regexp's.
func (l *lazyRegexp) MatchString(s string) bool { return l.re().MatchString(s) }

// FindStringSubmatch is regexp.Regexp's.
func (l *lazyRegexp) FindStringSubmatch(s string) []string { return l.re().FindStringSubmatch(s) }

// String is the pattern's source text, as regexp.Regexp's.
func (l *lazyRegexp) String() string { return l.expr }
