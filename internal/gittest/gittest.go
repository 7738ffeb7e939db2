package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Env is the environment that makes git behave the same on every machine:
// a fixed identity, no system configuration and an empty global one (a
// developer's safe.directory=* would hide dubious ownership).
func Env() map[string]string {
	return map[string]string{
		"GIT_AUTHOR_NAME":     "fluxtf test",
		"GIT_AUTHOR_EMAIL":    "test@fluxtf.invalid",
		"GIT_COMMITTER_NAME":  "fluxtf test",
		"GIT_COMMITTER_EMAIL": "test@fluxtf.invalid",
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_CONFIG_GLOBAL":   os.DevNull,
	}
}

// Environ is os.Environ with Env set, for a child process running git.
func Environ() []string {
	env := os.Environ()
	for k, v := range Env() {
		env = append(env, k+"="+v)
	}
	return env
}

// Setenv sets Env in the test's process, for code under test that runs
// git itself (t.Setenv: the test must not be parallel).
func Setenv(t testing.TB) {
	t.Helper()
	for k, v := range Env() {
		t.Setenv(k, v)
	}
}

// Git runs git with args in dir under Env and returns its combined
// output; a failure fails the test with that output.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = Environ()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Init makes dir a repository on branch main.
func Init(t testing.TB, dir string) {
	t.Helper()
	Git(t, dir, "init", "-q", "-b", "main")
}

// CommitAll commits every file of dir's work tree with message msg.
func CommitAll(t testing.TB, dir, msg string) {
	t.Helper()
	Git(t, dir, "add", "-A")
	Git(t, dir, "commit", "-q", "-m", msg)
}

// WriteFile writes data to the file p, making its folders.
func WriteFile(t testing.TB, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Symlink makes link lead to target. Where symbolic links cannot be made
// (Windows without the privilege) the test is skipped, except under
// CI=true, where it fails: CI never skips a test for it.
func Symlink(t testing.TB, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no symbolic links here: %v", err)
		}
		t.Skipf("no symbolic links here: %v", err)
	}
}
