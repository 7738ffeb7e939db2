package textdiff

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// TestFullRewriteMemory holds the bytes a diff allocates on a 2,000-line
// file rewritten completely: the Myers trace once kept 2·maxEdit+3 words
// per step (251 MiB here). Not parallel: TotalAlloc counts the whole process.
func TestFullRewriteMemory(t *testing.T) {
	const lines = 2000
	var a, b strings.Builder
	for i := range lines {
		fmt.Fprintf(&a, "old line %d of the rendered manifest\n", i)
		fmt.Fprintf(&b, "new line %d of the rendered manifest\n", i)
	}
	as, bs := a.String(), b.String()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := Unified("a", "b", as, bs)
	runtime.ReadMemStats(&after)
	const limit = 16 << 20
	used := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-line rewrite allocated %.1f MiB", lines, float64(used)/(1<<20))
	if used > limit {
		t.Errorf("diff of a %d-line rewrite allocated %d MiB, want at most %d MiB", lines, used>>20, limit>>20)
	}
	if want := fmt.Sprintf("--- a\n+++ b\n@@ -1,%d +1,%d @@\n", lines, lines); !strings.HasPrefix(got, want) {
		t.Errorf("got header %q, want %q", got[:min(len(got), 80)], want)
	}
	if n := strings.Count(got, "\n-old line "); n != lines {
		t.Errorf("got %d removed lines, want %d", n, lines)
	}
	if n := strings.Count(got, "\n+new line "); n != lines {
		t.Errorf("got %d added lines, want %d", n, lines)
	}
}

// TestLargeFileFewChanges: the bound on the search keeps small hunks for a
// long file with a few changes (not a whole-file replacement).
func TestLargeFileFewChanges(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	for i := range 5000 {
		line := fmt.Sprintf("line %d\n", i)
		a.WriteString(line)
		if i%1000 == 500 {
			line = fmt.Sprintf("changed %d\n", i)
		}
		b.WriteString(line)
	}
	got := Unified("a", "b", a.String(), b.String())
	if n := strings.Count(got, "\n@@ "); n != 5 {
		t.Errorf("got %d hunks, want 5:\n%s", n, got)
	}
	if want := "@@ -498,7 +498,7 @@\n line 497\n line 498\n line 499\n-line 500\n+changed 500\n line 501\n"; !strings.Contains(got, want) {
		t.Errorf("missing hunk %q in\n%s", want, got)
	}
}
