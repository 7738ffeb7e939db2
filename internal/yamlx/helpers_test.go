package yamlx

import (
	"fmt"
	"strings"
	"testing"
)

// testFile is the file name the tests parse under.
const testFile = "f.yaml"

// mustParse parses src, which must hold exactly one non-empty document.
func mustParse(t testing.TB, src string) *Node {
	t.Helper()
	docs, err := Parse(testFile, []byte(src), DefaultLimits)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	if len(docs) != 1 || docs[0].Root == nil {
		t.Fatalf("Parse(%q): want one non-empty document, got %d", src, len(docs))
	}
	return docs[0].Root
}

// wantErr is an expected *Error: pos as Pos.String prints it, the exact
// path, and the exact message, or a part of it when msg starts with "~".
type wantErr struct {
	pos  string
	path string
	msg  string
}

func (w wantErr) String() string { return fmt.Sprintf("%s | %s | %s", w.pos, w.path, w.msg) }

func (w wantErr) matches(e *Error) bool {
	if e == nil || e.Pos.String() != w.pos || e.Path != w.path {
		return false
	}
	if rest, ok := strings.CutPrefix(w.msg, "~"); ok {
		return strings.Contains(e.Msg, rest)
	}
	return e.Msg == w.msg
}

func describeErr(e *Error) string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s | %s | %s", e.Pos, e.Path, e.Msg)
}

// checkErrs asserts that err holds exactly the errors in want, in order.
func checkErrs(t *testing.T, err error, want ...wantErr) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error; want %v", want)
	}
	got := AsList(err)
	if got == nil {
		t.Fatalf("error %T %q holds no *Error", err, err)
	}
	if len(got) != len(want) {
		t.Errorf("got %d errors, want %d:", len(got), len(want))
	}
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("  missing: %v", want[i])
		case i >= len(want):
			t.Errorf("  extra:   %s", describeErr(got[i]))
		case !want[i].matches(got[i]):
			t.Errorf("  got:  %s\n  want: %v", describeErr(got[i]), want[i])
		}
	}
}

// dump prints a tree with every field, to compare trees exactly.
func dump(n *Node) string {
	var b strings.Builder
	var walk func(n *Node, indent string)
	walk = func(n *Node, indent string) {
		if n == nil {
			b.WriteString(indent + "<nil>\n")
			return
		}
		fmt.Fprintf(&b, "%s%s %s %q quoted=%v @%s\n", indent, n.Kind, n.Tag, n.Value, n.Quoted, n.Pos)
		for _, c := range n.Content {
			walk(c, indent+"  ")
		}
	}
	walk(n, "")
	return b.String()
}

// walkNodes calls fn for every node of a tree with the number of
// collections around it.
func walkNodes(n *Node, fn func(n *Node, depth int)) {
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil {
			return
		}
		fn(n, depth)
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
}

// nested returns open+close repeated n times around inner: nested(2, "[",
// "]", "x") is "[[x]]".
func nested(n int, open, close, inner string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}
