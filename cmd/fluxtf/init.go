package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/scaffold"
	"github.com/digx/fluxtf/templates"
)

type initOptions struct {
	sourceURL string
	tag       string
	rev       string
	revGiven  bool // --rev on the command line
	templates string
	force     bool
	stack     string
}

func newInitCmd(s streams) *cobra.Command {
	o := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Scaffold a repository: specs, Makefile, pre-commit hook, GitHub workflow and rendered output",
		Long: `Init scaffolds a repository for fluxtf in DIR (default: the current folder):

  environments/            defaults.yaml, dev.yaml (alpha branch, newest
                           Kubernetes), uat.yaml and prod.yaml (a release tag)
  clusters/                the output those specs render to
  Makefile                 make render ENV=uat, make check
  .pre-commit-config.yaml  the fluxtf-check hook
  .github/workflows/fluxtf.yml
                           the pull-request check (the digx/fluxtf action)

Everything passes fluxtf check straight away; replace the account ids in
the specs with yours. The hook, the workflow and the Makefile pin the
release or the commit this fluxtf was built from (go install ./cmd/fluxtf
in a clone records it), or --rev; pre-commit autoupdate moves the hook to
the newest release (or commit of main while there is none). A build that
knows neither (go run, -buildvcs=false) falls back to main, with a note.

Init never overwrites a file: when any of them exists it lists them and
exits 2, writing nothing, unless --force.

--stack ocm-client scaffolds environments of the ocm-client stack (the
Azure Functions OAuth client app) instead of jeppesen-eks.`,
		Example: `  fluxtf init
  fluxtf init infra --source-url https://github.com/acme/jeppesen-eks.git --tag v5.0.1
  fluxtf init ocm --stack ocm-client`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.revGiven = cmd.Flags().Changed("rev")
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(s, o, dir)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.sourceURL, "source-url", scaffold.DefaultSourceURL, "git URL of the module stack")
	f.StringVar(&o.tag, "tag", scaffold.DefaultTag, "module stack release tag uat and prod start on")
	bi, _ := debug.ReadBuildInfo()
	v := buildVersion(version, bi)
	f.StringVar(&o.rev, "rev", scaffold.Rev(v.Version, v.Revision), "fluxtf revision the hook, the workflow and the Makefile pin: a release tag or commit (default: the one this fluxtf was built from)")
	addTemplatesFlag(cmd, &o.templates)
	f.BoolVar(&o.force, "force", false, "overwrite existing files")
	f.StringVar(&o.stack, "stack", generator.DefaultStack, "module stack of the scaffolded environments (jeppesen-eks or ocm-client)")
	return cmd
}

func runInit(s streams, o *initOptions, dir string) error {
	opts := scaffold.Options{Dir: dir, SourceURL: o.sourceURL, Tag: o.tag, Rev: o.rev, Force: o.force, Stack: o.stack}
	if o.templates != "" {
		set, err := templates.WithOverrides(o.templates)
		if err != nil {
			return &exitError{code: exitInput, err: err}
		}
		opts.Templates = set
	}
	res, err := scaffold.Init(opts)
	var exists *scaffold.ExistsError
	if errors.As(err, &exists) {
		fmt.Fprintln(s.err, safetext.Commands(safetext.Text("fluxtf: "+err.Error()))) // a line per file
		return &exitError{code: exitInput}
	}
	if err != nil {
		return &exitError{code: exitInput, err: err}
	}
	if o.rev == scaffold.DevRev && !o.revGiven {
		statusf(s.err, "fluxtf: note: the hook, the workflow and the Makefile follow the branch %s: this fluxtf knows no release or commit it was built from; pin one with --rev", scaffold.DevRev)
	}
	printPaths(s, dir, "created    ", res.Created)
	printPaths(s, dir, "overwritten", res.Overwritten)
	statusf(s.err, "fluxtf: scaffolded %s; next: put your account ids in %s, run make render, commit, and run pre-commit install",
		dir, filepath.Join(dir, scaffold.SpecsDir, "*.yaml"))
	return nil
}

// printPaths lists files on stderr, one line each, except the rendered
// output: one line per environment folder.
func printPaths(s streams, dir, verb string, paths []string) {
	counts := map[string]int{}
	var folders []string
	for _, p := range paths {
		if rest, ok := strings.CutPrefix(p, scaffold.OutDir+"/"); ok {
			env, _, _ := strings.Cut(rest, "/")
			key := scaffold.OutDir + "/" + env
			if counts[key] == 0 {
				folders = append(folders, key)
			}
			counts[key]++
			continue
		}
		statusf(s.err, "%s %s", verb, filepath.Join(dir, filepath.FromSlash(p)))
	}
	for _, key := range folders {
		statusf(s.err, "%s %s%c (%s)", verb, filepath.Join(dir, filepath.FromSlash(key)), filepath.Separator, plural(counts[key], "file"))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
