package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/pipeline"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/templates"
)

type validateOptions struct {
	runFlags
	combine bool
	specs   string
}

func newValidateCmd(s streams) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check manifests: strict decoding, CRD schema and the policies",
		Long: `Validate reads YAML manifests from files and folders (recursively, every
document of multi-document files; a folder with a kustomization.yaml is built
like kustomize does). GitRepository and Terraform objects are decoded
strictly and checked against their CRD schema; then every policy runs once
over all objects.

Rules that compare versions (k8s-sequential-upgrade, major-bump-migration,
karpenter-no-inplace-upgrade) compare each object with its twin in a
baseline: a folder (--baseline) or the same paths at a git commit
(--baseline-ref, default HEAD as in check; where the paths are in no git
work tree the default is no baseline). Without one they are skipped, and
the report says so.

Exit codes: 0 no deny findings (warnings allowed), 1 deny findings, 2 input
error (unreadable file, bad YAML, unknown field, bad policy, or a --policy
policy over --policy-timeout or --policy-memory).`,
		Example: `  fluxtf validate clusters
  fluxtf validate clusters --baseline-ref origin/main --output sarif > fluxtf.sarif
  fluxtf validate clusters/uat --policy policy/ --output json
  fluxtf validate clusters --output github --sarif-file fluxtf.sarif --summary-file "$GITHUB_STEP_SUMMARY"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd.Context(), s, o, args)
		},
	}
	o.addFlags(cmd)
	f := cmd.Flags()
	f.BoolVar(&o.combine, "combine", false, "give your own policies every document at once, as conftest --combine does")
	f.StringVar(&o.specs, "specs", "", "specs folder of the rendered manifests: findings on them are reported at the spec line that produced them, as check does, and its defaults.yaml `accounts:` maps tiers to AWS accounts (account-by-tier; default digx-dev, digx-uat, digx-prod*)")
	return cmd
}

func runValidate(ctx context.Context, s streams, o *validateOptions, paths []string) error {
	now, err := o.settings()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var accounts map[string][]string
	if o.specs != "" {
		if accounts, err = generator.AccountTiers(generator.LoadOptions{SpecsDir: o.specs}); err != nil {
			return o.files.inputError(err)
		}
	}
	// the EKS support dates (eks-standard-support, eks-extended-support)
	calendar, err := templates.Embedded().EKSVersions()
	if err != nil {
		return o.files.inputError(err)
	}
	// the policies compile while the manifests are read
	po, err := o.engineOptions(s.err)
	if err != nil {
		return err
	}
	maxBytes, maxObjects, err := o.budget.values()
	if err != nil {
		return o.files.inputError(err)
	}
	liveSet, err := o.liveSet()
	if err != nil {
		return err
	}
	po.Combine = o.combine
	engine := policies.Start(ctx, po)
	dir, ref, isDefault := o.baselines()
	rep, err := pipeline.Validate(ctx, engine, pipeline.Options{
		Paths:           paths,
		BaselineDir:     dir,
		BaselineRef:     ref,
		BaselineDefault: isDefault,
		RepositoryURL:   o.repoURL,
		Accounts:        accounts,
		SpecsDir:        o.specs,
		Now:             now,
		MaxWaiverDays:   o.maxWaiver,
		MaxInputBytes:   maxBytes,
		MaxObjects:      maxObjects,
		EKSVersions:     calendar,
		Live:            liveSet,
	})
	if err != nil {
		return o.files.inputError(err)
	}
	if o.specs != "" {
		// findings on rendered files speak the spec, as in check
		check.SpeakSpec(rep, generator.LoadOptions{SpecsDir: o.specs})
	}
	return writeReport(s, o.output, rep, o.files)
}

// writeReport prints a report, writes the report files asked for and maps
// the report to the exit code.
func writeReport(s streams, format report.Format, rep *finding.Report, files reportFiles) error {
	opts := reportOptions()
	if f, ok := s.out.(*os.File); ok && format == report.Text {
		opts.Color = report.ColorWanted(f)
	}
	// stdout holds the findings; the notes and the summary line of the
	// text format are for people, on stderr
	opts.Trailer = s.err
	if err := report.Write(s.out, format, rep, opts); err != nil {
		return &exitError{code: exitInput, err: err}
	}
	if err := files.write(rep); err != nil {
		return &exitError{code: exitInput, err: err}
	}
	if rep.Failed() {
		return findings()
	}
	return nil
}

func reportOptions() report.Options {
	return report.Options{Tool: "fluxtf", Version: versionString()}
}
