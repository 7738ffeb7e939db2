package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/internal/report"
	"github.com/digx/fluxtf/policies"
)

// runFlags are the flags validate and check share, defined once: the
// output format and report files, the baseline, your own policies and
// their bounds, and the waiver settings. A flag both commands take is one
// line in addFlags.
type runFlags struct {
	output      report.Format
	baseline    string
	baselineRef string
	refFlag     *pflag.Flag // --baseline-ref, to tell a given ref from the default
	noBaseline  bool
	policyDirs  []string
	repoURL     string
	now         string
	maxWaiver   int
	files       reportFiles
	limits      policyLimits
	budget      readBudget
	regoVersion regoVersionFlag
	trace       bool
	live        string
}

// addFlags adds the shared flags.
func (r *runFlags) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	addOutputFlag(cmd, &r.output)
	f.StringVar(&r.baseline, "baseline", "", "folder of baseline manifests the version-order rules compare with")
	_ = cmd.MarkFlagDirname("baseline")
	f.StringVar(&r.baselineRef, "baseline-ref", defaultBaselineRef, "git commit whose copy of the same paths is the baseline ("+defaultBaselineRef+" for a hook or a work tree, the base branch in a pull request); outside a git work tree the default means no baseline, with a note")
	r.refFlag = f.Lookup("baseline-ref")
	f.BoolVar(&r.noBaseline, "no-baseline", false, "compare with no baseline: the version-order rules are skipped")
	cmd.MarkFlagsMutuallyExclusive("baseline", "baseline-ref", "no-baseline")
	f.StringArrayVarP(&r.policyDirs, "policy", "p", nil, "folder of your own Rego policies (conftest style; repeatable)")
	_ = cmd.MarkFlagDirname("policy")
	r.regoVersion = regoVersionFlag(policies.RegoV1)
	f.Var(&r.regoVersion, "rego-version", "Rego syntax of your own policies: v1, or v0 for conftest-style policies written before OPA 1.0")
	_ = cmd.RegisterFlagCompletionFunc("rego-version", cobra.FixedCompletions([]string{string(policies.RegoV0), string(policies.RegoV1)}, cobra.ShellCompDirectiveNoFileComp))
	f.BoolVar(&r.trace, "trace", false, "let your own policies call print() and show its output on stderr (file:line: text), to debug them")
	f.StringVar(&r.live, "live", "", "file of what kubectl get terraforms,gitrepositories -A -o yaml prints: live-unapplied denies a Kubernetes change to a cluster whose live Terraform has not applied its spec yet, or that skips a minor from what it applied")
	_ = cmd.MarkFlagFilename("live", "yaml", "yml")
	f.StringVar(&r.repoURL, "repository-url", "", "URL of the repository holding these manifests (default: its origin remote, with a baseline ref)")
	f.StringVar(&r.now, "now", "", "date (YYYY-MM-DD) waivers and the EKS support dates are checked against, for reproducible runs (default: $"+nowEnv+", else today)")
	f.IntVar(&r.maxWaiver, "max-waiver-days", policies.DefaultMaxWaiverDays, "how many days ahead a waiver may expire; a later date is waiver-invalid")
	r.files.addFlags(cmd)
	r.limits.addFlags(cmd)
	r.budget.addFlags(cmd)
}

// engineOptions are the policy engine's options the flags set; --trace
// output goes to stderr.
func (r *runFlags) engineOptions(stderr io.Writer) (policies.Options, error) {
	limits, err := r.limits.limits()
	if err != nil {
		return policies.Options{}, r.files.inputError(err)
	}
	o := policies.Options{UserDirs: r.policyDirs, Limits: limits, RegoVersion: policies.RegoVersion(r.regoVersion)}
	if r.trace {
		o.Trace = stderr
	}
	return o, nil
}

// liveSet reads --live, if given; a file that is not kubectl's output is
// an input error (recorded in the summary file).
func (r *runFlags) liveSet() (*live.Set, error) {
	if r.live == "" {
		return nil, nil
	}
	s, err := live.Load(r.live)
	if err != nil {
		return nil, r.files.inputError(err)
	}
	return s, nil
}

// regoVersionFlag is the value of --rego-version.
type regoVersionFlag policies.RegoVersion

func (v *regoVersionFlag) String() string { return string(*v) }
func (v *regoVersionFlag) Type() string   { return "v0|v1" }
func (v *regoVersionFlag) Set(s string) error {
	rv, err := policies.ParseRegoVersion(s)
	*v = regoVersionFlag(rv)
	return err
}

// settings checks the flags and returns the date waivers are checked
// against; a bad value is an input error (recorded in the summary file).
func (r *runFlags) settings() (time.Time, error) {
	t, err := parseNow(r.now)
	if err != nil {
		return t, r.files.inputError(err)
	}
	if r.maxWaiver < 1 {
		return t, r.files.inputError(fmt.Errorf("--max-waiver-days must be at least 1, got %d", r.maxWaiver))
	}
	return t, nil
}

// defaultBaselineRef is --baseline-ref's default in validate and check:
// the last commit, what a hook and a run on a work tree compare with (a
// pull request passes its base branch).
const defaultBaselineRef = "HEAD"

// baselines returns the baseline folder and ref to compare with, and
// whether the ref is the default, not given (outside a git work tree the
// default is no baseline, with a note; a given ref fails closed); all are
// empty with --no-baseline.
func (r *runFlags) baselines() (dir, ref string, isDefault bool) {
	if r.noBaseline {
		return "", "", false
	}
	if r.baseline != "" {
		return r.baseline, "", false
	}
	return "", r.baselineRef, r.refFlag == nil || !r.refFlag.Changed
}

// nowEnv names the environment variable --now defaults to: a test suite
// or a CI job that wants reproducible dates sets it once for every command
// (make targets and hooks included).
const nowEnv = "FLUXTF_NOW"

// parseNow reads --now, defaulting to $FLUXTF_NOW and then to the current
// time.
func parseNow(s string) (time.Time, error) {
	name := "--now"
	if s == "" {
		if s = os.Getenv(nowEnv); s == "" {
			return time.Now(), nil
		}
		name = nowEnv
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s must be a date YYYY-MM-DD, got %q", name, s)
	}
	return t, nil
}
