package gittest

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRepository: a repository made with the helpers has its files
// committed on main under the fixed identity, whatever the machine's git
// configuration says.
func TestRepository(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	WriteFile(t, filepath.Join(dir, "clusters", "a.yaml"), "kind: A\n")
	Init(t, dir)
	CommitAll(t, dir, "one")
	if got := strings.TrimSpace(Git(t, dir, "log", "-1", "--format=%an <%ae>|%cn|%s")); got != "fluxtf test <test@fluxtf.invalid>|fluxtf test|one" {
		t.Errorf("commit %q", got)
	}
	if got := strings.TrimSpace(Git(t, dir, "ls-tree", "-r", "--name-only", "main")); got != "clusters/a.yaml" {
		t.Errorf("files at main %q", got)
	}
}
