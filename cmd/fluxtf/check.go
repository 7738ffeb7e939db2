package main

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/releasediff"
	"github.com/digx/fluxtf/templates"
)

type checkOptions struct {
	runFlags
	specs     string
	out       string
	templates string
	diff      bool
}

func newCheckCmd(s streams) *cobra.Command {
	o := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Render in memory, report drift, and validate against a baseline (the hook and PR check)",
		Long: `Check is what the pre-commit hook and the pull-request check run. It renders
every environment in memory and reports drift against the committed output
(a spec changed without re-rendering), then validates the rendered output
together with any hand-written manifests under the output root (and PATHs)
against the same paths at a baseline git commit: HEAD by default, which is
what a pre-commit hook wants; pass --baseline-ref origin/main in a pull
request. A baseline that cannot be read (git missing, a repository git does
not trust, a ref not fetched, no git checkout) is an input error, never a
pass without the version rules; only HEAD of a repository without commits,
and the default HEAD where the paths are in no git work tree, are skipped,
with a note (validate does the same). Nothing is written, except the report files asked for: in CI,
--output github annotates the pull request, --sarif-file writes SARIF for
code scanning and --summary-file appends a Markdown job summary, all from
one run. The summary also says what the change does per environment and
target (fluxtf diff's markdown) against the same baseline, or in one line
that there was none.

Exit codes: 0 clean (warnings allowed), 1 drift or deny findings, 2 input
error.`,
		Example: `  fluxtf check
  fluxtf check --baseline-ref origin/main -o github \
    --sarif-file fluxtf.sarif --summary-file "$GITHUB_STEP_SUMMARY"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), s, o, args)
		},
	}
	addSpecsFlag(cmd, &o.specs)
	addOutFlag(cmd, &o.out)
	addTemplatesFlag(cmd, &o.templates)
	o.addFlags(cmd)
	addBoolFlag(cmd.Flags(), &o.diff, "diff", true,
		"with text output, print the unified diff of drifted files on stdout",
		"print no diff, only the render-drift findings")
	return cmd
}

func runCheck(ctx context.Context, s streams, o *checkOptions, paths []string) error {
	now, err := o.settings()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ro := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: o.specs}, OutDir: o.out}
	tset := templates.Embedded()
	if o.templates != "" {
		if tset, err = templates.WithOverrides(o.templates); err != nil {
			return o.files.inputError(err)
		}
		ro.Templates = tset
	}
	// the EKS support dates (eks-standard-support, eks-extended-support)
	calendar, err := tset.EKSVersions()
	if err != nil {
		return o.files.inputError(err)
	}
	// the policies compile while the specs render
	po, err := o.engineOptions(s.err)
	if err != nil {
		return err
	}
	maxBytes, maxObjects, err := o.budget.values()
	if err != nil {
		return o.files.inputError(err)
	}
	liveSet, err := o.liveSet()
	if err != nil {
		return err
	}
	engine := policies.Start(ctx, po)
	opts := check.Options{Live: liveSet, Render: ro, Paths: paths, RepositoryURL: o.repoURL, Now: now, MaxWaiverDays: o.maxWaiver, Progress: progress(s),
		MaxInputBytes: maxBytes, MaxObjects: maxObjects, EKSVersions: calendar, Release: o.files.summary != ""}
	opts.BaselineDir, opts.BaselineRef, opts.BaselineDefault = o.baselines()
	res, err := check.Run(ctx, engine, opts)
	if err != nil {
		return o.files.inputError(err)
	}
	if o.output == report.Text && o.diff {
		for _, c := range res.Changes {
			if c.Diff != "" {
				fmt.Fprint(s.out, safetext.Commands(safetext.Text(c.Diff)))
			}
		}
	}
	if o.files.summary != "" {
		var b bytes.Buffer
		if err := releaseMarkdown(&b, res); err != nil {
			return o.files.inputError(err)
		}
		o.files.summaryExtra = b.Bytes()
	}
	return writeReport(s, o.output, res.Report, o.files)
}

// releaseMarkdown writes the summary's section of what the change does
// per environment and target (fluxtf diff's markdown), or the line that
// says there was no baseline to compare with.
func releaseMarkdown(w io.Writer, res *check.Result) error {
	if !res.HasBaseline {
		return releasediff.WriteMarkdownNoBaseline(w)
	}
	return releasediff.WriteMarkdown(w, safeChanges(res.Release))
}
