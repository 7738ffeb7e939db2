package manifest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
)

// repoRoot returns the folder holding go.mod at or above the working
// directory.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// upstreamSamples returns ../shared/upstream/samples beside the
// repository (upstream's example manifests, test data that must not be
// copied into the project): crdtest.SharedDir skips when it is absent, and
// fails under CI=true.
func upstreamSamples(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(crdtest.UpstreamDir(tb), "samples")
}
