package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/promote"
	"github.com/digx/fluxtf/templates"
)

type promoteOptions struct {
	from, to    string
	components  []string
	dryRun      bool
	stackRepo   string
	specs       string
	out         string
	templates   string
	baselineRef string
}

func newPromoteCmd(s streams) *cobra.Command {
	o := &promoteOptions{}
	cmd := &cobra.Command{
		Use:   "promote --from TIER --to TIER [--component NAME...] [--dry-run]",
		Short: "Take the previous tier's release into the next tier's specs: tag, Kubernetes, OS, component versions",
		Long: `Promote edits the specs of the --to tier so that each environment takes the
release of the --from environment of its stack: the module tag, every
component's version (components the --to tier lacks are added), the node
OS, and the Kubernetes minor one step at a time (uat on 1.31 moves prod from
1.29 to 1.30 only). Only the lines that change are edited: comments and
layout stay. With --component only those components' versions move.
The step's records go with it: the source's migration marker, migration
guide or rollback for the very step the target takes is written into the
target's spec (a record for another step is not).

Before anything is written, the promoted specs are checked as fluxtf check
would (every policy, against --baseline-ref): a promotion the policies deny
is refused with exit 1 and the findings. Otherwise the spec diff is printed
on stdout, the specs are written and the environments rendered; commit both.
--dry-run checks and prints the diff but writes nothing.

From dev (the alpha branch), --stack-repo PATH names a local clone of the
module stack: the newest release tag vMAJOR.MINOR.PATCH (Semantic Versioning
precedence) that contains the branch's commit is proposed for uat.

Exit codes: 0 promoted (or nothing to promote), 1 refused, 2 input error.`,
		Example: `  fluxtf promote --from uat --to prod
  fluxtf promote --from uat --to prod --component karpenter --dry-run
  fluxtf promote --from dev --to uat --stack-repo ../infrastructure`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPromote(cmd.Context(), s, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "tier whose release is taken: dev or uat")
	f.StringVar(&o.to, "to", "", "tier whose specs are edited: uat or prod")
	f.StringArrayVar(&o.components, "component", nil, "promote only this component's version (repeatable)")
	_ = cmd.RegisterFlagCompletionFunc("component", completeComponents)
	f.BoolVar(&o.dryRun, "dry-run", false, "check and print the spec diff, write nothing")
	f.StringVar(&o.stackRepo, "stack-repo", "", "local clone of the module stack, to find the tag of dev's branch")
	_ = cmd.MarkFlagDirname("stack-repo")
	f.StringVar(&o.baselineRef, "baseline-ref", "HEAD", "git commit the policies compare the promoted specs with")
	addSpecsFlag(cmd, &o.specs)
	addOutFlag(cmd, &o.out)
	addNoOutputFlag(cmd)
	addTemplatesFlag(cmd, &o.templates)
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func runPromote(ctx context.Context, s streams, o *promoteOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	opts := promote.Options{SpecsDir: o.specs, OutDir: o.out, From: generator.Tier(o.from), To: generator.Tier(o.to),
		Components: o.components, DryRun: o.dryRun, StackRepo: o.stackRepo}
	if o.templates != "" {
		set, err := templates.WithOverrides(o.templates)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		opts.Templates = set
	}
	opts.Check = func(ctx context.Context, specsDir string) (*finding.Report, error) {
		ro := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specsDir, Templates: opts.Templates}, OutDir: o.out}
		engine := policies.Start(ctx, policies.Options{})
		res, err := check.Run(ctx, engine, check.Options{Render: ro, BaselineRef: o.baselineRef, Now: time.Now()})
		if err != nil {
			return nil, err
		}
		return res.Report, nil
	}
	res, err := promote.Promote(ctx, opts)
	var ie *promote.InputError
	var re *promote.RefusedError
	switch {
	case errors.As(err, &ie):
		return &exitError{code: exitInput, err: err}
	case errors.As(err, &re):
		return &exitError{code: exitFindings, err: fmt.Errorf("promotion refused: %w", err)}
	case err != nil && res == nil:
		return &exitError{code: exitInput, err: err}
	}
	for _, n := range res.Notes {
		statusf(s.err, "fluxtf: note: %s", n)
	}
	if len(res.Denied) > 0 {
		rep := &finding.Report{Findings: res.Denied}
		if res.Checked != nil {
			rep.Objects, rep.Files = res.Checked.Objects, res.Checked.Files
		}
		if werr := report.Write(s.out, report.Text, rep, report.Options{}); werr != nil {
			return werr
		}
		statusf(s.err, "fluxtf: promotion --from %s --to %s refused: the policies deny the promoted specs (%d deny findings above); nothing was written", o.from, o.to, len(res.Denied))
		return findings()
	}
	if len(res.Edits) == 0 {
		statusf(s.err, "fluxtf: %s already runs %s's release: nothing to promote", o.to, o.from)
		return nil
	}
	fmt.Fprint(s.out, safetext.Commands(safetext.Text(res.Diff())))
	for _, e := range res.Edits {
		for _, l := range e.Lines {
			statusf(s.err, "fluxtf: %s: %s", e.Env, l)
		}
	}
	if o.dryRun {
		statusf(s.err, "fluxtf: dry run: nothing written")
		return nil
	}
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	statusf(s.err, "fluxtf: promoted %s to %s's release and rendered into %s: %s; review the diff and commit the specs and the output together", o.to, o.from, o.out, summary(res.Render))
	return nil
}
