package report

import (
	"bytes"
	"strings"

	"github.com/digx/fluxtf/internal/finding"
)

// writeText writes the findings to buf, the notes and the summary line to
// trailer.
func writeText(buf, trailer *bytes.Buffer, r *finding.Report, o Options) {
	for i := range r.Findings {
		buf.WriteString(textLine(&r.Findings[i], o.Color))
		buf.WriteByte('\n')
	}
	for _, n := range r.Notes {
		trailer.WriteString("note: " + indent(n) + "\n")
	}
	if !o.Quiet {
		trailer.WriteString(summarize(r).String() + "\n")
	}
}

// textLine is "file:line:col: severity rule: message", coloured on request.
func textLine(f *finding.Finding, color bool) string {
	var b strings.Builder
	if color && f.Waived() {
		b.WriteString(ansiDim)
	}
	if loc := location(f); loc != "" {
		b.WriteString(loc + ": ")
	}
	sev := displaySeverity(f)
	if color && !f.Waived() {
		switch f.Severity {
		case finding.Deny:
			sev = ansiRed + sev + ansiReset
		case finding.Warn:
			sev = ansiYellow + sev + ansiReset
		}
	}
	b.WriteString(sev + " " + f.Rule + ": " + indent(f.Message) + generatedSuffix(f) + waiverSuffix(f))
	if color && f.Waived() {
		b.WriteString(ansiReset)
	}
	return b.String()
}

// indent indents the continuation lines of a multi-line message so each
// finding still reads as one entry.
func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return strings.ReplaceAll(s, "\n", "\n    ")
}
