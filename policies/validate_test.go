package policies

import (
	"context"
	"time"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/internal/runinput"
	"github.com/digx/fluxtf/templates"
)

// ValidateOptions and Engine.Validate are test support: the tests of this
// package validate their fixtures as `fluxtf validate` does
// (pipeline.Validate), which they cannot import (it imports policies).
// The reading is the same code (internal/runinput); only the assembly of
// the Input is repeated here.
type ValidateOptions struct {
	Paths         []string
	BaselineDir   string
	Accounts      map[string][]string
	Now           time.Time
	MaxWaiverDays int
	EKSVersions   *templates.EKSVersions
	SpecsDir      string
	Live          *live.Set
}

// Validate reads opts.Paths and the baseline folder through
// internal/runinput and evaluates them.
func (e *Engine) Validate(ctx context.Context, opts ValidateOptions) (*finding.Report, error) {
	in, err := runinput.New(runinput.Options{Paths: opts.Paths, BaselineDir: opts.BaselineDir, Convert: NewInputConverter}).Read(runinput.Source{}, nil)
	if werr := e.Wait(); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	rep, err := e.Evaluate(ctx, Input{
		Docs: in.Set.Docs, Baseline: in.Baseline.Docs, Extra: in.Schema,
		Accounts: opts.Accounts, Now: opts.Now, MaxWaiverDays: opts.MaxWaiverDays,
		EKSVersions: opts.EKSVersions, SpecsDir: opts.SpecsDir, Live: opts.Live,
	})
	if err != nil {
		return nil, err
	}
	rep.Files = len(in.Set.Files)
	rep.Notes = append(in.Notes(), rep.Notes...)
	return rep, nil
}
