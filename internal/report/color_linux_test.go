package report

import (
	"testing"

	"github.com/digx/fluxtf/internal/ptytest"
)

// TestColorWantedTerminal: on a pseudo-terminal colour is on unless
// NO_COLOR or TERM=dumb turn it off.
func TestColorWantedTerminal(t *testing.T) {
	t.Parallel()
	_, tty := ptytest.Open(t)
	if !colorWanted(tty, func(string) string { return "" }) {
		t.Error("colorWanted(pty) = false")
	}
	if colorWanted(tty, func(k string) string { return map[string]string{"NO_COLOR": "x"}[k] }) {
		t.Error("colorWanted(pty) with NO_COLOR = true")
	}
	if colorWanted(tty, func(k string) string { return map[string]string{"TERM": "dumb"}[k] }) {
		t.Error("colorWanted(pty) with TERM=dumb = true")
	}
}
