package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/runinput"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/templates"
)

// Options say what a run validates and how.
type Options struct {
	// Paths are files and folders of manifests.
	Paths []string
	// BaselineDir is a folder of baseline manifests.
	BaselineDir string
	// BaselineRef reads the same Paths at a git commit as the baseline
	// (internal/baseline: a ref that cannot be read is an error, except
	// HEAD of a repository without commits: no baseline, with a note).
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
	// (0: policies.DefaultMaxWaiverDays).
	MaxWaiverDays int
	// EKSVersions is the EKS release calendar (policies.Input.EKSVersions).
	EKSVersions *templates.EKSVersions
	// SpecsDir is the specs folder of generated manifests
	// (policies.Input.SpecsDir).
	SpecsDir string
	// MaxInputBytes and MaxObjects are the run's budget, the manifests'
	// and the baseline's together (manifest.Budget; 0: the defaults).
	MaxInputBytes, MaxObjects int64
	// Live is what the cluster says (--live FILE; policies.Input.Live).
	Live *live.Set
}

// Validate is `fluxtf validate`: it reads the manifests and the baseline,
// decodes known kinds strictly, checks their schema and runs every policy
// in one evaluation. Input errors (unreadable files, bad YAML, unknown
// fields, a baseline that cannot be read) are the error; findings are in
// the report. A policy that does not compile is the error before any
// input error, as if the policies had been compiled first.
func Validate(ctx context.Context, engine *policies.Engine, opts Options) (*finding.Report, error) {
	v := New(engine, opts).Validate(ctx, runinput.Source{}, nil)
	return v.Report, v.Err
}

// A Run validates the manifests of one run, once or more (check validates
// the tree as it is, then as rendering will leave it); its validations
// share the budget and the baseline, read once.
type Run struct {
	engine *policies.Engine
	opts   Options
	reader *runinput.Reader
}

// New returns the Run of opts, evaluated by engine.
func New(engine *policies.Engine, opts Options) *Run {
	return &Run{engine: engine, opts: opts, reader: runinput.New(runinput.Options{
		Paths:       opts.Paths,
		BaselineDir: opts.BaselineDir, BaselineRef: opts.BaselineRef, BaselineDefault: opts.BaselineDefault, RepoDir: opts.RepoDir,
		Convert:       policies.NewInputConverter,
		MaxInputBytes: opts.MaxInputBytes, MaxObjects: opts.MaxObjects,
	})}
}

// Validation is the outcome of one validation.
type Validation struct {
	// Report holds the findings and the notes; nil with Err.
	Report *finding.Report
	// Err is the input or policy error.
	Err error
	// Input is what was read (runinput.Reader.Read), also after an error.
	Input *runinput.Input
}

// Validate reads the manifests from src and evaluates them against the
// baseline. read, when set, is called once the manifests and the baseline
// are read (runinput.Reader.Read).
func (r *Run) Validate(ctx context.Context, src runinput.Source, read func(*manifest.Set)) Validation {
	in, err := r.reader.Read(src, read)
	// a policy error comes first, as if the policies had been compiled
	// before the manifests were read
	if werr := r.engine.Wait(); werr != nil {
		return Validation{Err: werr, Input: in}
	}
	if err != nil {
		return Validation{Err: err, Input: in}
	}
	if in.Baseline.Docs != nil {
		// the baseline's unchanged objects hold the manifests' values
		// instead of a copy: half the input's memory in a pull request
		policies.ShareBaseline(in.Set.Docs, in.Baseline.Docs)
	}
	pin := policies.Input{
		Docs: in.Set.Docs, Baseline: in.Baseline.Docs, Extra: in.Schema,
		RepositoryURL: r.opts.RepositoryURL, Accounts: r.opts.Accounts,
		Now: r.opts.Now, MaxWaiverDays: r.opts.MaxWaiverDays,
		EKSVersions: r.opts.EKSVersions, SpecsDir: r.opts.SpecsDir,
		Live: r.opts.Live,
	}
	if pin.RepositoryURL == "" {
		pin.RepositoryURL = in.Baseline.RepositoryURL
	}
	rep, err := r.engine.Evaluate(ctx, pin)
	if err != nil {
		return Validation{Err: err, Input: in}
	}
	rep.Files = len(in.Set.Files)
	rep.Notes = append(in.Notes(), rep.Notes...)
	if r.opts.Live != nil {
		if note := r.opts.Live.Note(terraformKeys(in.Set.Docs)); note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	if pin.Baseline == nil {
		if note := skippedNote(rep.Rules); note != "" {
			rep.Notes = append(rep.Notes, note)
		}
	}
	return Validation{Report: rep, Input: in}
}

// Refund gives back to the run's budget what a validation whose result
// is dropped took to read the manifests.
func (r *Run) Refund(v Validation) {
	if v.Input != nil {
		r.reader.Refund(v.Input.Charge)
	}
}

// skippedNote names the rules that compare with a baseline, which did not
// run for want of one, and how to give one.
func skippedNote(rules []finding.Rule) string {
	var skipped []string
	for _, rl := range rules {
		if rl.Baseline {
			skipped = append(skipped, rl.ID)
		}
	}
	if len(skipped) == 0 {
		return ""
	}
	return fmt.Sprintf("skipped %s: no baseline (pass --baseline DIR or --baseline-ref REF)", strings.Join(skipped, ", "))
}

// terraformKeys are the "namespace/name" of the Terraforms among docs,
// which --live's objects are matched by (live.Set.Note).
func terraformKeys(docs []*manifest.Doc) map[string]bool {
	keys := map[string]bool{}
	for _, d := range docs {
		if d.Kind == "Terraform" {
			keys[d.Namespace+"/"+d.Name] = true
		}
	}
	return keys
}

// InsertNote inserts note into the report of v after the baseline's
// notes, before the manifests'.
func (v Validation) InsertNote(note string) {
	at := 0
	if v.Input != nil && v.Input.Baseline != nil {
		at = len(v.Input.Baseline.Notes)
	}
	v.Report.Notes = slices.Insert(v.Report.Notes, at, note)
}
