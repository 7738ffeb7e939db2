package safetext

import (
	"strings"
	"testing"
)

func TestLineAndText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, line, text string
	}{
		{name: "plain", in: "clusters/uat/eks.yaml", line: "clusters/uat/eks.yaml", text: "clusters/uat/eks.yaml"},
		{name: "non-ASCII letters stay", in: "größe ✅", line: "größe ✅", text: "größe ✅"},
		{name: "newline", in: "a\n::error::x", line: `a\n::error::x`, text: "a\n::error::x"},
		{name: "tab", in: "a\tb", line: `a\tb`, text: "a\tb"},
		{name: "carriage return", in: "ok\rFAKE", line: `ok\rFAKE`, text: `ok\rFAKE`},
		{name: "CSI", in: "\x1b[2J\x1b[31mred", line: `\x1b[2J\x1b[31mred`, text: `\x1b[2J\x1b[31mred`},
		{name: "OSC title and BEL", in: "\x1b]0;pwned\x07", line: `\x1b]0;pwned\a`, text: `\x1b]0;pwned\a`},
		{name: "OSC 8 hyperlink", in: "\x1b]8;;http://x\x1b\\click", line: `\x1b]8;;http://x\x1b\click`, text: `\x1b]8;;http://x\x1b\click`},
		{name: "DEL and C1 CSI", in: "a\x7fb\u009bc", line: `a\x7fb\u009bc`, text: `a\x7fb\u009bc`},
		{name: "bidi override", in: "evil\u202etxt.yaml", line: `evil\u202etxt.yaml`, text: `evil\u202etxt.yaml`},
		{name: "zero width and BOM", in: "a\u200bb\ufeff", line: `a\u200bb\ufeff`, text: `a\u200bb\ufeff`},
		{name: "line separator", in: "a\u2028b", line: `a\u2028b`, text: `a\u2028b`},
		{name: "invalid UTF-8", in: "a\xffb", line: `a\xffb`, text: `a\xffb`},
		{name: "NUL", in: "a\x00b", line: `a\x00b`, text: `a\x00b`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Line(tc.in); got != tc.line {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
			}
			if got := Text(tc.in); got != tc.text {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{name: "no command", in: "deny rule: a::b", want: "deny rule: a::b"},
		{name: "command at line start", in: "::error file=x::pwned", want: `\::error file=x::pwned`},
		{name: "after newline", in: "msg\n::add-mask::x\n", want: "msg\n\\::add-mask::x\n"},
		{name: "indented", in: "msg\n    ::error::x", want: "msg\n    \\::error::x"},
		{name: "after NBSP", in: "msg\n\u00a0::error::x", want: "msg\n\u00a0\\::error::x"},
		{name: "after lone CR", in: "ok\r::warning::x", want: "ok\r\\::warning::x"},
		{name: "old form anywhere", in: "text ##[error]boom", want: `text #\#[error]boom`},
		{name: "stop-commands", in: "::stop-commands::tok", want: `\::stop-commands::tok`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Commands(tc.in)
			if got != tc.want {
				t.Errorf("Commands(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if runnerWouldRun(got) {
				t.Errorf("Commands(%q) = %q still has a workflow command", tc.in, got)
			}
		})
	}
}

// runnerWouldRun reads s line by line as the Actions runner does and
// reports whether any line is a workflow command.
func runnerWouldRun(s string) bool {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimLeft(l, " \t\u00a0"), "::") || strings.Contains(l, "##[") {
			return true
		}
	}
	return false
}

func FuzzCommands(f *testing.F) {
	f.Add("a\n::error::b\r##[x]")
	f.Fuzz(func(t *testing.T, s string) {
		out := Commands(Text(s))
		if runnerWouldRun(out) {
			t.Fatalf("Commands(Text(%q)) = %q has a workflow command", s, out)
		}
		if l := Line(s); strings.ContainsAny(l, "\n\r\x1b\x07") {
			t.Fatalf("Line(%q) = %q keeps a control character", s, l)
		}
	})
}
