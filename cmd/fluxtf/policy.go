package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/policies"
)

func newPolicyCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Work with Rego policies",
	}
	var o policies.TestOptions
	test := &cobra.Command{
		Use:   "test [DIR...]",
		Short: "Run the Rego unit tests of the embedded policies and of DIR",
		Long: `Run the Rego unit tests (rules named test_*) of the embedded policies and,
when given, of your own policy folders, in the same sandbox validate uses.
Exit 1 when a test fails, 2 when a policy does not compile.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Dirs = args
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			sum, err := policies.RunTests(ctx, o, s.out)
			if err != nil {
				return &exitError{code: exitInput, err: err}
			}
			if !sum.OK() {
				return findings()
			}
			return nil
		},
	}
	test.Flags().BoolVarP(&o.Verbose, "verbose", "v", false, "list every test")
	test.Flags().StringVar(&o.Run, "run", "", "only tests whose name matches this regular expression")
	test.Flags().BoolVar(&o.NoBuiltin, "no-builtin", false, "skip the embedded policies' tests")
	cmd.AddCommand(test)
	return cmd
}
