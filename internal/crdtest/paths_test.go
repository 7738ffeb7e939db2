package crdtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// absoluteShared matches a quoted absolute path into the shared test data
// folder (such as /work/shared/upstream/samples in quotes).
var absoluteShared = regexp.MustCompile(`"/[^"\n]*shared/(upstream|realworld)`)

// TestNoAbsoluteSharedPaths: every Go file finds the shared test data as
// ../shared relative to the checkout (UpstreamDir, RepoRoot), never at one
// machine's absolute path.
func TestNoAbsoluteSharedPaths(t *testing.T) {
	t.Parallel()
	root := RepoRoot(t)
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && path != root && (strings.HasPrefix(e.Name(), ".") || e.Name() == "bin" || e.Name() == "testdata") {
			return filepath.SkipDir
		}
		if e.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := absoluteShared.FindString(line); m != "" {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: absolute shared path %s: find it with crdtest.UpstreamDir or RepoRoot/../shared", rel, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
