package main

import (
	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
)

func newSchemaCmd(s streams) *cobra.Command {
	var defaults bool
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of environment spec files",
		Long: `Print the JSON Schema of environment spec files, for editors. With the YAML
language server, start a spec with:

  # yaml-language-server: $schema=<path or URL of the schema>

With --defaults it prints the schema of defaults.yaml instead (no
apiVersion, kind, name or tier; nothing required).`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			schema := generator.EnvironmentSchema
			if defaults {
				schema = generator.DefaultsSchema
			}
			_, err := s.out.Write(schema)
			return err
		},
	}
	cmd.Flags().BoolVar(&defaults, "defaults", false, "print the schema of defaults.yaml")
	return cmd
}
