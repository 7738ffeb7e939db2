package policies

import (
	"context"
	"fmt"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/manifest"
)

// ValidateOptions say what `fluxtf validate` checks.
type ValidateOptions struct {
	// Paths are files and folders of manifests.
	Paths []string
	// BaselineDir is a folder of baseline manifests.
	BaselineDir string
	// BaselineRef reads the same Paths at a git commit as the baseline.
	BaselineRef string
	// RepoDir is where git runs for BaselineRef (default ".").
	RepoDir string
	// RepositoryURL overrides the origin remote's URL as the repository
	// being checked (approve-plan-valid).
	RepositoryURL string
	// Now decides waiver expiry (default: the current time).
	Now time.Time
	// MaxWaiverDays is how many days after Now a waiver may expire
	// (0: DefaultMaxWaiverDays).
	MaxWaiverDays int
}

// Validate reads the manifests, decodes known kinds strictly, checks their
// schema and runs every policy in one evaluation. Input errors (unreadable
// files, bad YAML, unknown fields) are returned as the error; findings are
// in the report.
func (e *Engine) Validate(ctx context.Context, opts ValidateOptions) (*finding.Report, error) {
	set, err := manifest.Load(opts.Paths, manifest.Options{Convert: NewInputConverter})
	// a policy error comes first, as if the policies had been compiled
	// before the manifests were read
	if werr := e.Wait(); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	in := Input{Docs: set.Docs, Now: opts.Now, MaxWaiverDays: opts.MaxWaiverDays, RepositoryURL: opts.RepositoryURL}
	repo := gitfs.Repo{Dir: opts.RepoDir}
	if repo.Dir == "" {
		repo.Dir = "."
	}
	switch {
	case opts.BaselineDir != "" && opts.BaselineRef != "":
		return nil, fmt.Errorf("use --baseline or --baseline-ref, not both")
	case opts.BaselineDir != "":
		base, err := manifest.Load([]string{opts.BaselineDir}, manifest.Options{NoCheck: true, Convert: NewInputConverter})
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		in.Baseline = nonNil(base.Docs)
	case opts.BaselineRef != "":
		fs, _, err := repo.Load(opts.BaselineRef, opts.Paths)
		if err != nil {
			return nil, err
		}
		in.Baseline, err = LoadBaseline(fs, opts.Paths)
		if err != nil {
			return nil, fmt.Errorf("baseline %s: %w", opts.BaselineRef, err)
		}
	}
	if in.RepositoryURL == "" && opts.BaselineRef != "" {
		in.RepositoryURL = repo.RemoteURL()
	}
	return e.Run(ctx, set, in)
}

// LoadBaseline loads the manifests under paths from a file system holding
// a baseline (for example a git commit); missing paths are no baseline.
func LoadBaseline(fs filesys.FileSystem, paths []string) ([]*manifest.Doc, error) {
	var present []string
	for _, p := range paths {
		if fs.Exists(p) {
			present = append(present, p)
		}
	}
	if len(present) == 0 {
		return []*manifest.Doc{}, nil
	}
	set, err := manifest.Load(present, manifest.Options{FS: fs, NoCheck: true, Convert: NewInputConverter})
	if err != nil {
		return nil, err
	}
	return nonNil(set.Docs), nil
}

func nonNil(docs []*manifest.Doc) []*manifest.Doc {
	if docs == nil {
		return []*manifest.Doc{}
	}
	return docs
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
	return rep, nil
}
