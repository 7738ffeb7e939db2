package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/digx/fluxtf/internal/ptytest"
)

// TestProgressOnTerminal is the control of TestProgressQuietWithoutTerminal:
// on a pseudo-terminal, long runs do show progress and short runs do not.
func TestProgressOnTerminal(t *testing.T) {
	t.Parallel()
	master, tty := ptytest.Open(t)
	cb := progress(streams{err: tty})
	if cb == nil {
		t.Fatal("progress() = nil on a terminal")
	}
	for i := 1; i <= 5; i++ {
		cb(i, 5) // short run: quiet
	}
	for i := 1; i <= 20; i++ {
		cb(i, 20)
	}
	_ = tty.Close()
	got := readAll(t, master)
	want := "\rrendering 10/20 environments\r\x1b[Krendered 20 environments\r\n"
	if got != want {
		t.Errorf("terminal got %q, want %q", got, want)
	}
}

// readAll reads what the terminal side wrote, until it has been quiet for
// a moment (a pty master reports EIO, not EOF, once the other side closed).
func readAll(t *testing.T, f *os.File) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		_ = f.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		n, err := f.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}
