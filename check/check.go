package check

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/runinput"
	"github.com/digx/fluxtf/pipeline"
	"github.com/digx/fluxtf/policies"
	"github.com/digx/fluxtf/releasediff"
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
	// Live is what the cluster says (--live FILE; policies.Input.Live).
	Live *live.Set
	// Release asks for Result.Release: what the change does per
	// environment and target (package releasediff), against the same
	// baseline, each line with the verdict of this run's findings that
	// concern it (releasediff.Attach). It renders the specs once more,
	// with their content.
	Release bool
}

// Result is a check's outcome.
type Result struct {
	// Changes are the files rendering would create, update or delete.
	Changes []generator.Change
	// Report holds the findings, drift included.
	Report *finding.Report
	// Release is what the change does per environment and target, with
	// Options.Release; empty when nothing changes, and without a
	// baseline (HasBaseline false).
	Release []releasediff.Change
	// HasBaseline says the run had a baseline to compare with.
	HasBaseline bool
}

// Run performs the check.
func Run(ctx context.Context, engine *policies.Engine, opts Options) (*Result, error) {
	ro := opts.Render
	ro.All, ro.Envs = true, nil
	ro.FilesOnly = true // only the files are compared and validated
	ro.Progress = opts.Progress
	paths := append([]string{ro.OutDir}, opts.Paths...)
	// a bad accounts mapping fails the render too, which reports it first
	accounts, accountsErr := generator.AccountTiers(opts.Render.LoadOptions)
	// One run (package pipeline, as validate's): the tree and its baseline
	// are read into one budget, the baseline once, and a validation whose
	// result is dropped gives back what it took.
	run := pipeline.New(engine, pipeline.Options{
		Paths:       paths,
		BaselineDir: opts.BaselineDir, BaselineRef: opts.BaselineRef, BaselineDefault: opts.BaselineDefault, RepoDir: opts.RepoDir,
		RepositoryURL: opts.RepositoryURL, Accounts: accounts,
		Now: opts.Now, MaxWaiverDays: opts.MaxWaiverDays,
		EKSVersions: opts.EKSVersions, SpecsDir: opts.Render.SpecsDir,
		MaxInputBytes: opts.MaxInputBytes, MaxObjects: opts.MaxObjects,
		Live: opts.Live,
	})

	// The files on disk are what rendering gives when it changes nothing
	// (the usual case in a hook), so they are validated while the specs
	// render; should rendering change files, that run is cancelled and the
	// tree is validated again with the rendered files in place. Rendering
	// waits until the files are read: it then runs beside the policies'
	// evaluation, which keeps one CPU busy and leaves the others free,
	// instead of competing with the reading for every CPU.
	//
	// The read records the sums of the files it reads, so that the
	// comparison with the rendered output reads only the files it has not
	// seen.
	sctx, cancel := context.WithCancel(ctx)
	ahead := make(chan pipeline.Validation, 1)
	read := make(chan struct{})
	var known generator.Known
	go func() {
		ahead <- run.Validate(sctx, runinput.Source{Digests: true}, func(set *manifest.Set) {
			if set != nil {
				known = knownUnder(ro.OutDir, set.Digests)
				// known has them, by path under the output root: the
				// set's copy is not kept beside the evaluation
				set.Digests = nil
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
	if accountsErr != nil {
		return nil, accountsErr
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
	known = nil // compared: not kept beside the evaluation
	var v pipeline.Validation
	var envs map[string]*generator.Loaded
	if !drifted(synced.Changes) {
		// the files' sums and paths are not read again: only the
		// environments, to report findings at spec lines
		envs, outs = loadedEnvs(outs), nil
		v, waited = <-ahead, true
	} else {
		cancel()
		first := <-ahead
		waited = true
		if errors.Is(first.Err, manifest.ErrBudget) {
			// over the budget as it is on disk: not read again in memory
			return nil, first.Err
		}
		mem, unread, err := overlay(paths, outs, synced.Changes, ro.OutDir, true)
		if err != nil {
			return nil, err
		}
		// what the tree in memory cannot hold keeps its error from disk
		if err := runinput.ErrorsAt(first.Err, unread); err != nil {
			return nil, err
		}
		run.Refund(first)
		v = run.Validate(ctx, runinput.Source{FS: mem}, nil)
		if v.Err != nil && !errors.Is(v.Err, manifest.ErrBudget) && deletes(synced.Changes) {
			// Output no spec renders is drift, never an input error: when
			// the tree without it does not load (a hand-written
			// kustomization.yaml lists a deleted environment's folder), it
			// is validated with that output still in place, and a note says
			// what its deletion will break.
			if mem, _, err = overlay(paths, outs, synced.Changes, ro.OutDir, false); err != nil {
				return nil, err
			}
			run.Refund(v)
			kept := run.Validate(ctx, runinput.Source{FS: mem}, nil)
			if kept.Err == nil {
				line, _, _ := strings.Cut(v.Err.Error(), "\n")
				kept.InsertNote("validated with the output no spec renders still in place; once it is deleted: " + line)
				v = kept
			}
		}
	}
	if v.Err != nil {
		return nil, v.Err
	}
	rep := v.Report
	if envs == nil {
		envs = loadedEnvs(outs)
	}
	speakSpec(rep, ro, envs)
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
	res := &Result{Changes: synced.Changes, Report: rep}
	res.HasBaseline = v.Input != nil && v.Input.Baseline != nil && v.Input.Baseline.Docs != nil
	if opts.Release && res.HasBaseline {
		// the baseline the validation read: the same folder or commit
		if res.Release, err = releasediff.Compute(releasediff.Options{
			Render: opts.Render, BaselineRef: opts.BaselineRef, BaselineDir: opts.BaselineDir, RepoDir: opts.RepoDir,
		}); err != nil {
			return nil, fmt.Errorf("release changes: %w", err)
		}
		// each line's verdict is this run's findings: no second evaluation
		releasediff.Attach(res.Release, ro.OutDir, rep.Findings)
	}
	return res, nil
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

// knownUnder returns the sums of the files under outDir, by slash path
// below it. The map is alive beside the evaluation until the render is
// compared, so it is made at its size: grown from empty, a fleet's
// 110,000 files left it with up to twice the room it needs.
func knownUnder(outDir string, sums map[string][sha256.Size]byte) generator.Known {
	known := make(generator.Known, len(sums))
	for file, sum := range sums {
		rel, err := filepath.Rel(outDir, file)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		known[filepath.ToSlash(rel)] = sum
	}
	return known
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

// overlay is the tree under paths as rendering will leave it: the
// rendered output written over the disk's (runinput.Overlay), and with
// applyDeletes, the files no spec renders any more removed.
func overlay(paths []string, outs []*generator.Output, changes []generator.Change, outDir string, applyDeletes bool) (filesys.FileSystem, []string, error) {
	var files []runinput.File
	for _, o := range outs {
		for _, f := range o.Files {
			if f.Data == nil {
				// rendered with sums only: Compare found it unchanged, so
				// the copy on disk is its content
				continue
			}
			files = append(files, runinput.File{Path: filepath.Join(outDir, filepath.FromSlash(f.Path)), Data: f.Data})
		}
	}
	var deleted []string
	for _, c := range changes {
		if c.Kind == generator.Delete && applyDeletes {
			deleted = append(deleted, filepath.Join(outDir, filepath.FromSlash(c.Path)))
		}
	}
	return runinput.Overlay(paths, files, deleted)
}
