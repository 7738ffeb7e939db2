package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressQuietWithoutTerminal: progress is for people watching a
// terminal; when stderr is a buffer, a file or a pipe (CI logs, pre-commit,
// editors) there is none, even for runs long enough to show it.
func TestProgressQuietWithoutTerminal(t *testing.T) {
	t.Parallel()
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name string
		err  io.Writer
	}{
		{name: "buffer", err: &bytes.Buffer{}},
		{name: "regular file", err: file},
		{name: "pipe", err: w},
		{name: "null device", err: devNull(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if cb := progress(streams{out: &bytes.Buffer{}, err: tt.err}); cb != nil {
				t.Errorf("progress() = a callback for a %s; want nil (quiet)", tt.name)
			}
		})
	}
}

func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// TestRenderAllQuietWithoutTerminal renders more environments than the
// progress threshold with stderr redirected to a file: stderr holds the
// one summary line and no progress.
func TestRenderAllQuietWithoutTerminal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	specs := filepath.Join(dir, "environments")
	if err := os.Mkdir(specs, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 25 // progress shows from 20 environments
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("dev%02d", i)
		writeFile(t, filepath.Join(specs, names[i]+".yaml"), []byte(fmt.Sprintf(`apiVersion: fluxtf/v1alpha1
kind: Environment
name: %s
tier: dev
source: {url: "ssh://git@github.com/digx/infrastructure.git", branch: alpha}
targets: [{account: digx-dev, accountId: "210987654321", region: eu-west-1}]
cluster:
  kubernetesVersion: "1.30"
  os: AL2023
  nodeGroups: [{name: system, instanceTypes: [m6i.large], minSize: 2, maxSize: 5}]
`, names[i])))
	}
	stderr, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	var stdout bytes.Buffer
	if code := run([]string{"render", "--all", "--specs", specs, "--out", filepath.Join(dir, "clusters")}, &stdout, stderr); code != 0 {
		b, _ := os.ReadFile(stderr.Name())
		t.Fatalf("render exited %d: %s", code, b)
	}
	b, err := os.ReadFile(stderr.Name())
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	want := fmt.Sprintf("fluxtf: rendered %d environments (%s, …) into ", len(names), strings.Join(names[:3], ", ")) + filepath.Join(dir, "clusters") + ": 75 created, 0 updated, 0 deleted, 0 unchanged\n"
	if got != want {
		t.Errorf("stderr = %q\nwant    %q", got, want)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
}
