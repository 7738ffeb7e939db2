package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/scaffold"
)

// The flags several commands share, defined once: their names, defaults,
// help text and shell completion. The conventions are kubectl's and
// flux's: -o/--output is the output format wherever a command has one,
// --out the output root, and a boolean --x has its --no-x.

// formatFlag is the value of -o/--output: one of the formats a command
// prints.
type formatFlag struct {
	format  *report.Format
	allowed []report.Format
	hasOut  bool // the command has --out, the output root
}

func (f *formatFlag) String() string { return string(*f.format) }
func (f *formatFlag) Type() string   { return "format" }

func (f *formatFlag) Set(s string) error {
	v, err := report.ParseFormat(s)
	if err == nil && slices.Contains(f.allowed, v) {
		*f.format = v
		return nil
	}
	msg := fmt.Sprintf("%q is not an output format: use %s", s, formatList(f.allowed))
	if f.hasOut && err != nil {
		// older fluxtf took -o for the output root
		msg += fmt.Sprintf("; the output root is --out (--out %s)", s)
	}
	return fmt.Errorf("%s", msg)
}

// formatList is "text, json or sarif".
func formatList(formats []report.Format) string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// addOutputFlag adds -o/--output, the output format, defaulting to text,
// with the formats allowed (default: every format of the report package).
func addOutputFlag(cmd *cobra.Command, p *report.Format, allowed ...report.Format) {
	if len(allowed) == 0 {
		allowed = report.Formats()
	}
	*p = report.Text
	v := &formatFlag{format: p, allowed: allowed, hasOut: cmd.Flags().Lookup("out") != nil}
	cmd.Flags().VarP(v, "output", "o", "output format: "+formatList(allowed))
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		names := make([]string, len(allowed))
		for i, f := range allowed {
			names[i] = string(f)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
}

// outOnly is the -o of a command that writes files and prints no report
// (render, approve): a hidden flag whose every use is an error pointing at
// --out, which older fluxtf spelt -o.
type outOnly struct{ cmd string }

func (o outOnly) String() string { return "" }
func (o outOnly) Type() string   { return "string" }
func (o outOnly) Set(s string) error {
	return fmt.Errorf("%s prints no report: the output root is --out (--out %s); -o/--output is the output format of validate and check", o.cmd, s)
}

func addNoOutputFlag(cmd *cobra.Command) {
	cmd.Flags().VarP(outOnly{cmd: cmd.Name()}, "output", "o", "")
	_ = cmd.Flags().MarkHidden("output")
}

// addOutFlag adds --out, the output root the specs render into.
func addOutFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "out", scaffold.OutDir, "output root; each environment is rendered into <out>/<env>/")
	_ = cmd.MarkFlagDirname("out")
}

// addSpecsFlag adds --specs, the folder of environment specs.
func addSpecsFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "specs", scaffold.SpecsDir, "folder with <env>.yaml specs and an optional defaults.yaml")
	_ = cmd.MarkFlagDirname("specs")
}

// addTemplatesFlag adds --templates, a folder overriding embedded templates.
func addTemplatesFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "templates", "", "folder whose files override the embedded templates (stacks/, tiers.yaml, init/)")
	_ = cmd.MarkFlagDirname("templates")
}

// negBool is the --no-x of a boolean --x: it clears the value.
type negBool struct{ p *bool }

func (n negBool) String() string { return strconv.FormatBool(!*n.p) }
func (n negBool) Type() string   { return "bool" }
func (n negBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("takes no value")
	}
	*n.p = !v
	return nil
}

// addBoolFlag adds the boolean pair --name and --no-name, default def; the
// last one given wins. Help shows both, without a value (--name=false
// still works, but is not the way help tells).
func addBoolFlag(f *pflag.FlagSet, p *bool, name string, def bool, yes, no string) {
	f.BoolVar(p, name, def, yes)
	off := f.VarPF(negBool{p}, "no-"+name, "", no)
	off.NoOptDefVal = "true"
	// help marks the default itself, not as "(default true)" on one of two
	on, mark := f.Lookup(name), off
	on.DefValue, off.DefValue = "false", "false"
	if def {
		mark = on
	}
	mark.Usage += " (default)"
}

// plainBool hides a bool flag's IsBoolFlag from pflag, whose help would
// otherwise print it as --x[=true|false]; the flag still takes no value
// (NoOptDefVal), and GetBool still reads it.
type plainBool struct{ pflag.Value }

// plainBools gives every boolean flag of cmd and its subcommands, --help
// included, the plain --x look in help.
func plainBools(cmd *cobra.Command) {
	cmd.InitDefaultHelpFlag()
	for _, fs := range []*pflag.FlagSet{cmd.LocalNonPersistentFlags(), cmd.PersistentFlags(), cmd.Flags()} {
		fs.VisitAll(func(f *pflag.Flag) {
			if _, done := f.Value.(plainBool); !done && f.Value.Type() == "bool" {
				f.Value = plainBool{f.Value}
				f.NoOptDefVal = "true"
			}
		})
	}
	for _, c := range cmd.Commands() {
		plainBools(c)
	}
}
