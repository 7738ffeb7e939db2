package report

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/internal/finding"
)

// MarkdownMaxRows caps the findings table and the list of drifted files of
// the markdown format: a job summary is read at a glance, and GitHub limits
// each step's summary to 1 MiB.
const MarkdownMaxRows = 50

func writeMarkdown(buf *bytes.Buffer, r *finding.Report, o Options) {
	sum := summarize(r)
	if r.Failed() {
		buf.WriteString("### ❌ " + o.tool() + " failed\n\n")
	} else {
		buf.WriteString("### ✅ " + o.tool() + " passed\n\n")
	}
	buf.WriteString(sum.String())
	if o.Version != "" {
		buf.WriteString(" · " + o.tool() + " " + mdText(o.Version))
	}
	buf.WriteString("\n")

	var rows, drift []*finding.Finding
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.Waived():
		case f.Rule == finding.RenderDrift:
			drift = append(drift, f)
		case f.Severity == finding.Deny || f.Severity == finding.Warn:
			rows = append(rows, f)
		}
	}
	// deny before warn, each in report order, so the cap drops warnings
	// first
	sort.SliceStable(rows, func(i, j int) bool {
		return rows[i].Severity == finding.Deny && rows[j].Severity != finding.Deny
	})
	if len(rows) > 0 {
		buf.WriteString("\n| severity | location | rule | message |\n| --- | --- | --- | --- |\n")
		for _, f := range rows[:min(len(rows), MarkdownMaxRows)] {
			sev := "⚠️ warn"
			if f.Severity == finding.Deny {
				sev = "❌ deny"
			}
			loc := "—"
			if f.File != "" {
				loc = slashPath(f.File)
				if f.Line > 0 {
					loc += ":" + strconv.Itoa(f.Line)
				}
				loc = mdCode(loc)
			}
			buf.WriteString("| " + sev + " | " + loc + " | " + mdCode(f.Rule) + " | " + mdCell(f.Message+generatedSuffix(f)) + " |\n")
		}
		if n := len(rows) - MarkdownMaxRows; n > 0 {
			buf.WriteString("\n_" + strconv.Itoa(n) + " more not shown: the first " + strconv.Itoa(MarkdownMaxRows) +
				" of " + strconv.Itoa(len(rows)) + " findings are listed; the annotations, the SARIF report and `--output text` list them all._\n")
		}
	}

	if files := uniqueFiles(drift); len(files) > 0 {
		buf.WriteString("\n**Drifted files**: the committed output differs from what the specs render to; run `fluxtf render --all` (or `make render`) and commit the result.\n\n")
		for _, f := range files[:min(len(files), MarkdownMaxRows)] {
			buf.WriteString("- " + mdCode(f) + "\n")
		}
		if n := len(files) - MarkdownMaxRows; n > 0 {
			buf.WriteString("- _and " + plural(n, "more file") + "_\n")
		}
	}

	if len(r.Notes) > 0 {
		buf.WriteString("\n**Notes**\n\n")
		for _, n := range r.Notes {
			buf.WriteString("- " + mdCell(n) + "\n")
		}
	}
}

// uniqueFiles returns the slash-separated files of fs, sorted, each once.
func uniqueFiles(fs []*finding.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		p := slashPath(f.File)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// mdSpecial escapes the characters that would start Markdown or HTML markup
// in running text (CommonMark lets any ASCII punctuation be escaped with a
// backslash), and the pipe that would end a table cell.
var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"|", `\|`, "&", `\&`, "~", `\~`, "#", `\#`, "`", "\\`",
)

// mdText escapes s for running Markdown text on one line.
func mdText(s string) string {
	return mdSpecial.Replace(strings.Join(strings.Fields(s), " "))
}

// mdCode is s as an inline code span that stays inside a table cell.
func mdCode(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	// GFM tables split cells at | even inside code spans unless escaped.
	s = strings.ReplaceAll(s, "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdCell escapes a message for a table cell or list item: text between
// pairs of backticks stays code (messages quote commands that way), the
// rest is escaped, and line breaks become <br>.
func mdCell(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, line := range lines {
		parts := strings.Split(line, "`")
		if len(parts)%2 == 0 { // unbalanced backticks: all text
			lines[i] = mdText(line)
			continue
		}
		var b strings.Builder
		for j, p := range parts {
			switch {
			case j%2 == 1 && strings.TrimSpace(p) != "":
				b.WriteString(mdCode(p))
			case j%2 == 1: // `` or ` `: not code
				b.WriteString(mdSpecial.Replace("`" + p + "`"))
			default:
				b.WriteString(mdSpecial.Replace(p))
			}
		}
		lines[i] = strings.TrimSpace(b.String())
	}
	return strings.Join(lines, "<br>")
}
