package policies

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
)

// generalRules are the embedded rules that check any object, of the stack
// or not; every other embedded rule is one of the jeppesen-eks stack's and
// must never fire on objects that are not the stack's.
var generalRules = map[string]bool{
	"names-valid": true, "no-inline-secrets": true, "depends-on-resolves": true,
	"source-ref-resolves": true, "approve-plan-valid": true, "deprecated-api": true,
	RuleSchema: true, RuleWaiverExpired: true, RuleWaiverInvalid: true, RuleWaiverUnused: true,
}

// realworldDir returns ../shared/realworld beside the checkout (public
// repositories' manifests, test data never copied into the project):
// crdtest.SharedDir skips when it is absent, and fails under CI=true.
func realworldDir(t *testing.T) string {
	t.Helper()
	return crdtest.SharedDir(t, "realworld")
}

// loadKubernetesObjects reads every YAML file under root one by one, as
// written (no kustomize build), and keeps the files that load as
// Kubernetes objects: a Taskfile, a workflow or Helm values do not, and
// are left out (the CLI's folder walk has its own rule for them).
func loadKubernetesObjects(t *testing.T, root string) []*manifest.Doc {
	t.Helper()
	var docs []*manifest.Doc
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			return nil
		}
		set, err := manifest.Load([]string{p}, manifest.Options{NoKustomize: true})
		if err != nil {
			return nil // not Kubernetes objects
		}
		docs = append(docs, set.Docs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestRealworldRepositoriesGetNoStackFinding: the public repositories in
// ../shared/realworld (SOURCES.md there) deploy no jeppesen-eks stack, so
// none of the stack's rules may fire on them, with or without a baseline
// (issue 11 item 12), and none of the general rules may deny either (a
// false positive, such as no-inline-secrets on a look-alike; item 6). Each
// repository is one run, as `fluxtf validate <repo>` makes it.
func TestRealworldRepositoriesGetNoStackFinding(t *testing.T) {
	t.Parallel()
	dir := realworldDir(t)
	repos, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{})
	n := 0
	for _, r := range repos {
		if !r.IsDir() {
			continue
		}
		n++
		t.Run(r.Name(), func(t *testing.T) {
			t.Parallel()
			docs := loadKubernetesObjects(t, filepath.Join(dir, r.Name()))
			if len(docs) == 0 {
				t.Fatal("no Kubernetes objects loaded")
			}
			noStackFinding(t, e, docs, true)
		})
	}
	if n == 0 {
		t.Fatalf("no repositories in %s", dir)
	}
}

// noStackFinding evaluates docs without and with themselves as baseline
// and fails on any finding of a stack rule (and, when noDeny, on any deny).
func noStackFinding(t *testing.T, e *Engine, docs []*manifest.Doc, noDeny bool) {
	t.Helper()
	for _, withBaseline := range []bool{false, true} {
		in := Input{Docs: docs, Now: fixtureNow}
		if withBaseline {
			in.Baseline = docs
		}
		rep, err := e.Evaluate(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			if !generalRules[f.Rule] || noDeny && f.Severity == finding.Deny {
				t.Errorf("baseline=%v: %s:%d %s/%s %s %s: %s", withBaseline, f.File, f.Line, f.Kind, f.Name, f.Severity, f.Rule, f.Message)
			}
		}
	}
}
