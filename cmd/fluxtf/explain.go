package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/policies"
)

func newExplainCmd(s streams) *cobra.Command {
	var output report.Format
	cmd := &cobra.Command{
		Use:   "explain [RULE]",
		Short: "List the policy rules, or explain one: rationale and fix",
		Long: `Explain lists every rule a run of validate or check can report (the
policies, schema, the waiver rules and render-drift), or explains one: why it
exists, how to fix a finding and how to waive it. With -o json it prints the
rules' metadata as JSON: a list, or one object for RULE.`,
		Example: `  fluxtf explain
  fluxtf explain ref-by-tier
  fluxtf explain -o json`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeRules,
		RunE: func(_ *cobra.Command, args []string) error {
			return runExplain(s, output, args)
		},
	}
	addOutputFlag(cmd, &output, report.Text, report.JSON)
	return cmd
}

func runExplain(s streams, output report.Format, args []string) error {
	rules, err := check.Rules()
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	if len(args) == 0 {
		if output == report.JSON {
			return writeJSON(s, rules)
		}
		tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RULE\tSEVERITY\tTITLE")
		for _, r := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
		}
		return tw.Flush()
	}
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
		if r.ID != args[0] {
			continue
		}
		if output == report.JSON {
			return writeJSON(s, r)
		}
		explainText(s, r)
		return nil
	}
	hint := "; `fluxtf explain` lists them"
	if best := yamlx.Closest(args[0], ids); best != "" {
		hint = fmt.Sprintf("; did you mean %q?", best)
	}
	return &exitError{code: exitInput, err: fmt.Errorf("unknown rule %q%s", args[0], hint)}
}

func explainText(s streams, r finding.Rule) {
	fmt.Fprintf(s.out, "%s (%s)\n\n%s\n\n%s\n\nFix: %s\n", r.ID, r.Severity, r.Title, wrap(r.Rationale, 78), wrap(r.Fix, 73))
	if r.Baseline {
		fmt.Fprintln(s.out, "\nNeeds a baseline (--baseline DIR or --baseline-ref REF); skipped without one.")
	}
	if r.ID == check.RuleDrift {
		fmt.Fprintln(s.out, "\nNo waiver: render the specs and commit the output.")
		return
	}
	if why := policies.Unwaivable(r.ID); why != "" {
		fmt.Fprintf(s.out, "\nNo waiver: %s.\n", why)
		return
	}
	fmt.Fprintf(s.out, "\nWaive on one object: annotate it with\n  waive.fluxtf.io/%s: \"YYYY-MM-DD: reason\"\n", r.ID)
}

// writeJSON prints v as indented JSON on stdout.
func writeJSON(s streams, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	_, err = s.out.Write(append(b, '\n'))
	return err
}

// wrap breaks text into lines of at most width characters.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
