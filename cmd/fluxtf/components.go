package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/templates"
)

// componentInfo is one line of fluxtf components, and its JSON object.
type componentInfo struct {
	Name           string   `json:"name"`
	DefaultVersion string   `json:"defaultVersion,omitempty"`
	DependsOn      []string `json:"dependsOn"`
	Description    string   `json:"description"`
}

func newComponentsCmd(s streams) *cobra.Command {
	var stack, dir string
	var output report.Format
	cmd := &cobra.Command{
		Use:   "components",
		Short: "List the optional components of a module stack",
		Example: `  fluxtf components
  fluxtf components -o json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			set := templates.Embedded()
			if dir != "" {
				var err error
				if set, err = templates.WithOverrides(dir); err != nil {
					return &exitError{code: exitInput, err: err}
				}
			}
			st, err := set.Stack(stack)
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			infos := []componentInfo{}
			for _, name := range st.ComponentNames() {
				m := st.Component(name)
				infos = append(infos, componentInfo{Name: m.Name, DefaultVersion: m.DefaultVersion, DependsOn: append([]string{}, m.DependsOn...), Description: m.Description})
			}
			if output == report.JSON {
				return writeJSON(s, infos)
			}
			tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tDEFAULT VERSION\tDEPENDS ON\tDESCRIPTION")
			for _, c := range infos {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, orDash(c.DefaultVersion), orDash(strings.Join(c.DependsOn, ",")), c.Description)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&stack, "stack", generator.DefaultStack, "module stack catalogue")
	addTemplatesFlag(cmd, &dir)
	addOutputFlag(cmd, &output, report.Text, report.JSON)
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
