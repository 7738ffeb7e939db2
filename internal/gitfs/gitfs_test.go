package gitfs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "ssh url", in: "ssh://git@github.com/Digx/Infrastructure.git", want: "github.com/digx/infrastructure"},
		{name: "ssh with port", in: "ssh://git@github.com:22/digx/infra.git", want: "github.com/digx/infra"},
		{name: "scp-like", in: "git@github.com:digx/infra.git", want: "github.com/digx/infra"},
		{name: "https", in: "https://github.com/digx/infra/", want: "github.com/digx/infra"},
		{name: "https with user", in: "https://bot@github.com/digx/infra", want: "github.com/digx/infra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NormalizeURL(tt.in); got != tt.want {
				t.Errorf("NormalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestLoad reads files at an older commit from a real repository, from a
// subfolder, and checks that later changes and untracked files are not
// seen.
func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	run(t, dir, "init", "-q", "-b", "main")
	write := func(rel, data string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("repo/clusters/uat/a.yaml", "kind: A\n")
	write("repo/clusters/uat/sub/b.yaml", "kind: B\n")
	write("repo/other/c.yaml", "kind: C\n")
	run(t, dir, "add", ".")
	run(t, dir, "commit", "-q", "-m", "one")
	write("repo/clusters/uat/a.yaml", "kind: A2\n")
	write("repo/clusters/uat/new.yaml", "kind: N\n")
	run(t, dir, "commit", "-q", "-am", "two")

	r := Repo{Dir: filepath.Join(dir, "repo")}
	fs, n, err := r.Load("HEAD~1", []string{"clusters"})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("read %d files, want 2", n)
	}
	got, err := fs.ReadFile("clusters/uat/a.yaml")
	if err != nil || string(got) != "kind: A\n" {
		t.Errorf("a.yaml = %q, %v", got, err)
	}
	if fs.Exists("clusters/uat/new.yaml") || fs.Exists("other/c.yaml") {
		t.Error("files outside the commit or the paths were loaded")
	}
	if _, _, err := r.Load("no-such-ref", []string{"clusters"}); err == nil || !strings.Contains(err.Error(), `git ref "no-such-ref" does not name a commit`) {
		t.Errorf("want a clear unknown-ref error, got %v", err)
	}
	if _, _, err := r.Load("--output=x", []string{"clusters"}); err == nil {
		t.Error("option-like refs must be refused")
	}
}
