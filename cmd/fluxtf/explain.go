package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/policies"
)

// explainOptions are explain's flags.
type explainOptions struct {
	output      report.Format
	policyDirs  []string
	regoVersion regoVersionFlag
}

func newExplainCmd(s streams) *cobra.Command {
	o := &explainOptions{regoVersion: regoVersionFlag(policies.RegoV1)}
	cmd := &cobra.Command{
		Use:   "explain [RULE]",
		Short: "List the policy rules, or explain one: rationale and fix",
		Long: `Explain lists every rule a run of validate or check can report (the
policies, schema, the waiver rules and render-drift), or explains one: why it
exists, how to fix a finding and how to waive it. With -o json it prints the
rules' metadata as JSON: a list, or one object for RULE. With --policy DIR
your own policies' rules are listed too, each package a rule, described by
its METADATA block (title, description, custom.fix) when it has one.`,
		Example: `  fluxtf explain
  fluxtf explain ref-by-tier
  fluxtf explain -o json
  fluxtf explain --policy policy/`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeRules,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExplain(cmd.Context(), s, o, args)
		},
	}
	addOutputFlag(cmd, &o.output, report.Text, report.JSON)
	f := cmd.Flags()
	f.StringArrayVarP(&o.policyDirs, "policy", "p", nil, "folder of your own Rego policies whose rules to list too (repeatable)")
	_ = cmd.MarkFlagDirname("policy")
	f.Var(&o.regoVersion, "rego-version", "Rego syntax of your own policies: v1, or v0 for conftest-style policies written before OPA 1.0")
	return cmd
}

// explainRules are the rules explain knows: every rule a run can report,
// and the rules of the --policy folders.
func explainRules(ctx context.Context, o *explainOptions) ([]finding.Rule, error) {
	if len(o.policyDirs) == 0 {
		return check.Rules()
	}
	if ctx == nil {
		ctx = context.Background()
	}
	e, err := policies.New(ctx, policies.Options{UserDirs: o.policyDirs, RegoVersion: policies.RegoVersion(o.regoVersion)})
	if err != nil {
		return nil, err
	}
	rules, err := e.Rules()
	if err != nil {
		return nil, err
	}
	rules = append(rules, check.DriftRule)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

func runExplain(ctx context.Context, s streams, o *explainOptions, args []string) error {
	output := o.output
	rules, err := explainRules(ctx, o)
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
			// a user policy's metadata is anyone's text: one line, no
			// control characters or workflow commands
			fmt.Fprintf(tw, "%s\t%s\t%s\n", safetext.Line(r.ID), safetext.Line(string(r.Severity)), safetext.Commands(safetext.Line(r.Title)))
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
		var b strings.Builder
		explainText(streams{out: &b}, safeRule(r))
		_, err := fmt.Fprint(s.out, safetext.Commands(b.String()))
		return err
	}
	hint := "; `fluxtf explain` lists them"
	if best := yamlx.Closest(args[0], ids); best != "" {
		hint = fmt.Sprintf("; did you mean %q?", best)
	}
	return &exitError{code: exitInput, err: fmt.Errorf("unknown rule %q%s", args[0], hint)}
}

// specFixGeneric is the spec fix of a rule without custom.specFix.
const specFixGeneric = "fluxtf check (and validate --specs) reports the finding at the spec line and field that produced it, and says what to set there; edit that field and render. Never edit the generated file: render overwrites it, and check reports render-drift."

// safeRule returns r with its text fit for a terminal and a CI log: a
// user policy's metadata (--policy) may hold control characters (ESC,
// OSC, BEL) and lines that read as workflow commands (::error ...).
func safeRule(r finding.Rule) finding.Rule {
	r.ID, r.Title = safetext.Line(r.ID), safetext.Line(r.Title)
	for _, p := range []*string{&r.Rationale, &r.Fix, &r.SpecFix} {
		*p = safetext.Text(*p)
	}
	return r
}

func explainText(s streams, r finding.Rule) {
	fmt.Fprintf(s.out, "%s (%s)\n\n%s\n\n%s\n", r.ID, r.Severity, r.Title, wrap(r.Rationale, 78))
	switch {
	case r.Source == "user" || r.ID == check.RuleDrift:
		fmt.Fprintf(s.out, "\nFix: %s\n", wrap(r.Fix, 73))
	default:
		spec := r.SpecFix
		if spec == "" {
			spec = specFixGeneric
		}
		fmt.Fprintf(s.out, "\nFix in the environment spec (a finding on a file fluxtf renders):\n  %s\n", strings.ReplaceAll(wrap(spec, 76), "\n", "\n  "))
		fmt.Fprintf(s.out, "\nFix in a hand-written manifest:\n  %s\n", strings.ReplaceAll(wrap(r.Fix, 76), "\n", "\n  "))
	}
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
