package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/scaffold"
	"github.com/digx/fluxtf/templates"
)

// Shell completion (fluxtf completion bash|zsh|fish|powershell, cobra's
// command) of the values fluxtf knows: environment names from the specs
// folder, rule ids, output formats (addOutputFlag) and components.

// completeEnvs suggests the environments of the --specs folder: its
// <env>.yaml files but defaults.yaml.
func completeEnvs(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	specs := scaffold.SpecsDir
	if f := cmd.Flags().Lookup("specs"); f != nil && f.Value.String() != "" {
		specs = f.Value.String()
	}
	entries, err := os.ReadDir(specs)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var envs []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".yaml")
		if !ok || e.IsDir() || name == "defaults" || !strings.HasPrefix(name, prefix) {
			continue
		}
		envs = append(envs, name)
	}
	return envs, cobra.ShellCompDirectiveNoFileComp
}

// completeRules suggests the rule ids explain knows, for its one argument.
func completeRules(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	rules, err := check.Rules()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var ids []string
	for _, r := range rules {
		if strings.HasPrefix(r.ID, prefix) {
			ids = append(ids, r.ID+"\t"+r.Title)
		}
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// completeComponents suggests the components of the catalogue, read with
// the command's --templates and, when it has one, --stack.
func completeComponents(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	set := templates.Embedded()
	if f := cmd.Flags().Lookup("templates"); f != nil && f.Value.String() != "" {
		var err error
		if set, err = templates.WithOverrides(filepath.Clean(f.Value.String())); err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
	}
	stack := generator.DefaultStack
	if f := cmd.Flags().Lookup("stack"); f != nil && f.Value.String() != "" {
		stack = f.Value.String()
	}
	st, err := set.Stack(stack)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var names []string
	for _, n := range st.ComponentNames() {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n+"\t"+st.Component(n).Description)
		}
	}
	sort.Strings(names)
	return names, cobra.ShellCompDirectiveNoFileComp
}

// addEnvFlag adds -e/--env, environments by spec file name, completed
// from the --specs folder.
func addEnvFlag(cmd *cobra.Command, p *[]string) {
	cmd.Flags().StringSliceVarP(p, "env", "e", nil, "environment(s) to render, by spec file name (repeat or comma-separate)")
	_ = cmd.RegisterFlagCompletionFunc("env", completeEnvs)
}
