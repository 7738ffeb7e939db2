package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/textdiff"
)

// hostile is text an attacker controls: a file name, an object name, a
// user policy's message. It tries every way out of a report: a newline
// followed by a workflow command, the runner's older command form, CR
// overwriting the line, terminal escapes (clear screen, OSC title, OSC 8
// link, BEL), a C1 CSI, a bidi override and an invalid byte.
const hostile = "x\n::error file=README.md,line=1::injected\r::add-mask::y ##[error]old" +
	"\x1b[2J\x1b]0;title\x07\x1b]8;;https://evil.example\x1b\\link\u009b31m\u202egnp.yaml\xff"

func hostileFixture() *finding.Report {
	return &finding.Report{
		Findings: []finding.Finding{{
			Rule: "user-" + hostile, Severity: finding.Deny, Message: "message " + hostile,
			File: "clusters/" + hostile + ".yaml", Line: 3, Column: 1,
			APIVersion: "v1" + hostile, Kind: "Terraform" + hostile, Name: "n" + hostile, Namespace: "ns" + hostile,
			Field:  "spec." + hostile,
			Waiver: nil,
		}, {
			Rule: "ref-by-tier", Severity: finding.Warn, Message: "waived " + hostile,
			File: hostile, Line: 1,
			Waiver: &finding.Waiver{Reason: "reason " + hostile, Expires: "2027-01-01" + hostile},
		}},
		Rules: []finding.Rule{{
			ID: "user-" + hostile, Severity: finding.Deny, Title: "title " + hostile,
			Rationale: "rationale " + hostile, Fix: "fix " + hostile, Source: "policy/" + hostile + ".rego",
		}},
		Notes: []string{"note " + hostile},
		Files: 1, Objects: 1,
	}
}

// TestHostileStrings renders a report whose every string is hostile in
// every format: golden files show the escapes, and each output is checked
// for what must never reach a terminal or the Actions runner.
func TestHostileStrings(t *testing.T) {
	t.Parallel()
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			got := render(t, f, hostileFixture(), Options{Tool: "fluxtf", Version: "1.2.3"})
			golden(t, "hostile-"+string(f)+".golden", got)
			assertInert(t, f, got)
			switch f {
			case JSON, SARIF:
				var v any
				if err := json.Unmarshal([]byte(got), &v); err != nil {
					t.Errorf("%s output is not JSON: %v", f, err)
				}
			case JUnit:
				d := xml.NewDecoder(strings.NewReader(got))
				for {
					if _, err := d.Token(); err != nil {
						if err.Error() != "EOF" {
							t.Errorf("junit output is not XML: %v", err)
						}
						break
					}
				}
			}
		})
	}
}

// TestHostileColor: the coloured text format keeps its own escapes and
// adds none from the data.
func TestHostileColor(t *testing.T) {
	t.Parallel()
	got := render(t, Text, hostileFixture(), Options{Color: true})
	stripped := strings.NewReplacer(ansiRed, "", ansiYellow, "", ansiDim, "", ansiReset, "").Replace(got)
	assertInert(t, Text, stripped)
}

// assertInert fails when out holds a raw control character (other than
// newline and tab), a bidi override, or a line the Actions runner would
// run as a command that fluxtf did not mean to write.
func assertInert(t *testing.T, f Format, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\ufffd' {
			t.Errorf("%s output has %U at byte %d: %q", f, r, i, out[max(0, i-20):min(len(out), i+20)])
			return
		}
	}
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimLeft(line, " \t\u00a0")
		if strings.Contains(line, "##[") {
			t.Errorf("%s output has the runner's old command form: %q", f, line)
		}
		if !strings.HasPrefix(trimmed, "::") {
			continue
		}
		// the github format's own commands: one per line, known names,
		// nothing injected into their data
		if f != GitHub || !(strings.HasPrefix(line, "::error ") || strings.HasPrefix(line, "::warning ") ||
			strings.HasPrefix(line, "::notice ") || strings.HasPrefix(line, "::notice::") || strings.HasPrefix(line, "::error::")) {
			t.Errorf("%s output has a workflow command line: %q", f, line)
		}
	}
	if f == GitHub && strings.Count(out, "\n") != 4 {
		t.Errorf("github output should be 4 command lines (2 findings, 1 note, the summary), got %d:\n%s", strings.Count(out, "\n"), out)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal([]byte(got), want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, textdiff.Unified(path, "got", string(want), got))
	}
}

// TestNotesAreOneLine: a note is one line in every format, whatever a
// path in it holds (a working folder named with a newline): the newline
// is escaped, not kept as a continuation line.
func TestNotesAreOneLine(t *testing.T) {
	t.Parallel()
	r := &finding.Report{Notes: []string{"no baseline: /tmp/a\nb is not inside a git work tree"}}
	for _, f := range []Format{Text, GitHub, Markdown, JUnit} {
		got := render(t, f, r, Options{Tool: "fluxtf", Version: "1.2.3", Quiet: true})
		for _, line := range strings.Split(got, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "b is not inside") {
				t.Errorf("%s: the note spans two lines:\n%s", f, got)
			}
		}
	}
}
