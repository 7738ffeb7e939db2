package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadOnlyOutputFolder renders, makes the output read-only and renders
// a changed spec as an unprivileged user: exit 2, a one-line error naming
// the file, and the previous output intact. When the test runs as root
// (which ignores permissions) the CLI runs as nobody.
func TestReadOnlyOutputFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// let an unprivileged user reach the folder
	for d := dir; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	specs := filepath.Join(dir, "environments")
	out := filepath.Join(dir, "clusters")
	if err := os.MkdirAll(specs, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(repoRoot, "fixtures", "environments", "uat.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := os.ReadFile(filepath.Join(repoRoot, "fixtures", "environments", "defaults.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(specs, "uat.yaml"), src)
	writeFile(t, filepath.Join(specs, "defaults.yaml"), defaults)
	if code, _, stderr := runCLI(t, "render", "--env", "uat", "--specs", specs, "--out", out); code != 0 {
		t.Fatalf("first render: %d %s", code, stderr)
	}
	before := readTree(t, out)
	writeFile(t, filepath.Join(specs, "uat.yaml"), bytes.Replace(src, []byte("v4.2.0"), []byte("v4.3.0"), 1))
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			mode := os.FileMode(0o444)
			if d.IsDir() {
				mode = 0o555
			}
			_ = os.Chmod(p, mode)
		}
		return nil
	})
	t.Cleanup(func() {
		_ = filepath.WalkDir(out, func(p string, _ os.DirEntry, _ error) error { return os.Chmod(p, 0o755) })
	})

	// run the CLI in a child process (this test binary in CLI mode)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "fluxtf")
	copyFile(t, self, bin)
	cmd := exec.Command(bin, "render", "--env", "uat", "--specs", specs, "--out", out)
	cmd.Env = append(os.Environ(), "FLUXTF_TEST_AS_CLI=1")
	if os.Getuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("want exit 2, got %v; stderr: %s", err, stderr.String())
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "permission denied") || !strings.Contains(msg, out) {
		t.Errorf("want one line naming the file and the cause, got %q", msg)
	}
	if testing.Verbose() {
		t.Logf("stderr: %s", msg)
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Fatalf("file set changed: %d -> %d", len(before), len(after))
	}
	for name, data := range before {
		if !bytes.Equal(after[name], data) {
			t.Errorf("%s changed by a failed render", name)
		}
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
