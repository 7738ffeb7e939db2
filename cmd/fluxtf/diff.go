package main

import (
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

type diffOptions struct {
	specs       string
	out         string
	templates   string
	baselineRef string
	refGiven    bool // --baseline-ref was given, not the default
	policyDirs  []string
	now         string
	output      report.Format
}

func newDiffCmd(s streams) *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Say what the change does to each cluster, with the policy verdict on each line",
		Long: `Diff renders every environment in memory and compares it with the output
root as committed at a baseline git ref (HEAD by default; the base branch in
a pull request), and prints per environment and target what the change does
in the team's words: module tag v4.1.3 -> v4.2.0, Kubernetes 1.29 -> 1.30,
node OS, karpenter 1.0.8 -> 1.1.0, components added and removed.

Each line carries the policy verdict that applies to it: the policies are
evaluated as fluxtf check evaluates them, against the same baseline, and a
line is "deny RULE" when a deny finding is on the object and field it is
about (the module's ref, the Kubernetes or OS var, the component's version
var, the node groups, an added component's Terraform), "warn RULE" when
only warnings are, else "ok". In json, each change has "verdict", "rules"
and "findings".

Exit codes: 0 whatever the verdicts (diff only informs; fluxtf check is
the gate), 2 input error.`,
		Example: `  fluxtf diff
  fluxtf diff --baseline-ref origin/main -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.refGiven = cmd.Flags().Changed("baseline-ref")
			return runDiff(cmd.Context(), s, o)
		},
	}
	addSpecsFlag(cmd, &o.specs)
	addOutFlag(cmd, &o.out)
	addTemplatesFlag(cmd, &o.templates)
	cmd.Flags().StringVar(&o.baselineRef, "baseline-ref", defaultBaselineRef, "git commit to compare with")
	cmd.Flags().StringArrayVarP(&o.policyDirs, "policy", "p", nil, "folder of your own Rego policies (conftest style; repeatable), as fluxtf check takes")
	_ = cmd.MarkFlagDirname("policy")
	cmd.Flags().StringVar(&o.now, "now", "", "date (YYYY-MM-DD) waivers and the EKS support dates are checked against (default: $"+nowEnv+", else today)")
	addOutputFlag(cmd, &o.output, report.Text, report.JSON, report.Markdown)
	return cmd
}

func runDiff(ctx context.Context, s streams, o *diffOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	now, err := parseNow(o.now)
	if err != nil {
		return err
	}
	ro := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: o.specs}, OutDir: o.out}
	tset := templates.Embedded()
	if o.templates != "" {
		if tset, err = templates.WithOverrides(o.templates); err != nil {
			return err
		}
		ro.Templates = tset
	}
	calendar, err := tset.EKSVersions()
	if err != nil {
		return err
	}
	// the one check run: its findings are the verdicts
	engine := policies.Start(ctx, policies.Options{UserDirs: o.policyDirs, RegoVersion: policies.RegoV1})
	res, err := check.Run(ctx, engine, check.Options{
		Render: ro, BaselineRef: o.baselineRef, BaselineDefault: !o.refGiven,
		Now: now, EKSVersions: calendar, Release: true,
	})
	if err != nil {
		return err
	}
	changes := res.Release
	if !res.HasBaseline {
		// HEAD of a repository without commits, or no git work tree:
		// everything is new, with the verdicts of the run without a baseline
		if changes, err = releasediff.Compute(releasediff.Options{Render: ro, BaselineRef: o.baselineRef}); err != nil {
			return err
		}
		releasediff.Attach(changes, ro.OutDir, res.Report.Findings)
	}
	return writeChanges(s.out, o.output, safeChanges(changes))
}

// writeChanges writes the changes in the format asked for.
func writeChanges(w io.Writer, f report.Format, changes []releasediff.Change) error {
	switch f {
	case report.JSON:
		return releasediff.WriteJSON(w, changes)
	case report.Markdown:
		return releasediff.WriteMarkdown(w, changes)
	case report.Text, "":
		return releasediff.WriteText(w, changes)
	}
	return fmt.Errorf("%q is not an output format of diff", f)
}

// safeChanges makes the changes' text safe to print: one line each, no
// workflow commands (package safetext). It edits changes in place.
func safeChanges(changes []releasediff.Change) []releasediff.Change {
	for i := range changes {
		c := &changes[i]
		for _, p := range []*string{&c.Environment, &c.Target, &c.Component, &c.From, &c.To, &c.Text} {
			*p = safetext.Commands(safetext.Line(*p))
		}
		for j := range c.Rules {
			c.Rules[j] = safetext.Commands(safetext.Line(c.Rules[j]))
		}
		for j := range c.Findings {
			n := &c.Findings[j]
			n.Rule = safetext.Commands(safetext.Line(n.Rule))
			n.Message = safetext.Commands(safetext.Line(n.Message))
		}
	}
	return changes
}
