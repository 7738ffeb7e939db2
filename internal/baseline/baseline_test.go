package baseline

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gitfs"
)

const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: a, namespace: flux-system}
spec: {url: https://example.com/a.git, interval: 1m, ref: {tag: v1.0.0}}
`

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestLoad: what each kind of baseline gives, and which are errors.
func TestLoad(t *testing.T) {
	t.Parallel()
	committed := t.TempDir()
	write(t, filepath.Join(committed, "clusters", "a.yaml"), gitRepository)
	git(t, committed, "init", "-q", "-b", "main")
	git(t, committed, "add", "-A")
	git(t, committed, "commit", "-q", "-m", "one")
	empty := t.TempDir()
	write(t, filepath.Join(empty, "clusters", "a.yaml"), gitRepository)
	git(t, empty, "init", "-q", "-b", "main")
	folder := filepath.Join(committed, "clusters")

	tests := []struct {
		name  string
		opts  Options
		docs  int // -1: no baseline (nil)
		note  string
		error error  // errors.Is
		msg   string // in the error
	}{
		{name: "none asked for", opts: Options{Paths: []string{"clusters"}}, docs: -1},
		{name: "a folder", opts: Options{Dir: folder}, docs: 1},
		{name: "a ref", opts: Options{Ref: "HEAD", RepoDir: committed, Paths: []string{folder}}, docs: 1},
		{name: "a ref, path absent there", opts: Options{Ref: "HEAD", RepoDir: committed, Paths: []string{filepath.Join(committed, "new")}}, docs: 0},
		{name: "HEAD without commits", opts: Options{Ref: "HEAD", RepoDir: empty, Paths: []string{"clusters"}}, docs: -1, note: "no baseline: the repository has no commits yet"},
		{name: "another ref without commits", opts: Options{Ref: "origin/main", RepoDir: empty, Paths: []string{"clusters"}}, error: gitfs.ErrUnknownRef, msg: "cannot read the baseline origin/main: "},
		{name: "both", opts: Options{Dir: folder, Ref: "HEAD"}, msg: "use --baseline or --baseline-ref, not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := Load(tt.opts)
			if tt.msg != "" || tt.error != nil {
				if err == nil || !strings.Contains(err.Error(), tt.msg) || (tt.error != nil && !errors.Is(err, tt.error)) {
					t.Fatalf("err = %v, want %v with %q", err, tt.error, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.docs < 0 && b.Docs != nil:
				t.Errorf("%d baseline documents, want no baseline", len(b.Docs))
			case tt.docs >= 0 && (b.Docs == nil || len(b.Docs) != tt.docs):
				t.Errorf("baseline documents %v (nil %v), want %d", len(b.Docs), b.Docs == nil, tt.docs)
			}
			if got := strings.Join(b.Notes, "\n"); got != tt.note {
				t.Errorf("notes %q, want %q", got, tt.note)
			}
		})
	}
}
