package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/templates"
)

func newComponentsCmd(s streams) *cobra.Command {
	var stack, dir string
	cmd := &cobra.Command{
		Use:   "components",
		Short: "List the optional components of a module stack",
		Args:  cobra.NoArgs,
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
			tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tDEFAULT VERSION\tDEPENDS ON\tDESCRIPTION")
			for _, name := range st.ComponentNames() {
				m := st.Component(name)
				deps := strings.Join(m.DependsOn, ",")
				if deps == "" {
					deps = "-"
				}
				v := m.DefaultVersion
				if v == "" {
					v = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, v, deps, m.Description)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&stack, "stack", "jeppesen-eks", "module stack catalogue")
	cmd.Flags().StringVar(&dir, "templates", "", "folder whose files override the embedded templates")
	return cmd
}
