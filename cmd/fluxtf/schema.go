package main

import (
	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
)

func newSchemaCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of environment spec files",
		Long: `Print the JSON Schema of environment spec files, for editors. With the YAML
language server, start a spec with:

  # yaml-language-server: $schema=<path or URL of the schema>`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := s.out.Write(generator.EnvironmentSchema)
			return err
		},
	}
}
