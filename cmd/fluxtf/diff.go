package main

import (
	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/releasediff"
	"github.com/digx/fluxtf/templates"
)

type diffOptions struct {
	specs       string
	out         string
	templates   string
	baselineRef string
	output      report.Format
}

func newDiffCmd(s streams) *cobra.Command {
	o := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Say what the change does to each cluster: module tag, Kubernetes, OS, component versions",
		Long: `Diff renders every environment in memory and compares it with the output
root as committed at a baseline git ref (HEAD by default; the base branch in
a pull request), and prints per environment and target what the change does
in the team's words: module tag v4.1.3 -> v4.2.0, Kubernetes 1.29 -> 1.30,
node OS, karpenter 1.0.8 -> 1.1.0, components added and removed.

Exit codes: 0 (whether or not anything changed), 2 input error.`,
		Example: `  fluxtf diff
  fluxtf diff --baseline-ref origin/main -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDiff(s, o)
		},
	}
	addSpecsFlag(cmd, &o.specs)
	addOutFlag(cmd, &o.out)
	addTemplatesFlag(cmd, &o.templates)
	cmd.Flags().StringVar(&o.baselineRef, "baseline-ref", "HEAD", "git commit to compare with")
	addOutputFlag(cmd, &o.output, report.Text, report.JSON, report.Markdown)
	return cmd
}

func runDiff(s streams, o *diffOptions) error {
	ro := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: o.specs}, OutDir: o.out}
	if o.templates != "" {
		set, err := templates.WithOverrides(o.templates)
		if err != nil {
			return err
		}
		ro.Templates = set
	}
	changes, err := releasediff.Compute(releasediff.Options{Render: ro, BaselineRef: o.baselineRef})
	if err != nil {
		return err
	}
	changes = safeChanges(changes)
	switch o.output {
	case report.JSON:
		return releasediff.WriteJSON(s.out, changes)
	case report.Markdown:
		return releasediff.WriteMarkdown(s.out, changes)
	}
	return releasediff.WriteText(s.out, changes)
}

// safeChanges makes the changes' text safe to print: one line each, no
// workflow commands (package safetext). It edits changes in place.
func safeChanges(changes []releasediff.Change) []releasediff.Change {
	for i := range changes {
		c := &changes[i]
		for _, p := range []*string{&c.Environment, &c.Target, &c.Component, &c.From, &c.To, &c.Text} {
			*p = safetext.Commands(safetext.Line(*p))
		}
	}
	return changes
}
