package sharedfiles

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
)

func readLock(t *testing.T) []Entry {
	t.Helper()
	name := filepath.Join(crdtest.RepoRoot(t), ".ci", "shared.lock")
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := Parse(name, f)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestLockMatchesShared holds .ci/shared.lock and ../shared together: every
// pinned file is there with its checksum, and every data file the tests
// may read (all of upstream/ and realworld/ but SOURCES.md) is pinned, so
// the workflow that fetches from the lock gives the tests what they read
// here.
func TestLockMatchesShared(t *testing.T) {
	t.Parallel()
	entries := readLock(t)
	shared := filepath.Dir(crdtest.UpstreamDir(t))
	pinned := map[string]bool{}
	for _, e := range entries {
		if pinned[e.Path] {
			t.Errorf(".ci/shared.lock:%d: %s is pinned twice", e.Line, e.Path)
		}
		pinned[e.Path] = true
		data, err := os.ReadFile(filepath.Join(shared, filepath.FromSlash(e.Path)))
		if err != nil {
			t.Errorf(".ci/shared.lock:%d: %v", e.Line, err)
			continue
		}
		if got := Sum(data); got != e.SHA256 {
			t.Errorf(".ci/shared.lock:%d: %s has SHA-256 %s, the lock pins %s", e.Line, e.Path, got, e.SHA256)
		}
	}
	for _, top := range []string{"upstream", "realworld"} {
		err := filepath.WalkDir(filepath.Join(shared, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() == "SOURCES.md" {
				return err
			}
			rel, _ := filepath.Rel(shared, p)
			if !pinned[filepath.ToSlash(rel)] {
				t.Errorf("%s is not in .ci/shared.lock: add <sha256> %s <url>", rel, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	sum := strings.Repeat("a", 64)
	for _, tc := range []struct {
		name, line, want string
	}{
		{name: "fields", line: sum + " a.yaml", want: "got 2 fields"},
		{name: "sum", line: "abc a.yaml https://x/a.yaml", want: "not a SHA-256"},
		{name: "escape", line: sum + " ../etc/passwd https://x/a", want: "inside the shared folder"},
		{name: "absolute", line: sum + " /etc/passwd https://x/a", want: "inside the shared folder"},
		{name: "http", line: sum + " a.yaml http://x/a.yaml", want: "must be https"},
		{name: "block", line: sum + " a.yaml https://x/a.md#yaml-block=x", want: "block index"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("lock", strings.NewReader("# comment\n\n"+tc.line+"\n"))
			if err == nil || !strings.Contains(err.Error(), "lock:3: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want lock:3: ... %s", err, tc.want)
			}
		})
	}
}

func TestYAMLBlock(t *testing.T) {
	t.Parallel()
	md := "# Title\n\n```yaml\na: 1\n```\n\n```go\nx\n```\n\n  ```yml\n  b: 2\n\n  c: 3\n  ```\n"
	for _, tc := range []struct {
		i    int
		want string
	}{
		{i: 0, want: "a: 1\n"},
		{i: 1, want: "  b: 2\n\n  c: 3\n"},
	} {
		got, err := YAMLBlock([]byte(md), tc.i)
		if err != nil || string(got) != tc.want {
			t.Errorf("block %d = %q, %v; want %q", tc.i, got, err, tc.want)
		}
	}
	if _, err := YAMLBlock([]byte(md), 2); err == nil || !strings.Contains(err.Error(), "has 2") {
		t.Errorf("block 2: err = %v, want no such block", err)
	}
}

// TestFetch serves two files and a Markdown page from a local server and
// fetches them as the workflow would: whole files and a yaml block land
// with their checksums; a changed file upstream fails and writes nothing.
func TestFetch(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"/r/c/a.yaml":  "kind: A\n",
		"/r/c/doc.md":  "text\n```yaml\nkind: B\n```\n",
		"/r/c/bad.txt": "changed upstream\n",
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	lock := Sum([]byte("kind: A\n")) + " up/a.yaml " + srv.URL + "/r/c/a.yaml\n" +
		Sum([]byte("kind: B\n")) + " up/b.yaml " + srv.URL + "/r/c/doc.md#yaml-block=0\n"
	entries, err := Parse("lock", strings.NewReader(lock))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Fetch(context.Background(), srv.Client(), dir, entries); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"up/a.yaml": "kind: A\n", "up/b.yaml": "kind: B\n"} {
		got, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", p, got, err, want)
		}
	}
	bad, err := Parse("lock", strings.NewReader(Sum([]byte("pinned\n"))+" up/bad.txt "+srv.URL+"/r/c/bad.txt\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = Fetch(context.Background(), srv.Client(), dir, bad)
	if err == nil || !strings.Contains(err.Error(), "the lock pins") {
		t.Fatalf("err = %v, want a checksum mismatch", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "up", "bad.txt")); !os.IsNotExist(err) {
		t.Errorf("a file that failed its checksum was written: %v", err)
	}
}
