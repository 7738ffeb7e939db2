package check

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/baseline"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/templates"
)

// RuleDrift is the finding for committed output that differs from what the
// specs render to.
const RuleDrift = finding.RenderDrift

// DriftRule describes RuleDrift.
var DriftRule = finding.Rule{
	ID: RuleDrift, Severity: finding.Deny, Source: "builtin",
	Title:     "Committed output matches the specs",
	Rationale: "The rendered folders are what Flux applies; a spec edited without re-rendering means the reviewed diff is not what will be deployed.",
	Fix:       "Run `make render` (or `fluxtf render --all`) and commit the result together with the spec change.",
}

// Rules returns every rule a check can report, sorted by id: the
// policies' (policies.BuiltinRules, the engine's own included) and
// render-drift.
func Rules() ([]finding.Rule, error) {
	rules, err := policies.BuiltinRules()
	if err != nil {
		return nil, err
	}
	rules = append(rules, DriftRule)
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

// Options configure a check.
type Options struct {
	Render generator.Options // SpecsDir, OutDir, Templates; All is implied
	// Paths are validated besides the output root (hand-written manifests
	// elsewhere). The output root is always validated.
	Paths []string
	// BaselineRef is the git commit to compare with ("HEAD" in a hook,
	// the pull request's base in CI); empty means no baseline. A ref
	// that cannot be read is an error (internal/baseline), except HEAD
	// of a repository without commits: no baseline, with a note.
	BaselineRef string
	// BaselineDir is a folder of baseline manifests, instead of BaselineRef.
	BaselineDir string
	// RepoDir is where git runs for BaselineRef (default ".").
	RepoDir string
	// BaselineDefault says BaselineRef is the default, not asked for
	// (baseline.Options.DefaultRef).
	BaselineDefault bool
	// RepositoryURL overrides the origin remote's URL.
	RepositoryURL string
	// Now decides waiver expiry.
	Now time.Time
	// MaxWaiverDays is how many days after Now a waiver may expire
	// (0: policies.DefaultMaxWaiverDays).
	MaxWaiverDays int
	// EKSVersions is the EKS release calendar (policies.Input.EKSVersions);
	// nil leaves eks-standard-support and eks-extended-support silent.
	EKSVersions *templates.EKSVersions
	// Progress, when set, is called as environments render.
	Progress func(done, total int)
	// MaxInputBytes and MaxObjects are the run's budget, the manifests'
	// and the baseline's together (manifest.Budget; 0: the defaults).
	MaxInputBytes, MaxObjects int64
}

// Result is a check's outcome.
type Result struct {
	// Changes are the files rendering would create, update or delete.
	Changes []generator.Change
	// Report holds the findings, drift included.
	Report *finding.Report
}

// Run performs the check.
func Run(ctx context.Context, engine *policies.Engine, opts Options) (*Result, error) {
	ro := opts.Render
	ro.All, ro.Envs = true, nil
	ro.FilesOnly = true // only the files are compared and validated
	ro.Progress = opts.Progress
	paths := append([]string{ro.OutDir}, opts.Paths...)
	// One budget for the run: the tree and its baseline are read into it,
	// and a validation whose result is dropped gives back what it took.
	budget := manifest.NewBudget(opts.MaxInputBytes, opts.MaxObjects)
	// the baseline is read once, by the first validation that needs it
	loadBase := sync.OnceValues(func() (*baseline.Baseline, error) {
		return baseline.Load(baseline.Options{Dir: opts.BaselineDir, Ref: opts.BaselineRef, DefaultRef: opts.BaselineDefault, RepoDir: opts.RepoDir, Paths: paths, Convert: policies.NewInputConverter, Budget: budget})
	})

	// The files on disk are what rendering gives when it changes nothing
	// (the usual case in a hook), so they are validated while the specs
	// render; should rendering change files, that run is cancelled and the
	// tree is validated again with the rendered files in place. Rendering
	// waits until the files are read: it then runs beside the policies'
	// evaluation, which keeps one CPU busy and leaves the others free,
	// instead of competing with the reading for every CPU.
	//
	// Load records the sums of the files it reads, so that the comparison
	// with the rendered output reads only the files it has not seen.
	sctx, cancel := context.WithCancel(ctx)
	ahead := make(chan validation, 1)
	read := make(chan struct{})
	var known generator.Known
	go func() {
		lo := manifest.Options{Convert: policies.NewInputConverter, Digests: true, Budget: budget}
		ahead <- validate(sctx, engine, opts, paths, lo, loadBase, func(set *manifest.Set) {
			if set != nil {
				known = knownUnder(ro.OutDir, set.Digests)
			}
			close(read)
		})
	}()
	waited := false
	defer func() {
		cancel()
		if !waited {
			<-ahead
		}
	}()
	<-read

	// The render keeps only its files' sums (all a comparison that finds
	// nothing changed needs, and less memory held beside the policies);
	// when a file differs, the specs are rendered again with the content,
	// for the diffs and the validation of the tree as it will be.
	sums := ro
	sums.SumsOnly = true
	outs, err := generator.Build(sums)
	// a policy error comes first, as if the policies had been compiled
	// before the specs were read
	if werr := engine.Wait(); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	synced, err := generator.Compare(ro.OutDir, outs, true, known)
	if errors.Is(err, generator.ErrNeedContent) {
		if outs, err = generator.Build(ro); err != nil {
			return nil, err
		}
		synced, err = generator.Compare(ro.OutDir, outs, true, known)
	}
	if err != nil {
		return nil, err
	}
	var v validation
	if !drifted(synced.Changes) {
		v, waited = <-ahead, true
	} else {
		cancel()
		first := <-ahead
		waited = true
		if errors.Is(first.err, manifest.ErrBudget) {
			// over the budget as it is on disk: not read again in memory
			return nil, first.err
		}
		budget.Refund(first.charge)
		mem, err := overlay(paths, outs, synced.Changes, ro.OutDir, true)
		if err != nil {
			return nil, err
		}
		v = validate(ctx, engine, opts, paths, manifest.Options{FS: mem, Convert: policies.NewInputConverter, Budget: budget}, loadBase, func(*manifest.Set) {})
		if v.err != nil && !errors.Is(v.err, manifest.ErrBudget) && deletes(synced.Changes) {
			// Output no spec renders is drift, never an input error: when
			// the tree without it does not load (a hand-written
			// kustomization.yaml lists a deleted environment's folder), it
			// is validated with that output still in place, and a note says
			// what its deletion will break.
			if mem, err = overlay(paths, outs, synced.Changes, ro.OutDir, false); err != nil {
				return nil, err
			}
			budget.Refund(v.charge)
			kept := validate(ctx, engine, opts, paths, manifest.Options{FS: mem, Convert: policies.NewInputConverter, Budget: budget}, loadBase, func(*manifest.Set) {})
			if kept.err == nil {
				line, _, _ := strings.Cut(v.err.Error(), "\n")
				kept.notes = append(kept.notes, "validated with the output no spec renders still in place; once it is deleted: "+line)
				v = kept
			}
		}
	}
	if v.err != nil {
		return nil, v.err
	}
	rep, notes := v.rep, v.notes
	speakSpec(rep, ro, loadedEnvs(outs))
	rep.Notes = append(notes, rep.Notes...)
	rep.Notes = append(rep.Notes, synced.Notes...) // the output root: an interrupted render, folders left alone
	rep.Rules = append(rep.Rules, DriftRule)
	dirFlags := renderDirFlags(ro)
	for _, c := range synced.Changes {
		if c.Kind == generator.Unchanged {
			continue
		}
		file := filepath.Join(ro.OutDir, filepath.FromSlash(c.Path))
		f := finding.Finding{Rule: RuleDrift, Severity: finding.Deny, File: file}
		env := strings.SplitN(c.Path, "/", 2)[0]
		switch c.Kind {
		case generator.Create:
			f.Message = fmt.Sprintf("%s is missing: the %s spec renders it; run make render ENV=%s (fluxtf render --env %s%s) and commit it", file, env, env, env, dirFlags)
		case generator.Update:
			f.Line = 1
			f.Message = fmt.Sprintf("%s is out of date with the %s spec; run make render ENV=%s (fluxtf render --env %s%s) and commit it", file, env, env, env, dirFlags)
		case generator.Delete:
			f.Line = 1
			f.Message = fmt.Sprintf("%s is no longer rendered by any spec; run fluxtf render --all%s to delete it", file, dirFlags)
		}
		rep.Findings = append(rep.Findings, f)
	}
	rep.Sort()
	return &Result{Changes: synced.Changes, Report: rep}, nil
}

// renderDirFlags is the --specs and --out flags a render needs to match
// this check, when they are not the defaults.
func renderDirFlags(ro generator.Options) string {
	var b strings.Builder
	if ro.SpecsDir != "" && filepath.Clean(ro.SpecsDir) != "environments" {
		fmt.Fprintf(&b, " --specs %s", ro.SpecsDir)
	}
	if ro.OutDir != "" && filepath.Clean(ro.OutDir) != "clusters" {
		fmt.Fprintf(&b, " --out %s", ro.OutDir)
	}
	return b.String()
}

// validation is the outcome of validate.
type validation struct {
	rep    *finding.Report
	notes  []string
	err    error
	charge manifest.Charge // what reading the tree took from the run's budget
}

// knownUnder returns the sums of the files under outDir, by slash path
// below it.
func knownUnder(outDir string, sums map[string][sha256.Size]byte) generator.Known {
	known := generator.Known{}
	for file, sum := range sums {
		rel, err := filepath.Rel(outDir, file)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		known[filepath.ToSlash(rel)] = sum
	}
	return known
}

// validate reads the manifests under paths (from lo.FS, or the disk) and
// the baseline (loadBase), and runs the policies. It calls read once, when it has
// read the files (with the set read), or failed to (with nil).
func validate(ctx context.Context, engine *policies.Engine, opts Options, paths []string, lo manifest.Options, loadBase func() (*baseline.Baseline, error), read func(*manifest.Set)) validation {
	var set *manifest.Set
	called := false
	done := func() {
		if !called {
			called = true
			read(set)
		}
	}
	defer done()
	set, err := manifest.Load(paths, lo)
	charge := set.Charge
	if err != nil {
		set = nil
		return validation{err: err, charge: charge}
	}
	base, err := loadBase()
	if err != nil {
		return validation{err: err, charge: charge}
	}
	in := policies.Input{EKSVersions: opts.EKSVersions, SpecsDir: opts.Render.SpecsDir, Now: opts.Now, MaxWaiverDays: opts.MaxWaiverDays, RepositoryURL: opts.RepositoryURL, Baseline: base.Docs}
	if in.Accounts, err = generator.AccountTiers(opts.Render.LoadOptions); err != nil {
		return validation{err: err}
	}
	if in.RepositoryURL == "" {
		in.RepositoryURL = base.RepositoryURL
	}
	notes := base.Notes
	done()
	rep, err := engine.Run(ctx, set, in)
	return validation{rep: rep, notes: notes, err: err, charge: charge}
}

// deletes reports whether rendering deletes any file.
func deletes(changes []generator.Change) bool {
	for _, c := range changes {
		if c.Kind == generator.Delete {
			return true
		}
	}
	return false
}

// drifted reports whether rendering changes any file.
func drifted(changes []generator.Change) bool {
	for _, c := range changes {
		if c.Kind != generator.Unchanged {
			return true
		}
	}
	return false
}

// overlay copies the YAML files under paths from disk into memory and
// applies the rendered output over them, so validation sees the tree as it
// will be once re-rendered; applyDeletes also removes the files no spec
// renders any more.
func overlay(paths []string, outs []*generator.Output, changes []generator.Change, outDir string, applyDeletes bool) (filesys.FileSystem, error) {
	mem := filesys.MakeFsInMemory()
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && path == p {
					return nil // nothing committed yet
				}
				return err
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return mem.MkdirAll(path)
			}
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return mem.WriteFile(path, data)
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
	}
	for _, o := range outs {
		for _, f := range o.Files {
			if f.Data == nil {
				// rendered with sums only: Compare found it unchanged, so
				// the copy read from disk above is its content
				continue
			}
			if err := mem.WriteFile(filepath.Join(outDir, filepath.FromSlash(f.Path)), f.Data); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range changes {
		if c.Kind == generator.Delete && applyDeletes {
			_ = mem.RemoveAll(filepath.Join(outDir, filepath.FromSlash(c.Path)))
		}
	}
	return mem, nil
}
