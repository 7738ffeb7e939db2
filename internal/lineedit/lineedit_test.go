package lineedit

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func TestRuneOffset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		col  int
		want int
	}{
		{name: "ascii", line: "  tag: v1", col: 3, want: 2},
		{name: "after a multi-byte rune", line: "é: x", col: 3, want: 3},
		{name: "past the end", line: "ab", col: 9, want: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := RuneOffset(tc.line, tc.col); got != tc.want {
				t.Errorf("RuneOffset(%q, %d) = %d, want %d", tc.line, tc.col, got, tc.want)
			}
		})
	}
}

func TestLastLine(t *testing.T) {
	t.Parallel()
	var doc yaml.Node
	src := "a:\n  b: 1\n  c: |\n    x\n    y\nd: 2\n"
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Content[0].Content[1] // the mapping under a
	if got := LastLine(a); got != 5 {
		t.Errorf("LastLine(a's value) = %d, want 5 (the block scalar's last line)", got)
	}
}

func TestInsert(t *testing.T) {
	t.Parallel()
	lines := []string{"a: 1\n", "b: 2"}
	got := strings.Join(Insert(lines, 2, "c: 3\n"), "")
	if want := "a: 1\nb: 2\nc: 3\n"; got != want {
		t.Errorf("Insert = %q, want %q", got, want)
	}
	got = strings.Join(Insert([]string{"a: 1\n"}, 0, "z: 0\n"), "")
	if want := "z: 0\na: 1\n"; got != want {
		t.Errorf("Insert at 0 = %q, want %q", got, want)
	}
}

func TestKeepEOL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ before, after, want string }{
		{"a: 1\r\nb: 2\r\n", "a: 1\r\nb: 3\r\nc: 4\n", "a: 1\r\nb: 3\r\nc: 4\r\n"},
		{"a: 1\r\nb: 2", "a: 1\r\nb: 2\nc: 4\n", "a: 1\r\nb: 2\r\nc: 4\r\n"},
		{"a: 1\nb: 2\n", "a: 1\nb: 2\nc: 4\n", "a: 1\nb: 2\nc: 4\n"},       // LF stays LF
		{"a: 1\r\nb: 2\n", "a: 1\r\nb: 2\nc: 4\n", "a: 1\r\nb: 2\nc: 4\n"}, // mixed: left as it is
		{"", "c: 4\n", "c: 4\n"},
	} {
		if got := string(KeepEOL([]byte(tc.before), []byte(tc.after))); got != tc.want {
			t.Errorf("KeepEOL(%q, %q) = %q, want %q", tc.before, tc.after, got, tc.want)
		}
	}
}
