package report

import (
	"os"

	"golang.org/x/term"
)

// ANSI SGR sequences of the text format.
const (
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

// ColorWanted reports whether coloured text should be written to f. In
// order of precedence:
//
//  1. NO_COLOR set to any non-empty value: false (https://no-color.org);
//  2. FORCE_COLOR set to any non-empty value: true;
//  3. TERM=dumb: false;
//  4. otherwise true only when f is a terminal.
//
// NO_COLOR wins over FORCE_COLOR. golang.org/x/term is not a requirement of
// this module, so "is a terminal" means f is a character device other than
// the null device; other character devices (rarely a program's output) are
// taken for terminals.
func ColorWanted(f *os.File) bool { return colorWanted(f, os.Getenv) }

func colorWanted(f *os.File, getenv func(string) string) bool {
	switch {
	case getenv("NO_COLOR") != "":
		return false
	case getenv("FORCE_COLOR") != "":
		return true
	case getenv("TERM") == "dumb":
		return false
	}
	return IsTerminal(f)
}

// IsTerminal reports whether f is an interactive terminal.
func IsTerminal(f *os.File) bool {
	return f != nil && term.IsTerminal(int(f.Fd()))
}
