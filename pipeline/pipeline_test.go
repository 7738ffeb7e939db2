package pipeline_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/runinput"
	"github.com/digx/fluxtf/pipeline"
	"github.com/digx/fluxtf/policies"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const gitRepository = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: a, namespace: flux-system}
spec: {url: https://example.com/a.git, interval: 1m, ref: {tag: v1.0.0}}
`

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// isSkipped reports whether n is the note of a run of fluxtf's rules
// without a baseline.
func isSkipped(n string) bool {
	return strings.HasPrefix(n, "skipped ") && strings.Contains(n, "k8s-sequential-upgrade, ") &&
		strings.HasSuffix(n, ": no baseline (pass --baseline DIR or --baseline-ref REF)")
}

// TestValidate: the report a validation assembles around the engine's
// findings: the files read, the notes in order (the reading's, then the
// rules skipped for want of a baseline, only when fluxtf's rules ran
// without one), and which error comes first.
func TestValidate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	builtin, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	userOnly, err := policies.New(ctx, policies.Options{NoBuiltin: true, UserDirs: []string{writeTree(t, map[string]string{
		"p.rego": "package main\n\ndeny contains msg if {\n\tinput.kind == \"ConfigMap\"\n\tmsg := \"no ConfigMaps\"\n}\n",
	})}})
	if err != nil {
		t.Fatal(err)
	}
	broken := policies.Start(ctx, policies.Options{UserDirs: []string{writeTree(t, map[string]string{"p.rego": "package main\n\ndeny contains msg if {\n"})}})

	tree := map[string]string{"a.yaml": gitRepository, "Taskfile.yml": "version: 3\n"}
	tests := []struct {
		name   string
		engine *policies.Engine
		// files is the tree validated; base, when set, a baseline folder
		tree, base map[string]string
		paths      []string // under the tree; default: the tree
		// notes are the report's notes, each given by its start ("": the
		// skipped rules)
		notes []string
		read  int // files read
		deny  int
		err   string
	}{
		{name: "no baseline", engine: builtin, tree: tree, notes: []string{"skipped 1 YAML file", ""}, read: 1},
		{name: "a baseline folder", engine: builtin, tree: tree, base: map[string]string{"a.yaml": gitRepository}, notes: []string{"skipped 1 YAML file"}, read: 1},
		{name: "only user policies: nothing skipped", engine: userOnly, tree: map[string]string{"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"}, read: 1, deny: 1},
		{name: "an input error", engine: builtin, tree: tree, paths: []string{"missing.yaml"}, err: "missing.yaml: no such file or folder"},
		{name: "a policy error comes before an input error", engine: broken, tree: tree, paths: []string{"missing.yaml"}, err: "p.rego:4: unexpected eof token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, tt.tree)
			opts := pipeline.Options{Paths: []string{dir}, Now: now}
			if tt.paths != nil {
				opts.Paths = nil
				for _, p := range tt.paths {
					opts.Paths = append(opts.Paths, filepath.Join(dir, p))
				}
			}
			if tt.base != nil {
				opts.BaselineDir = writeTree(t, tt.base)
			}
			rep, err := pipeline.Validate(ctx, tt.engine, opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rep.Files != tt.read || len(rep.Findings) != tt.deny {
				t.Errorf("%d files, %d findings; want %d, %d: %+v", rep.Files, len(rep.Findings), tt.read, tt.deny, rep.Findings)
			}
			if len(rep.Notes) != len(tt.notes) {
				t.Fatalf("notes %q, want %d starting %q", rep.Notes, len(tt.notes), tt.notes)
			}
			for i, n := range tt.notes {
				if n == "" && !isSkipped(rep.Notes[i]) || !strings.HasPrefix(rep.Notes[i], n) {
					t.Errorf("note %d is %q, want one starting %q", i, rep.Notes[i], n)
				}
			}
		})
	}
}

// TestRunSharesTheBudget: the validations of one Run share its budget; a
// refund gives back what a dropped one read, so that check can validate
// the tree again in memory.
func TestRunSharesTheBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{"a.yaml": gitRepository, "b.yaml": strings.ReplaceAll(gitRepository, "name: a", "name: b")})
	run := pipeline.New(engine, pipeline.Options{Paths: []string{dir}, Now: now, MaxObjects: 3})
	first := run.Validate(ctx, runinput.Source{}, nil)
	if first.Err != nil {
		t.Fatal(first.Err)
	}
	if v := run.Validate(ctx, runinput.Source{}, nil); v.Err == nil {
		t.Fatal("four objects read within a budget of three")
	}
	run.Refund(first)
	mem, _, err := runinput.Overlay([]string{dir}, nil, []string{filepath.Join(dir, "b.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	v := run.Validate(ctx, runinput.Source{FS: mem}, func(set *manifest.Set) {})
	if v.Err != nil {
		t.Fatalf("after the refund: %v", v.Err)
	}
	if v.Report.Objects != 1 || !slices.ContainsFunc(v.Report.Notes, isSkipped) {
		t.Errorf("%d objects, notes %q; want the overlay's 1 and the skipped rules", v.Report.Objects, v.Report.Notes)
	}
}

// TestBaselineSharesUnchangedValues: the baseline's objects that the
// change leaves as they are hold the manifests' values, not a copy of
// their own (policies.ShareBaseline), so that a run with a baseline does
// not hold its input twice while the policies evaluate; a changed object
// keeps its own, and the report is that of a baseline read apart.
func TestBaselineSharesUnchangedValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(gitRepository, "name: a,", "name: b,", 1)
	tree := writeTree(t, map[string]string{
		"a.yaml": gitRepository,
		"b.yaml": changed,
		"c.yaml": strings.ReplaceAll(gitRepository, "name: a,", "name: c,"),
	})
	base := writeTree(t, map[string]string{
		"a.yaml": gitRepository,
		"b.yaml": strings.Replace(changed, "v1.0.0", "v0.9.0", 1),
		"c.yaml": strings.ReplaceAll(gitRepository, "name: a,", "name: c,"),
	})
	v := pipeline.New(engine, pipeline.Options{Paths: []string{tree}, BaselineDir: base, Now: now}).Validate(ctx, runinput.Source{}, nil)
	if v.Err != nil {
		t.Fatal(v.Err)
	}
	// documents are converted as they are read, except under FLUXTF_SLOW
	// (the engine converts them then), where nothing is shared
	converted := fastpath.Enabled(fastpath.Convert)
	cur := map[string]any{}
	for _, d := range v.Input.Set.Docs {
		if (d.Value != nil) != converted {
			t.Fatalf("%s: converted value %v, want one: %v", d.File, d.Value != nil, converted)
		}
		cur[d.Name] = d.Value
	}
	shared := map[string]bool{}
	for _, d := range v.Input.Baseline.Docs {
		shared[d.Name] = d.Value != nil && d.Value == cur[d.Name]
	}
	want := map[string]bool{"a": converted, "b": false, "c": converted}
	if !maps.Equal(shared, want) {
		t.Errorf("baseline values shared with the manifests' = %v, want %v", shared, want)
	}
	// the same report as the baseline's own values give
	set, err := manifest.Load([]string{base}, manifest.Options{NoCheck: true, Convert: policies.NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	own, err := engine.Evaluate(ctx, policies.Input{Docs: v.Input.Set.Docs, Baseline: set.Docs, Extra: v.Input.Schema, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.Report.Findings, own.Findings; !reflect.DeepEqual(got, want) {
		t.Errorf("findings with shared values:\n%v\nwith the baseline's own:\n%v", got, want)
	}
}
