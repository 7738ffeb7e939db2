package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/report"
)

// reportFiles are the files a CI run writes besides stdout, so that one
// run gives annotations (--output github), SARIF and a job summary.
type reportFiles struct {
	sarif   string // --sarif-file: SARIF 2.1.0, replaced
	summary string // --summary-file: Markdown, appended
	// summaryExtra is a Markdown section the command adds to the
	// summary after the findings (check: the release changes).
	summaryExtra []byte
}

func (r *reportFiles) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.sarif, "sarif-file", "", "also write the findings as SARIF 2.1.0 to this file, for code scanning")
	f.StringVar(&r.summary, "summary-file", "", `also append a short Markdown summary to this file, such as "$GITHUB_STEP_SUMMARY"`)
}

func (r reportFiles) write(rep *finding.Report) error {
	if r.sarif != "" {
		if err := report.WriteFile(r.sarif, report.SARIF, rep, reportOptions(), false); err != nil {
			return fmt.Errorf("--sarif-file: %w", err)
		}
	}
	if r.summary != "" {
		if err := report.AppendMarkdown(r.summary, rep, reportOptions(), r.summaryExtra); err != nil {
			return fmt.Errorf("--summary-file: %w", err)
		}
	}
	return nil
}

// inputError is the exit-2 error of a run that has no report; the summary
// file, when asked for, records why.
func (r reportFiles) inputError(err error) error {
	if r.summary != "" {
		_ = report.AppendMarkdownError(r.summary, errorLines(err), reportOptions())
	}
	return &exitError{code: exitInput, err: err}
}
