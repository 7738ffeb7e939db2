package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/templates"
)

type renderOptions struct {
	envs      []string
	all       bool
	specs     string
	out       string
	templates string
	check     bool
	stackRepo string
}

func newRenderCmd(s streams) *cobra.Command {
	o := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render (--env NAME... | --all)",
		Short: "Render environment specs into clusters/<env>/",
		Long: `Render expands environment specs into a GitRepository, one Terraform per
target for the base stack and one per enabled component, and a
kustomization.yaml, under <out>/<env>/. Output is deterministic and written
atomically: a failed render leaves the previous output untouched, a killed
one a journal that the next render completes first, and files fluxtf did
not generate, or folders of the output root that are not its environment
folders, are never modified or deleted.

With --check nothing is written: the command prints a unified diff of what
would change on stdout and exits 1 when the committed output is out of date.`,
		Example: `  fluxtf render --env uat
  fluxtf render --all --specs environments --out clusters
  fluxtf render --env uat --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRender(s, o)
		},
	}
	f := cmd.Flags()
	addEnvFlag(cmd, &o.envs)
	f.BoolVar(&o.all, "all", false, "render every environment in the specs folder")
	addSpecsFlag(cmd, &o.specs)
	addOutFlag(cmd, &o.out)
	addNoOutputFlag(cmd)
	addTemplatesFlag(cmd, &o.templates)
	f.BoolVar(&o.check, "check", false, "write nothing; print the diff and exit 1 if the output is out of date")
	f.StringVar(&o.stackRepo, "stack-repo", "", "git checkout of the module stack repository: each source.migrationGuide must exist in it at the environment's source.tag (exit 2 otherwise)")
	_ = cmd.MarkFlagDirname("stack-repo")
	cmd.MarkFlagsMutuallyExclusive("env", "all")
	cmd.MarkFlagsOneRequired("env", "all")
	return cmd
}

func runRender(s streams, o *renderOptions) error {
	opts := generator.Options{
		LoadOptions: generator.LoadOptions{SpecsDir: o.specs},
		OutDir:      o.out,
		Envs:        o.envs,
		All:         o.all,
		Check:       o.check,
		Progress:    progress(s),
	}
	if o.templates != "" {
		set, err := templates.WithOverrides(o.templates)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		opts.Templates = set
	}
	if o.stackRepo != "" {
		if err := checkGuides(opts, o.stackRepo); err != nil {
			return &exitError{code: exitInput, err: err}
		}
	}
	res, err := generator.Render(opts)
	switch {
	case errors.Is(err, generator.ErrNoOutDir):
		return &exitError{code: exitInput, err: fmt.Errorf("%w: pass --out DIR", err)}
	case errors.Is(err, generator.ErrNoEnvironment):
		return &exitError{code: exitInput, err: fmt.Errorf("%w: pass --env NAME or --all", err)}
	case err != nil:
		return &exitError{code: exitInput, err: err}
	}
	for _, n := range res.Notes {
		statusf(s.err, "fluxtf: note: %s", n)
	}
	if o.check {
		for _, c := range res.Changes {
			if c.Diff != "" {
				fmt.Fprint(s.out, safetext.Commands(safetext.Text(c.Diff)))
			}
		}
		if res.Drift() {
			statusf(s.err, "fluxtf: %s out of date (%s); run %s to update it",
				o.out, summary(res), renderHint(o))
			return findings()
		}
		statusf(s.err, "fluxtf: %s is up to date (%d files)", o.out, len(res.Changes))
		return nil
	}
	statusf(s.err, "fluxtf: rendered %s into %s: %s", envList(res.Envs), o.out, summary(res))
	return nil
}

// envList names the environments rendered: all of them up to five, else
// their number and the first three.
func envList(envs []string) string {
	if len(envs) <= 5 {
		return strings.Join(envs, ", ")
	}
	return fmt.Sprintf("%d environments (%s, …)", len(envs), strings.Join(envs[:3], ", "))
}

func summary(res *generator.Result) string {
	return fmt.Sprintf("%d created, %d updated, %d deleted, %d unchanged",
		res.Count(generator.Create), res.Count(generator.Update), res.Count(generator.Delete), res.Count(generator.Unchanged))
}

func renderHint(o *renderOptions) string {
	args := []string{"fluxtf render"}
	if o.all {
		args = append(args, "--all")
	} else {
		for _, e := range o.envs {
			args = append(args, "--env", e)
		}
	}
	if o.specs != "environments" {
		args = append(args, "--specs", o.specs)
	}
	if o.out != "clusters" {
		args = append(args, "--out", o.out)
	}
	if o.templates != "" {
		args = append(args, "--templates", o.templates)
	}
	return "`" + strings.Join(args, " ") + "`"
}

// checkGuides checks the migration guides of the environments to render
// against the stack repository's checkout, before anything is written.
func checkGuides(opts generator.Options, repo string) error {
	envs := opts.Envs
	if opts.All {
		var err error
		if envs, err = generator.ListEnvironments(opts.SpecsDir); err != nil {
			return err
		}
	}
	r := gitfs.Repo{Dir: repo}
	return generator.CheckMigrationGuides(opts.LoadOptions, envs, repo, r.HasFile)
}
