package runinput

import (
	"sync"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/baseline"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
)

// Options say what one run reads.
type Options struct {
	// Paths are the files and folders of manifests.
	Paths []string
	// BaselineDir is a folder of baseline manifests.
	BaselineDir string
	// BaselineRef reads the same Paths at a git commit as the baseline
	// (baseline.Options.Ref: a ref that cannot be read is an error, except
	// HEAD of a repository without commits).
	BaselineRef string
	// RepoDir is where git runs for BaselineRef (default ".").
	RepoDir string
	// BaselineDefault says BaselineRef is the default, not asked for
	// (baseline.Options.DefaultRef).
	BaselineDefault bool
	// Convert makes the documents' values for their consumer
	// (manifest.Options.Convert; policies.NewInputConverter).
	Convert func() manifest.Converter
	// MaxInputBytes and MaxObjects are the run's budget, the manifests'
	// and the baseline's together (manifest.Budget; 0: the defaults).
	MaxInputBytes, MaxObjects int64
}

// A Reader reads the input of one run. Its reads share the run's budget,
// and the baseline is read by the first read only. It is safe for
// concurrent use.
type Reader struct {
	opts   Options
	budget *manifest.Budget
	base   func() (*baseline.Baseline, error)
}

// New returns the Reader of one run.
func New(opts Options) *Reader {
	r := &Reader{opts: opts, budget: manifest.NewBudget(opts.MaxInputBytes, opts.MaxObjects)}
	r.base = sync.OnceValues(func() (*baseline.Baseline, error) {
		return baseline.Load(baseline.Options{
			Dir: opts.BaselineDir, Ref: opts.BaselineRef, DefaultRef: opts.BaselineDefault, RepoDir: opts.RepoDir,
			Paths: opts.Paths, Convert: opts.Convert, Budget: r.budget,
		})
	})
	return r
}

// Source says where a read finds the manifests.
type Source struct {
	// FS holds the manifests, such as an Overlay; nil reads the disk.
	FS filesys.FileSystem
	// Digests records the sum of every manifest file read
	// (manifest.Set.Digests).
	Digests bool
}

// Input is what one read read.
type Input struct {
	// Set holds the manifests: their documents, checked strictly, the
	// files read, the notes of reading them, and their sums when asked
	// for.
	Set *manifest.Set
	// Schema are the findings of the documents' schema check.
	Schema []finding.Finding
	// Baseline is the run's baseline (Docs nil: none).
	Baseline *baseline.Baseline
	// Charge is what reading the manifests took from the run's budget
	// (the baseline's share stays with the run); set also after an error.
	Charge manifest.Charge
}

// Notes are the notes of the read: the baseline's, then the manifests'.
func (in *Input) Notes() []string {
	var notes []string
	if in.Baseline != nil {
		notes = append(notes, in.Baseline.Notes...)
	}
	if in.Set != nil {
		notes = append(notes, in.Set.Notes...)
	}
	return notes
}

// Read reads the manifests from src, the baseline (the first time), and
// checks the documents strictly: an input error (an unreadable file, bad
// YAML, an unknown field, a baseline that cannot be read, the budget
// exceeded) is the error. The Input is never nil: after an error it holds
// the Charge. read, when set, is called once the manifests and the
// baseline are read, before the strict check, with the set read (nil when
// the manifests could not be read).
func (r *Reader) Read(src Source, read func(*manifest.Set)) (*Input, error) {
	set, err := manifest.Load(r.opts.Paths, manifest.Options{FS: src.FS, Digests: src.Digests, Convert: r.opts.Convert, Budget: r.budget})
	in := &Input{Charge: set.Charge}
	if err != nil {
		if read != nil {
			read(nil)
		}
		return in, err
	}
	base, err := r.base()
	if read != nil {
		read(set)
	}
	if err != nil {
		return in, err
	}
	errs, schema := set.Check()
	if len(errs) > 0 {
		return in, errs
	}
	in.Set, in.Schema, in.Baseline = set, schema, base
	return in, nil
}

// Refund gives back to the run's budget what a read whose result is
// dropped took (Input.Charge).
func (r *Reader) Refund(c manifest.Charge) {
	r.budget.Refund(c)
}
