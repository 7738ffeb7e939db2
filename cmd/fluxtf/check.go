package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/templates"
)

type checkOptions struct {
	specs       string
	out         string
	templates   string
	baselineRef string
	noBaseline  bool
	policyDirs  []string
	output      string
	repoURL     string
	now         string
	diff        bool
	maxWaiver   int
	files       reportFiles
	limits      policyLimits
	budget      readBudget
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
pass without the version rules; only HEAD of a repository without commits
is skipped, with a note. Nothing is written, except the report files asked for: in CI,
--output github annotates the pull request, --sarif-file writes SARIF for
code scanning and --summary-file appends a Markdown job summary, all from
one run.

Exit codes: 0 clean (warnings allowed), 1 drift or deny findings, 2 input
error.`,
		Example: `  fluxtf check
  fluxtf check --baseline-ref origin/main --output github \
    --sarif-file fluxtf.sarif --summary-file "$GITHUB_STEP_SUMMARY"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.specs, "specs", "environments", "folder with <env>.yaml specs and an optional defaults.yaml")
	f.StringVarP(&o.out, "out", "o", "clusters", "output root the specs render into")
	f.StringVar(&o.templates, "templates", "", "folder whose files override the embedded templates")
	f.StringVar(&o.baselineRef, "baseline-ref", "HEAD", "git commit to compare versions with (HEAD for a hook, the base branch in a PR)")
	f.BoolVar(&o.noBaseline, "no-baseline", false, "skip the baseline comparison")
	f.StringArrayVarP(&o.policyDirs, "policy", "p", nil, "folder of your own Rego policies (repeatable)")
	f.StringVar(&o.output, "output", "text", "output format: text, json, sarif, github, junit or markdown")
	f.StringVar(&o.repoURL, "repository-url", "", "URL of this repository (default: its origin remote)")
	f.BoolVar(&o.diff, "diff", true, "with text output, print the unified diff of drifted files")
	f.StringVar(&o.now, "now", "", "date (YYYY-MM-DD) waivers are checked against")
	_ = f.MarkHidden("now")
	addMaxWaiverDays(cmd, &o.maxWaiver)
	o.files.addFlags(cmd)
	o.limits.addFlags(cmd)
	o.budget.addFlags(cmd)
	return cmd
}

func runCheck(ctx context.Context, s streams, o *checkOptions, paths []string) error {
	format, now, err := o.files.settings(o.output, o.now)
	if err != nil {
		return err
	}
	if err := checkMaxWaiverDays(o.maxWaiver); err != nil {
		return o.files.inputError(err)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ro := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: o.specs}, OutDir: o.out}
	if o.templates != "" {
		set, err := templates.WithOverrides(o.templates)
		if err != nil {
			return o.files.inputError(err)
		}
		ro.Templates = set
	}
	// the policies compile while the specs render
	limits, err := o.limits.limits()
	if err != nil {
		return o.files.inputError(err)
	}
	maxBytes, maxObjects, err := o.budget.values()
	if err != nil {
		return o.files.inputError(err)
	}
	engine := policies.Start(ctx, policies.Options{UserDirs: o.policyDirs, Limits: limits})
	opts := check.Options{Render: ro, Paths: paths, RepositoryURL: o.repoURL, Now: now, MaxWaiverDays: o.maxWaiver, Progress: progress(s),
		MaxInputBytes: maxBytes, MaxObjects: maxObjects}
	if !o.noBaseline {
		opts.BaselineRef = o.baselineRef
	}
	res, err := check.Run(ctx, engine, opts)
	if err != nil {
		return o.files.inputError(err)
	}
	if format == report.Text && o.diff {
		for _, c := range res.Changes {
			if c.Diff != "" {
				fmt.Fprint(s.out, safetext.Commands(safetext.Text(c.Diff)))
			}
		}
	}
	return writeReport(s, format, res.Report, o.files)
}
