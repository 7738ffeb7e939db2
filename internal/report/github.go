package report

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/internal/finding"
)

// GitHub workflow commands:
// https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands

var (
	// "##[" would start the runner's older command form anywhere in a line
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", "##[", `#\#[`)
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C", "##[", `#\#[`)
)

// escapeData escapes a workflow command's message.
func escapeData(s string) string { return ghDataEscaper.Replace(s) }

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string { return ghPropertyEscaper.Replace(s) }

func writeGitHub(buf *bytes.Buffer, r *finding.Report, o Options) {
	for i := range r.Findings {
		buf.WriteString(githubLine(&r.Findings[i]) + "\n")
	}
	for _, n := range r.Notes {
		buf.WriteString("::notice::" + escapeData("note: "+n) + "\n")
	}
	buf.WriteString("::notice::" + escapeData(o.tool()+": "+summarize(r).String()) + "\n")
}

func githubLine(f *finding.Finding) string {
	cmd := "notice"
	if !f.Waived() {
		switch f.Severity {
		case finding.Deny:
			cmd = "error"
		case finding.Warn:
			cmd = "warning"
		}
	}
	var props []string
	if f.File != "" {
		props = append(props, "file="+escapeProperty(slashPath(f.File)))
		if f.Line > 0 {
			props = append(props, "line="+strconv.Itoa(f.Line))
			if f.Column > 0 {
				props = append(props, "col="+strconv.Itoa(f.Column))
			}
		}
	}
	if f.Rule != "" {
		props = append(props, "title="+escapeProperty(f.Rule))
	}
	head := "::" + cmd
	if len(props) > 0 {
		head += " " + strings.Join(props, ",")
	}
	return head + "::" + escapeData(f.Message+generatedSuffix(f)+waiverSuffix(f))
}
