package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/policies"
)

type validateOptions struct {
	baseline    string
	baselineRef string
	policyDirs  []string
	combine     bool
	output      string
	repoURL     string
	now         string
	specs       string
	maxWaiver   int
	files       reportFiles
	limits      policyLimits
	budget      readBudget
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
(--baseline-ref). Without one they are skipped, and the report says so.

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
	f := cmd.Flags()
	f.StringVar(&o.baseline, "baseline", "", "folder of baseline manifests for the version-order rules")
	f.StringVar(&o.baselineRef, "baseline-ref", "", "git commit whose copy of the same paths is the baseline (e.g. origin/main)")
	f.StringArrayVarP(&o.policyDirs, "policy", "p", nil, "folder of your own Rego policies (conftest style; repeatable)")
	f.BoolVar(&o.combine, "combine", false, "give your own policies every document at once, as conftest --combine does")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text, json, sarif, github, junit or markdown")
	f.StringVar(&o.repoURL, "repository-url", "", "URL of the repository holding these manifests (default: its origin remote with --baseline-ref)")
	f.StringVar(&o.now, "now", "", "date (YYYY-MM-DD) waivers are checked against, for reproducible runs")
	_ = f.MarkHidden("now")
	f.StringVar(&o.specs, "specs", "", "specs folder whose defaults.yaml `accounts:` maps tiers to AWS accounts (account-by-tier; default digx-dev, digx-uat, digx-prod*)")
	addMaxWaiverDays(cmd, &o.maxWaiver)
	o.files.addFlags(cmd)
	o.limits.addFlags(cmd)
	o.budget.addFlags(cmd)
	cmd.MarkFlagsMutuallyExclusive("baseline", "baseline-ref")
	return cmd
}

func runValidate(ctx context.Context, s streams, o *validateOptions, paths []string) error {
	format, now, err := o.files.settings(o.output, o.now)
	if err != nil {
		return err
	}
	if err := checkMaxWaiverDays(o.maxWaiver); err != nil {
		return o.files.inputError(err)
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
	// the policies compile while the manifests are read
	limits, err := o.limits.limits()
	if err != nil {
		return o.files.inputError(err)
	}
	maxBytes, maxObjects, err := o.budget.values()
	if err != nil {
		return o.files.inputError(err)
	}
	engine := policies.Start(ctx, policies.Options{UserDirs: o.policyDirs, Combine: o.combine, Limits: limits})
	rep, err := engine.Validate(ctx, policies.ValidateOptions{
		Paths:         paths,
		BaselineDir:   o.baseline,
		BaselineRef:   o.baselineRef,
		RepositoryURL: o.repoURL,
		Accounts:      accounts,
		Now:           now,
		MaxWaiverDays: o.maxWaiver,
		MaxInputBytes: maxBytes,
		MaxObjects:    maxObjects,
	})
	if err != nil {
		return o.files.inputError(err)
	}
	return writeReport(s, format, rep, o.files)
}

// writeReport prints a report, writes the report files asked for and maps
// the report to the exit code.
func writeReport(s streams, format report.Format, rep *finding.Report, files reportFiles) error {
	opts := reportOptions()
	if f, ok := s.out.(*os.File); ok && format == report.Text {
		opts.Color = report.ColorWanted(f)
	}
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

// addMaxWaiverDays adds --max-waiver-days (validate, check).
func addMaxWaiverDays(cmd *cobra.Command, days *int) {
	cmd.Flags().IntVar(days, "max-waiver-days", policies.DefaultMaxWaiverDays, "how many days ahead a waiver may expire; a later date is waiver-invalid")
}

// checkMaxWaiverDays refuses a --max-waiver-days below one.
func checkMaxWaiverDays(days int) error {
	if days < 1 {
		return fmt.Errorf("--max-waiver-days must be at least 1, got %d", days)
	}
	return nil
}

// parseNow reads --now, defaulting to the current time.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now must be a date YYYY-MM-DD, got %q", s)
	}
	return t, nil
}
