package policies

import (
	"context"
	"slices"
	"time"

	"github.com/digx/fluxtf/internal/baseline"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/templates"
)

// ValidateOptions say what `fluxtf validate` checks.
type ValidateOptions struct {
	// Paths are files and folders of manifests.
	Paths []string
	// BaselineDir is a folder of baseline manifests.
	BaselineDir string
	// BaselineRef reads the same Paths at a git commit as the baseline
	// (internal/baseline: a ref that cannot be read is an error).
	BaselineRef string
	// RepoDir is where git runs for BaselineRef (default ".").
	RepoDir string
	// BaselineDefault says BaselineRef is the default, not asked for
	// (baseline.Options.DefaultRef).
	BaselineDefault bool
	// RepositoryURL overrides the origin remote's URL as the repository
	// being checked (approve-plan-valid).
	RepositoryURL string
	// Accounts maps each tier to its AWS account aliases (account-by-tier);
	// nil means the rule's defaults.
	Accounts map[string][]string
	// Now decides waiver expiry (default: the current time).
	Now time.Time
	// MaxWaiverDays is how many days after Now a waiver may expire
	// (0: DefaultMaxWaiverDays).
	MaxWaiverDays int
	// EKSVersions is the EKS release calendar (Input.EKSVersions).
	EKSVersions *templates.EKSVersions
	// SpecsDir is the specs folder of generated manifests (Input.SpecsDir).
	SpecsDir string
	// MaxInputBytes and MaxObjects are the run's budget, the manifests'
	// and the baseline's together (manifest.Budget; 0: the defaults).
	MaxInputBytes, MaxObjects int64
}

// Validate reads the manifests, decodes known kinds strictly, checks their
// schema and runs every policy in one evaluation. Input errors (unreadable
// files, bad YAML, unknown fields) are returned as the error; findings are
// in the report.
func (e *Engine) Validate(ctx context.Context, opts ValidateOptions) (*finding.Report, error) {
	budget := manifest.NewBudget(opts.MaxInputBytes, opts.MaxObjects)
	set, err := manifest.Load(opts.Paths, manifest.Options{Convert: NewInputConverter, Budget: budget})
	// a policy error comes first, as if the policies had been compiled
	// before the manifests were read
	if werr := e.Wait(); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	base, err := baseline.Load(baseline.Options{
		Dir: opts.BaselineDir, Ref: opts.BaselineRef, DefaultRef: opts.BaselineDefault, RepoDir: opts.RepoDir,
		Paths: opts.Paths, Convert: NewInputConverter, Budget: budget,
	})
	if err != nil {
		return nil, err
	}
	in := Input{Docs: set.Docs, Baseline: base.Docs, Now: opts.Now, MaxWaiverDays: opts.MaxWaiverDays, RepositoryURL: opts.RepositoryURL, Accounts: opts.Accounts, EKSVersions: opts.EKSVersions, SpecsDir: opts.SpecsDir}
	if in.RepositoryURL == "" {
		in.RepositoryURL = base.RepositoryURL
	}
	rep, err := e.Run(ctx, set, in)
	if err != nil {
		return nil, err
	}
	rep.Notes = append(base.Notes, rep.Notes...)
	return rep, nil
}

// Run checks a loaded set: strict decoding of known kinds, schema and
// policies. in.Docs is replaced by the set's documents.
func (e *Engine) Run(ctx context.Context, set *manifest.Set, in Input) (*finding.Report, error) {
	if err := e.Wait(); err != nil {
		return nil, err
	}
	errs, schema := set.Check()
	if len(errs) > 0 {
		return nil, errs
	}
	in.Docs = set.Docs
	in.Extra = schema
	rep, err := e.Evaluate(ctx, in)
	if err != nil {
		return nil, err
	}
	rep.Files = len(set.Files)
	rep.Notes = append(slices.Clone(set.Notes), rep.Notes...)
	return rep, nil
}
