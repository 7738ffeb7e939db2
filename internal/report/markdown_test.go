package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

// driftFixture is what fluxtf check reports for a spec changed without
// re-rendering: drift findings on two files, a deny policy finding and a
// note.
func driftFixture() *finding.Report {
	return &finding.Report{
		Findings: []finding.Finding{
			{
				Rule: finding.RenderDrift, Severity: finding.Deny, Line: 1,
				Message: "clusters/uat/gitrepository.yaml is out of date with the uat spec; run make render ENV=uat (fluxtf render --env uat) and commit it",
				File:    "clusters/uat/gitrepository.yaml",
			},
			{
				Rule: finding.RenderDrift, Severity: finding.Deny,
				Message: "clusters/uat/digx-uat-eu-west-1/velero.yaml is missing: the uat spec renders it; run make render ENV=uat (fluxtf render --env uat) and commit it",
				File:    "clusters/uat/digx-uat-eu-west-1/velero.yaml",
			},
			{
				Rule: "k8s-sequential-upgrade", Severity: finding.Deny,
				Message: "Terraform \"uat-digx-uat-eu-west-1-eks\" raises kubernetes_version from 1.28 to 1.30; upgrade one minor at a time: set \"1.29\" first",
				File:    "clusters/uat/digx-uat-eu-west-1/eks.yaml", Line: 31, Column: 14,
				Kind: "Terraform", Name: "uat-digx-uat-eu-west-1-eks", Field: "spec.vars[6].value",
			},
		},
		Rules:   []finding.Rule{{ID: finding.RenderDrift, Severity: finding.Deny, Title: "Committed output matches the specs"}},
		Notes:   []string{"no baseline: the repository has no commits yet"},
		Files:   12,
		Objects: 11,
	}
}

func TestMarkdownCapsRows(t *testing.T) {
	t.Parallel()
	r := &finding.Report{Files: 1, Objects: 1}
	for i := range MarkdownMaxRows + 7 {
		sev := finding.Warn
		if i%3 == 0 {
			sev = finding.Deny
		}
		r.Findings = append(r.Findings, finding.Finding{
			Rule: "r", Severity: sev, Message: fmt.Sprintf("finding %03d", i),
			File: "clusters/a.yaml", Line: i + 1,
		})
		r.Findings = append(r.Findings, finding.Finding{
			Rule: finding.RenderDrift, Severity: finding.Deny, Message: "drift",
			File: fmt.Sprintf("clusters/env/file-%03d.yaml", i),
		})
	}
	out := render(t, Markdown, r, Options{})
	rows := 0
	denyDone := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "| ❌ deny"):
			rows++
			if denyDone {
				t.Errorf("deny row after a warn row: %s", l)
			}
		case strings.HasPrefix(l, "| ⚠️ warn"):
			rows++
			denyDone = true
		}
	}
	if rows != MarkdownMaxRows {
		t.Errorf("%d table rows, want %d", rows, MarkdownMaxRows)
	}
	// every deny finding (19 of 57) made it into the table
	if n := strings.Count(out, "| ❌ deny"); n != (MarkdownMaxRows+7+2)/3 {
		t.Errorf("%d deny rows", n)
	}
	for _, want := range []string{
		"_7 more not shown: the first 50 of 57 findings are listed;",
		"- `clusters/env/file-049.yaml`\n- _and 7 more files_\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "file-050.yaml") {
		t.Errorf("drifted files not capped")
	}
}

func TestMarkdownCell(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "set os to BOTTLEROCKET", want: "set os to BOTTLEROCKET"},
		{name: "pipe", in: "a | b", want: `a \| b`},
		{name: "markup", in: "0 */6 * * * <b>x</b> [a](b) & #1 ~x~ kubernetes_version",
			want: `0 \*/6 \* \* \* \<b\>x\</b\> \[a\](b) \& \#1 \~x\~ kubernetes\_version`},
		{name: "code spans stay code", in: "run `make render ENV=uat` and `a|b`", want: "run `make render ENV=uat` and `a\\|b`"},
		{name: "unbalanced backtick", in: "it's `odd", want: "it's \\`odd"},
		{name: "empty code", in: "a `` b", want: "a \\`\\` b"},
		// double-backtick spans are not recognised: escaped, shown as typed
		{name: "double backticks", in: "x ``a`b`` y", want: "x \\`\\`a\\`b\\`\\` y"},
		{name: "newlines", in: "one\ntwo\n", want: "one<br>two"},
		{name: "backslash", in: `C:\dir`, want: `C:\\dir`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mdCell(tt.in); got != tt.want {
				t.Errorf("mdCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMarkdownCode(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{in: "clusters/uat/eks.yaml:3", want: "`clusters/uat/eks.yaml:3`"},
		{in: "a|b", want: "`a\\|b`"},
		{in: "a`b", want: "``a`b``"},
		{in: "`a", want: "`` `a ``"},
	}
	for _, tt := range tests {
		if got := mdCode(tt.in); got != tt.want {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sarif := filepath.Join(dir, "fluxtf.sarif")
	if err := os.WriteFile(sarif, []byte("old contents that are longer than nothing"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(sarif, SARIF, fixture(), Options{}, false); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(sarif)
	if want := render(t, SARIF, fixture(), Options{}); string(got) != want {
		t.Errorf("SARIF file is not the report alone:\n%s", got)
	}

	summary := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(summary, []byte("# earlier step\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(summary, Markdown, fixture(), Options{}, true); err != nil {
		t.Fatal(err)
	}
	if err := AppendMarkdownError(summary, []string{"environments/uat.yaml:6:3: source.tagg: unknown field", "```"}, Options{}); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(summary)
	want := "# earlier step\n\n" + render(t, Markdown, fixture(), Options{}) +
		"\n### ❌ fluxtf could not run\n\n```text\nenvironments/uat.yaml:6:3: source.tagg: unknown field\n'''\n```\n"
	if string(got) != want {
		t.Errorf("summary file:\n%s\nwant:\n%s", got, want)
	}

	if err := WriteFile(filepath.Join(dir, "missing", "x.sarif"), SARIF, fixture(), Options{}, false); err == nil {
		t.Error("no error writing into a missing folder")
	}
}

// TestAppendMarkdown: a command's own section follows the findings'
// summary after a blank line, in one append, its workflow commands
// neutralised like the summary's.
func TestAppendMarkdown(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(name, []byte("before\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	extra := []byte("### Release changes\n\n::error::injected\n")
	if err := AppendMarkdown(name, &finding.Report{}, Options{}, extra); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.HasPrefix(got, "before\n\n### ✅ fluxtf passed\n") {
		t.Errorf("the summary does not follow what was there after a blank line:\n%s", got)
	}
	if !strings.Contains(got, "\n\n### Release changes\n") {
		t.Errorf("the section does not follow the summary after a blank line:\n%s", got)
	}
	if strings.Contains(got, "\n::error::") {
		t.Errorf("a workflow command in the section survived:\n%s", got)
	}
}
