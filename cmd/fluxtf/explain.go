package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/policies"
)

func newExplainCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "explain [RULE]",
		Short: "List the policy rules, or explain one: rationale and fix",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			rules, err := policies.BuiltinRules()
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			if len(args) == 0 {
				tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RULE\tSEVERITY\tTITLE")
				for _, r := range rules {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
				}
				return tw.Flush()
			}
			for _, r := range rules {
				if r.ID != args[0] {
					continue
				}
				fmt.Fprintf(s.out, "%s (%s)\n\n%s\n\n%s\n\nFix: %s\n", r.ID, r.Severity, r.Title, wrap(r.Rationale, 78), wrap(r.Fix, 73))
				if r.Baseline {
					fmt.Fprintln(s.out, "\nNeeds a baseline (--baseline DIR or --baseline-ref REF); skipped without one.")
				}
				fmt.Fprintf(s.out, "\nWaive on one object: annotate it with\n  waive.fluxtf.io/%s: \"YYYY-MM-DD: reason\"\n", r.ID)
				return nil
			}
			ids := make([]string, len(rules))
			for i, r := range rules {
				ids[i] = r.ID
			}
			return &exitError{code: exitInput, err: fmt.Errorf("unknown rule %q; rules: %s", args[0], strings.Join(ids, ", "))}
		},
	}
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
