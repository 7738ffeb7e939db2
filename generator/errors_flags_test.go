package generator

import (
	"errors"
	"strings"
	"testing"
)

// TestOptionErrorsNameNoFlags: the library reports a missing output folder
// or environment selection as sentinel errors without CLI flag names; the
// CLI adds its flags (cmd/fluxtf render_flags.txtar).
func TestOptionErrorsNameNoFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{name: "render without out dir", run: func() error { _, err := Render(Options{All: true}); return err }, want: ErrNoOutDir},
		{name: "build without environments", run: func() error { _, err := Build(Options{}); return err }, want: ErrNoEnvironment},
		{name: "render without environments", run: func() error { _, err := Render(Options{OutDir: t.TempDir()}); return err }, want: ErrNoEnvironment},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.run()
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), "--") {
				t.Errorf("library error %q names a CLI flag", err)
			}
		})
	}
}
