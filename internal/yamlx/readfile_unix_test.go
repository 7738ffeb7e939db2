//go:build linux || darwin

package yamlx

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadFileSpecial: a FIFO is refused without blocking (no writer
// ever comes: the old open blocked for ever), and so is a device; they
// are no files of a repository.
func TestReadFileSpecial(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, typ string }{
		{fifo, "p---------"},
		{"/dev/null", "Dc---------"},
	} {
		data, err := ReadFile(tt.path, DefaultLimits)
		checkErrs(t, err, wantErr{tt.path, "", "is not a regular file (" + tt.typ + "); fluxtf reads only regular files, remove it"})
		if data != nil {
			t.Errorf("%s: got data with the error", tt.path)
		}
	}
}
