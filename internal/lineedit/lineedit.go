package lineedit

import (
	"bytes"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// RuneOffset is the byte offset of column col (from 1, in characters) of
// l, or len(l) when l is shorter.
func RuneOffset(l string, col int) int {
	i := 0
	for off := range l {
		if i == col-1 {
			return off
		}
		i++
	}
	return len(l)
}

// LastLine is the last line (from 1) a node's text reaches: its own line,
// a block scalar's further lines, and its children's.
func LastLine(n *yaml.Node) int {
	end := n.Line
	if n.Kind == yaml.ScalarNode && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
		end += strings.Count(n.Value, "\n")
	}
	for _, c := range n.Content {
		end = max(end, LastLine(c))
	}
	return end
}

// Insert puts text after line (from 1) of lines (each with its "\n"),
// giving the last line a "\n" when it had none.
func Insert(lines []string, line int, text string) []string {
	if line > len(lines) {
		line = len(lines)
	}
	if line > 0 && !strings.HasSuffix(lines[line-1], "\n") {
		lines[line-1] += "\n"
	}
	out := make([]string, 0, len(lines)+1)
	out = append(out, lines[:line]...)
	out = append(out, text)
	return append(out, lines[line:]...)
}

// KeepEOL gives the lines of after the line ends of before: when every
// line of before ends in "\r\n" (a spec written on Windows), so does
// every line after ends in, the inserted ones too; otherwise after is
// returned as it is.
func KeepEOL(before, after []byte) []byte {
	crlf := bytes.Count(before, []byte("\r\n"))
	if crlf == 0 || crlf != bytes.Count(before, []byte("\n")) {
		return after
	}
	out := make([]byte, 0, len(after)+bytes.Count(after, []byte("\n"))-bytes.Count(after, []byte("\r\n")))
	for i, c := range after {
		if c == '\n' && (i == 0 || after[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}
