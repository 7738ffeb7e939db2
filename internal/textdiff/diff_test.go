package textdiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{name: "equal", a: "x\n", b: "x\n", want: ""},
		{name: "change middle", a: "a\nb\nc\n", b: "a\nB\nc\n", want: "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{name: "create", a: "", b: "x\ny\n", want: "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{name: "delete", a: "x\n", b: "", want: "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n"},
		{name: "no newline", a: "x", b: "y", want: "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Unified("a", "b", tt.a, tt.b); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestAgainstGitDiff checks hunks against git's own unified diff on
// longer inputs with separated changes.
func TestAgainstGitDiff(t *testing.T) {
	t.Parallel()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatal("git is needed for this test")
	}
	var a, b strings.Builder
	for i := range 60 {
		line := strings.Repeat("x", i%7) + "line\n"
		a.WriteString(line)
		switch {
		case i == 5:
			b.WriteString("changed\n")
		case i == 30:
		case i == 50:
			b.WriteString(line)
			b.WriteString("inserted\n")
		default:
			b.WriteString(line)
		}
	}
	dir := t.TempDir()
	pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(pa, []byte(a.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pb, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(git, "diff", "--no-index", "--no-color", "--diff-algorithm=myers", pa, pb).Output()
	gitHunks := string(out[strings.Index(string(out), "@@"):])
	ours := Unified("a", "b", a.String(), b.String())
	ourHunks := ours[strings.Index(ours, "@@"):]
	// git appends the enclosing "function" context after @@; strip it
	var cleaned []string
	for _, l := range strings.SplitAfter(gitHunks, "\n") {
		if strings.HasPrefix(l, "@@") {
			l = l[:strings.LastIndex(l, "@@")+2] + "\n"
		}
		cleaned = append(cleaned, l)
	}
	if g := strings.Join(cleaned, ""); g != ourHunks {
		t.Errorf("ours:\n%s\ngit:\n%s", ourHunks, g)
	}
}
