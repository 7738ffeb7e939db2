package baseline

import (
	"errors"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/manifest"
)

// Options say which baseline was asked for. With neither Dir nor Ref
// there is none.
type Options struct {
	// Dir is a folder of baseline manifests.
	Dir string
	// Ref is a git commit whose copy of Paths is the baseline.
	Ref string
	// RepoDir is where git runs for Ref (default ".").
	RepoDir string
	// DefaultRef says Ref is the default, not asked for: where the paths
	// are in no git work tree (not a checkout, or paths outside it) there
	// is no baseline, with a note, instead of an error.
	DefaultRef bool
	// Paths are the files and folders of the run; Ref reads the same
	// paths at the commit.
	Paths []string
	// Convert makes the documents' values for their consumer, as
	// manifest.Options.Convert.
	Convert func() manifest.Converter
	// Budget is the run's (manifest.Options.Budget): the baseline's
	// files and objects count in it too, and a git baseline that would
	// not fit is not read at all.
	Budget *manifest.Budget
}

// Baseline is the baseline read.
type Baseline struct {
	// Docs are the baseline documents; nil means no baseline (none asked
	// for, or HEAD of a repository without commits), empty a baseline
	// holding none of the paths.
	Docs []*manifest.Doc
	// Notes say why there is no baseline when one was asked for.
	Notes []string
	// RepositoryURL is the normalised URL of the origin remote, read
	// with Ref, or "".
	RepositoryURL string
}

// Load reads the baseline opts ask for. Every failure to read one that
// was asked for is an error naming the baseline and the fix.
func Load(opts Options) (*Baseline, error) {
	switch {
	case opts.Dir != "" && opts.Ref != "":
		return nil, errors.New("use --baseline or --baseline-ref, not both")
	case opts.Dir != "":
		set, err := manifest.Load([]string{opts.Dir}, manifest.Options{NoCheck: true, Convert: opts.Convert, Budget: opts.Budget})
		if errors.Is(err, manifest.ErrBudget) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		return &Baseline{Docs: nonNil(set.Docs)}, nil
	case opts.Ref != "":
		return loadRef(opts)
	}
	return &Baseline{}, nil
}

func loadRef(opts Options) (*Baseline, error) {
	repo := gitfs.Repo{Dir: opts.RepoDir}
	if opts.Budget != nil {
		repo.Fits = opts.Budget.Fits
	}
	var submodules []string
	repo.Submodule = func(p string) { submodules = append(submodules, p) }
	if repo.Dir == "" {
		repo.Dir = "."
	}
	fs, _, err := repo.Load(opts.Ref, opts.Paths)
	if errors.Is(err, gitfs.ErrNoCommits) {
		return &Baseline{Notes: []string{"no baseline: the repository has no commits yet"}}, nil
	}
	if opts.DefaultRef && (errors.Is(err, gitfs.ErrNotRepository) || errors.Is(err, gitfs.ErrOutsideWorkTree)) {
		return &Baseline{Notes: []string{"no baseline: " + err.Error() + " (--baseline-ref defaults to " + opts.Ref + " there; pass --baseline DIR, or --no-baseline to say none is wanted)"}}, nil
	}
	if errors.Is(err, manifest.ErrBudget) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the baseline %s: %w", opts.Ref, err)
	}
	keys := make([]string, len(opts.Paths))
	for i, p := range opts.Paths {
		keys[i] = repo.FSPath(p)
	}
	docs, err := FromFS(fs, keys, opts.Convert, opts.Budget)
	if rerr := gitfs.ReadError(fs); rerr != nil {
		// a path outside the paths (a kustomization names it) could not
		// be read at the commit: that, not its absence, is the error, and
		// the baseline is not read without it (fail closed)
		err = rerr
	}
	if errors.Is(err, manifest.ErrBudget) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", opts.Ref, err)
	}
	b := &Baseline{Docs: docs, RepositoryURL: repo.RemoteURL()}
	if len(submodules) > 0 {
		// the work tree's walk reads a checked-out submodule's files;
		// the commit holds only the submodule's commit id
		b.Notes = append(b.Notes, fmt.Sprintf("baseline %s: %d git submodule(s) not read (their files are in another repository; the rules see no baseline for their objects): %s", opts.Ref, len(submodules), strings.Join(submodules, ", ")))
	}
	return b, nil
}

// FromFS loads the manifests under paths from a file system holding a
// baseline (such as a git commit's files); paths it lacks are not in the
// baseline.
func FromFS(fs filesys.FileSystem, paths []string, convert func() manifest.Converter, budget *manifest.Budget) ([]*manifest.Doc, error) {
	var present []string
	for _, p := range paths {
		if fs.Exists(p) {
			present = append(present, p)
		}
	}
	if len(present) == 0 {
		return []*manifest.Doc{}, nil
	}
	set, err := manifest.Load(present, manifest.Options{FS: fs, NoCheck: true, Convert: convert, Budget: budget})
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
