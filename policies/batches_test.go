package policies

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/racedetect"
)

// renderFleet renders the specs in dir into out (every file of every
// environment) and reads them back as the policies read them.
func renderFleet(t *testing.T, specs, out string) []*manifest.Doc {
	t.Helper()
	outs, err := generator.Build(generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		for _, f := range o.Files {
			p := filepath.Join(out, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	set, err := manifest.Load([]string{out}, manifest.Options{Convert: NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	return set.Docs
}

// changedFleet writes a fleet of n environments and a copy changed the
// way a pull request changes one, and renders both: the copy (under
// check) moves some clusters to another Kubernetes version and OS, some
// components to other versions, removes environments and adds one; every
// rule that compares with the baseline has something to compare.
func changedFleet(t *testing.T, n int) (cur, base []*manifest.Doc) {
	t.Helper()
	dir := t.TempDir()
	specs, changed := filepath.Join(dir, "base-specs"), filepath.Join(dir, "specs")
	if err := fleet.Write(specs, n, 3); err != nil {
		t.Fatal(err)
	}
	if err := fleet.Write(changed, n, 3); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(changed, "[dup]*.yaml"))
	if err != nil || len(names) < 12 {
		t.Fatalf("%d specs (%v)", len(names), err)
	}
	sort.Strings(names)
	edits := []*strings.Replacer{
		strings.NewReplacer(`kubernetesVersion: "1.33"`, `kubernetesVersion: "1.35"`, `kubernetesVersion: "1.34"`, `kubernetesVersion: "1.33"`),
		strings.NewReplacer("os: BOTTLEROCKET", "os: AL2", "os: AL2023", "os: BOTTLEROCKET"),
		strings.NewReplacer("branch: alpha", "tag: v4.4.0", "tag: v4.1.3", "tag: v4.3.0", "tag: v4.2.0", "tag: v4.1.0"),
	}
	for i, name := range names {
		switch {
		case i%9 == 4: // removed (prod-removal, untwinned objects)
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
			continue
		case i%3 != 0:
			continue
		}
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(edits[(i/3)%len(edits)].Replace(string(raw))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// a new environment, copied from the first under another name
	raw, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	first := strings.TrimSuffix(filepath.Base(names[0]), ".yaml")
	if err := os.WriteFile(filepath.Join(changed, "dnew.yaml"), []byte(strings.ReplaceAll(string(raw), "name: "+first, "name: dnew")), 0o644); err != nil {
		t.Fatal(err)
	}
	return renderFleet(t, changed, filepath.Join(dir, "out")), renderFleet(t, specs, filepath.Join(dir, "base-out"))
}

// renderedFleet writes a fleet of n environments (seed) and renders it;
// it returns the output root.
func renderedFleet(t *testing.T, n int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	specs, out := filepath.Join(dir, "specs"), filepath.Join(dir, "out")
	if err := fleet.Write(specs, n, seed); err != nil {
		t.Fatal(err)
	}
	renderFleet(t, specs, out)
	return out
}

// clashingFleet renders a fleet of n environments where the first
// in-cluster backend keeps its Terraform state at the last one's key:
// two groups that only state-key-unique, over the whole fleet, relates.
func clashingFleet(t *testing.T, n int) []*manifest.Doc {
	t.Helper()
	out := renderedFleet(t, n, 7)
	clusters, err := filepath.Glob(filepath.Join(out, "*", "*", "eks.yaml"))
	if err != nil || len(clusters) < 2 {
		t.Fatalf("%d clusters (%v)", len(clusters), err)
	}
	sort.Strings(clusters)
	// the in-cluster backend's state: its Secret's suffix
	key := regexp.MustCompile(`(?m)^    secretSuffix: \S+$`)
	read := func(file string) string {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	var inCluster []string
	for _, c := range clusters {
		if key.MatchString(read(c)) {
			inCluster = append(inCluster, c)
		}
	}
	if len(inCluster) < 2 {
		t.Fatalf("%d clusters with an in-cluster backend", len(inCluster))
	}
	first, last := read(inCluster[0]), key.FindString(read(inCluster[len(inCluster)-1]))
	moved := key.ReplaceAllLiteralString(first, last)
	if moved == first {
		t.Fatalf("%s: nothing replaced", inCluster[0])
	}
	if err := os.WriteFile(inCluster[0], []byte(moved), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := manifest.Load([]string{out}, manifest.Options{Convert: NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	return set.Docs
}

// crossedFleet renders a fleet of n environments where a component of the
// first environment uses the second one's source and depends on its
// cluster: the two are one group, which no batch may split.
func crossedFleet(t *testing.T, n int) []*manifest.Doc {
	t.Helper()
	out := renderedFleet(t, n, 5)
	envs, err := filepath.Glob(filepath.Join(out, "*", "gitrepository.yaml"))
	if err != nil || len(envs) < 2 {
		t.Fatalf("%d environments (%v)", len(envs), err)
	}
	sort.Strings(envs)
	metaName := regexp.MustCompile(`(?m)^  name: (\S+)$`)
	nameIn := func(file string) string {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := metaName.FindStringSubmatch(string(raw))
		if m == nil {
			t.Fatalf("%s has no metadata.name", file)
		}
		return m[1]
	}
	a, b := filepath.Dir(envs[0]), filepath.Dir(envs[1])
	bEKS, err := filepath.Glob(filepath.Join(b, "*", "eks.yaml"))
	if err != nil || len(bEKS) == 0 {
		t.Fatalf("no eks.yaml in %s", b)
	}
	comps, err := filepath.Glob(filepath.Join(a, "*", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range comps {
		if filepath.Base(c) == "eks.yaml" {
			continue
		}
		raw, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		s := regexp.MustCompile(`(sourceRef:\n    kind: GitRepository\n    name: )\S+`).ReplaceAllString(string(raw), "${1}"+nameIn(envs[1]))
		s = regexp.MustCompile(`(dependsOn:\n  - name: )\S+`).ReplaceAllString(s, "${1}"+nameIn(bEKS[0]))
		if s == string(raw) {
			t.Fatalf("%s: nothing replaced", c)
		}
		if err := os.WriteFile(c, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		break
	}
	set, err := manifest.Load([]string{out}, manifest.Options{Convert: NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	return set.Docs
}

// evaluateWith runs Evaluate over docs and baseline in batches of at most
// size objects (0: at once) and returns the report as JSON.
func evaluateWith(t *testing.T, e *Engine, size int, docs, baseline []*manifest.Doc) string {
	t.Helper()
	c := *e
	c.batchAfter, c.batchObjects = 0, size
	if size == 0 {
		c.batchAfter = int(^uint(0) >> 1)
	}
	rep, err := c.Evaluate(context.Background(), Input{Docs: docs, Baseline: baseline, Now: fixtureNow, RepositoryURL: benchRepositoryURL})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.MarshalIndent(rep.Findings, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestBatchesMatchOneEvaluation: evaluated in batches of environments (one
// group per batch, and groups packed into batches of about 7
// environments), the embedded rules find exactly what one evaluation over
// the whole input finds: on a generated fleet with a baseline that differs
// (and one without), on every rule fixture and on the rendered examples.
func TestBatchesMatchOneEvaluation(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	cur, base := changedFleet(t, 45)
	type input struct{ docs, baseline []*manifest.Doc }
	inputs := map[string]input{
		"fleet, changed baseline": {cur, base},
		"fleet, no baseline":      {cur, nil},
		"fleet, own baseline":     {base, base},
		"fleet, crossed":          {crossedFleet(t, 20), nil},
		"fleet, clashing":         {clashingFleet(t, 20), nil},
	}
	for name, c := range batchCases(t) {
		set, err := manifest.Load(c[0], manifest.Options{Convert: NewInputConverter})
		if err != nil {
			t.Fatal(err)
		}
		in := input{docs: set.Docs}
		if c[1] != nil {
			bs, err := manifest.Load(c[1], manifest.Options{Convert: NewInputConverter, NoCheck: true})
			if err != nil {
				t.Fatal(err)
			}
			in.baseline = bs.Docs
		}
		inputs[name] = in
	}
	batched := 0
	for name, in := range inputs {
		curC, err := convertDocs(in.docs)
		if err != nil {
			t.Fatal(err)
		}
		var baseC *converted
		if in.baseline != nil {
			if baseC, err = convertDocs(in.baseline); err != nil {
				t.Fatal(err)
			}
		}
		if parts, ok := partition(in.docs, in.baseline, curC, baseC, 1); ok && parts.n > 1 {
			batched++
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := evaluateWith(t, e, 0, in.docs, in.baseline)
			for _, size := range []int{1, 80} { // a group, about 7 environments
				if got := evaluateWith(t, e, size, in.docs, in.baseline); got != want {
					t.Errorf("in batches of %d objects the findings differ:\n%s\nat once:\n%s", size, got, want)
				}
			}
			if name == "fleet, clashing" && !strings.Contains(want, `"state-key-unique"`) {
				t.Errorf("the clashing fleet has no state-key-unique finding")
			}
			if strings.HasPrefix(name, "fleet, changed") {
				// the rules over the whole fleet and those over batches
				for _, id := range []string{"release-order", "promotion-order", "prod-removal", "k8s-sequential-upgrade", "os-supported", "identity-moved", "no-downgrade"} {
					if !strings.Contains(want, `"`+id+`"`) {
						t.Errorf("the changed fleet has no %s finding", id)
					}
				}
			}
		})
	}
	if batched < 4 {
		t.Errorf("only %d inputs were split into batches", batched)
	}
	t.Logf("%d of %d inputs split into batches", batched, len(inputs))
}

// TestBatchesNeedOneTwinStep: an environment renamed (its objects matched
// with their baseline twins by identity, the second step) in another
// batch than its baseline objects would lose its twins: the batches give
// up and the rules are evaluated at once, with the same findings.
func TestBatchesNeedOneTwinStep(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	dir := t.TempDir()
	specs := filepath.Join(dir, "specs")
	if err := fleet.Write(specs, 12, 4); err != nil {
		t.Fatal(err)
	}
	base := renderFleet(t, specs, filepath.Join(dir, "base"))
	names, _ := filepath.Glob(filepath.Join(specs, "p*.yaml"))
	if len(names) == 0 {
		t.Fatal("no prod environment")
	}
	raw, err := os.ReadFile(names[0])
	if err != nil {
		t.Fatal(err)
	}
	old := strings.TrimSuffix(filepath.Base(names[0]), ".yaml")
	if err := os.Remove(names[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(specs, "zrenamed.yaml"), []byte(strings.ReplaceAll(string(raw), "name: "+old, "name: zrenamed")), 0o644); err != nil {
		t.Fatal(err)
	}
	cur := renderFleet(t, specs, filepath.Join(dir, "out"))
	curC, _ := convertDocs(cur)
	baseC, _ := convertDocs(base)
	parts, ok := partition(cur, base, curC, baseC, 1)
	if !ok || parts.n < 2 {
		t.Fatalf("the fleet was not split (%v, %d batches)", ok, parts.n)
	}
	in := Input{Docs: cur, Baseline: base, Now: fixtureNow}
	input := func(i int, scope factScope) ast.Value { return batchInputOf(in, curC, baseC, parts, i, scope) }
	if _, _, ok, err := e.batch.evalBatches(context.Background(), parts.n, input, true, 2); err != nil || ok {
		t.Fatalf("evalBatches: ok %v, error %v; want it to give up", ok, err)
	}
	want := evaluateWith(t, e, 0, cur, base)
	if got := evaluateWith(t, e, 1, cur, base); got != want {
		t.Errorf("findings differ:\n%s\nat once:\n%s", got, want)
	}
}

// TestBatchesMatchOneEvaluationLabelled: most rule fixtures carry no
// stack or environment labels, so TestBatchesMatchOneEvaluation evaluates
// them at once and could not notice a rule that compares environments but
// is missing from fleetRules. Here every Terraform and GitRepository
// without them gets them (the jeppesen-eks stack; an environment per
// file, its baseline twin's file giving the same one), so that each
// fixture's files are split into batches, and the findings must still be
// those of one evaluation.
func TestBatchesMatchOneEvaluationLabelled(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	label := func(docs []*manifest.Doc) {
		for _, d := range docs {
			if d.Object == nil || (d.Kind != "Terraform" && d.Kind != "GitRepository") {
				continue
			}
			meta, _ := d.Object["metadata"].(map[string]any)
			if meta == nil {
				continue
			}
			labels, _ := meta["labels"].(map[string]any)
			if labels == nil {
				labels = map[string]any{}
				meta["labels"] = labels
			}
			if _, ok := labels[labelStack]; !ok {
				labels[labelStack] = "jeppesen-eks"
			}
			if _, ok := labels[labelEnvironment]; !ok {
				labels[labelEnvironment] = "env-" + strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File))
			}
		}
	}
	split := 0
	for name, c := range batchCases(t) {
		set, err := manifest.Load(c[0], manifest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		label(set.Docs)
		var baseline []*manifest.Doc
		if c[1] != nil {
			bs, err := manifest.Load(c[1], manifest.Options{NoCheck: true})
			if err != nil {
				t.Fatal(err)
			}
			label(bs.Docs)
			baseline = bs.Docs
		}
		curC, err := convertDocs(set.Docs)
		if err != nil {
			t.Fatal(err)
		}
		var baseC *converted
		if baseline != nil {
			if baseC, err = convertDocs(baseline); err != nil {
				t.Fatal(err)
			}
		}
		parts, ok := partition(set.Docs, baseline, curC, baseC, 1)
		if !ok || parts.n < 2 {
			continue
		}
		split++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := evaluateWith(t, e, 0, set.Docs, baseline)
			if got := evaluateWith(t, e, 1, set.Docs, baseline); got != want {
				t.Errorf("in batches of one group the findings differ:\n%s\nat once:\n%s", got, want)
			}
		})
	}
	t.Logf("%d fixtures split into batches", split)
}

// TestFleetRulesReadOtherBatches: prod-removal and migration-marker-stale
// judge an object by objects of other environments (a cluster removed with
// another environment's component at its target; the next tier, in
// another environment, still at a migration's start). Evaluated in batches
// (an environment each), their findings are those of one evaluation, which
// evaluating them over each batch alone (as if they were not fleetRules)
// does not give.
func TestFleetRulesReadOtherBatches(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	root := filepath.Join("..", "fixtures", "policies")
	read := func(p string) string {
		raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	toProd := strings.NewReplacer(
		"fluxtf.io/environment: uat", "fluxtf.io/environment: prod",
		"fluxtf.io/tier: uat", "fluxtf.io/tier: prod",
		"uat-digx-uat-eu-west-1", "prod-digx-prod-eu-west-1",
		"jeppesen-eks-uat", "jeppesen-eks-prod",
		"value: 1.1.0", "value: 0.37.0",
	)
	cases := []struct {
		name, rule string
		cur, base  map[string]string
	}{{
		name: "the cluster and a component of one target, removed from two environments",
		rule: "prod_removal",
		cur:  map[string]string{"gitrepository.yaml": read("prod-removal/baseline/gitrepository.yaml")},
		base: map[string]string{
			"eks.yaml":           read("prod-removal/baseline/eks.yaml"),
			"efs.yaml":           strings.ReplaceAll(read("prod-removal/baseline/efs.yaml"), "fluxtf.io/environment: prod", "fluxtf.io/environment: prod-b"),
			"gitrepository.yaml": read("prod-removal/baseline/gitrepository.yaml"),
		},
	}, {
		name: "a stale-looking marker that prod, another environment, still has to take",
		rule: "migration_marker_stale",
		cur: map[string]string{
			"eks.yaml":            read("migration-marker-stale/deny/eks.yaml"),
			"gitrepository.yaml":  read("migration-marker-stale/deny/gitrepository.yaml"),
			"karpenter.yaml":      read("migration-marker-stale/deny/karpenter.yaml"),
			"prod-karpenter.yaml": toProd.Replace(read("migration-marker-stale/deny/karpenter.yaml")),
		},
		base: map[string]string{
			"eks.yaml":           read("migration-marker-stale/baseline/eks.yaml"),
			"gitrepository.yaml": read("migration-marker-stale/baseline/gitrepository.yaml"),
			"karpenter.yaml":     read("migration-marker-stale/baseline/karpenter.yaml"),
		},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			load := func(files map[string]string, base bool) []*manifest.Doc {
				dir := t.TempDir()
				for name, text := range files {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				set, err := manifest.Load([]string{dir}, manifest.Options{Convert: NewInputConverter, NoCheck: base})
				if err != nil {
					t.Fatal(err)
				}
				return set.Docs
			}
			cur, base := load(c.cur, false), load(c.base, true)
			curC, err := convertDocs(cur)
			if err != nil {
				t.Fatal(err)
			}
			baseC, err := convertDocs(base)
			if err != nil {
				t.Fatal(err)
			}
			parts, ok := partition(cur, base, curC, baseC, 1)
			if !ok || parts.n < 2 {
				t.Fatalf("not split into batches (%v, %d)", ok, parts.n)
			}
			in := Input{Docs: cur, Baseline: base, Now: fixtureNow}
			input := func(i int, scope factScope) ast.Value { return batchInputOf(in, curC, baseC, parts, i, scope) }
			whole := builtinInput(in, curC, baseC)
			deny, warn, ok, err := e.batch.evalBatches(ctx, parts.n, input, true, 2)
			if err != nil || !ok {
				t.Fatalf("evalBatches: ok %v, error %v", ok, err)
			}
			wantDeny, wantWarn, err := e.batch.eval(ctx, whole)
			if err != nil {
				t.Fatal(err)
			}
			got, want := jsonOf(t, [][]any{deny, warn}), jsonOf(t, [][]any{wantDeny, wantWarn})
			if got != want {
				t.Errorf("in batches:\n%s\nat once:\n%s", got, want)
			}
			// the rule over each batch alone finds something else
			i := slices.IndexFunc(e.batch.pkgs, func(p ast.Ref) bool { return p.String() == "data.fluxtf.rules."+c.rule })
			if i < 0 || !slices.Contains(fleetRules, c.rule) {
				t.Fatalf("%s is not among the fleet rules", c.rule)
			}
			once, _, err := e.batch.evalRules(ctx, whole, e.batch.fleetShared, []int{i})
			if err != nil {
				t.Fatal(err)
			}
			var alone []any
			for b := range parts.n {
				rs, _, err := e.batch.evalRules(ctx, input(b, fleetFacts), e.batch.fleetShared, []int{i})
				if err != nil {
					t.Fatal(err)
				}
				xs, _ := rs[i]["warn"].([]any)
				alone = append(alone, xs...)
			}
			if err := sortResults(alone); err != nil {
				t.Fatal(err)
			}
			onceWarn, _ := once[i]["warn"].([]any)
			if len(onceWarn) == 0 && len(alone) == 0 {
				t.Fatalf("%s finds nothing", c.rule)
			}
			if jsonOf(t, onceWarn) == jsonOf(t, alone) {
				t.Errorf("%s finds over each batch alone what it finds at once: the case needs no other batch\n%s", c.rule, jsonOf(t, alone))
			}
		})
	}
}

// jsonOf is v as indented JSON.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestBatchesConcurrently: batches evaluated on several goroutines at
// once (more goroutines than CPUs, so that they interleave; run it with
// -race for the race detector) find what one evaluation finds, in the same
// order, run after run: a fleet without a baseline and with itself as its
// baseline (a changed one would make evalBatches give up: an environment
// renamed), in batches of one group and of about 7 environments.
func TestBatchesConcurrently(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	cur, base := changedFleet(t, 30)
	cases := []struct {
		name          string
		size, workers int
	}{
		{name: "batches of a group, 4 goroutines", size: 1, workers: 4},
		{name: "batches of 80 objects, 3 goroutines", size: 480, workers: 3},
	}
	for _, in := range []struct{ docs, baseline []*manifest.Doc }{{cur, nil}, {base, base}} {
		cur, baseline := in.docs, in.baseline
		want := evaluateWith(t, e, 0, cur, baseline)
		for _, c := range cases {
			en := *e
			en.batchAfter, en.batchObjects, en.workers = 0, c.size, c.workers
			size := en.batchSize(len(cur)+len(baseline), c.workers)
			if parts, ok := partition(cur, baseline, mustConvert(t, cur), mustConvert(t, baseline), size); !ok || parts.n <= c.workers {
				t.Fatalf("%s: not split into more batches than goroutines (%v, %d batches of %d objects)", c.name, ok, parts.n, size)
			}
			for run := range 2 {
				// the rules' results, in the order of one evaluation's
				// (Evaluate then sorts the findings)
				if got, want := rawResults(t, &en, cur, baseline, c.workers), rawResults(t, e, cur, baseline, 0); got != want {
					t.Errorf("%s (baseline %v), run %d: the results differ:\n%s\nat once:\n%s", c.name, baseline != nil, run, got, want)
				}
				rep, err := en.Evaluate(context.Background(), Input{Docs: cur, Baseline: baseline, Now: fixtureNow, RepositoryURL: benchRepositoryURL})
				if err != nil {
					t.Fatal(err)
				}
				raw, err := json.MarshalIndent(rep.Findings, "", " ")
				if err != nil {
					t.Fatal(err)
				}
				if got := string(raw); got != want {
					t.Errorf("%s (baseline %v), run %d: the findings differ:\n%s\nat once:\n%s", c.name, baseline != nil, run, got, want)
				}
			}
		}
	}
}

// rawResults is the embedded rules' deny and warn results over docs and
// baseline as JSON: in batches (of e.batchObjects) on workers goroutines,
// or at once for 0.
func rawResults(t *testing.T, e *Engine, docs, baseline []*manifest.Doc, workers int) string {
	t.Helper()
	cur, base := mustConvert(t, docs), mustConvert(t, baseline)
	in := Input{Docs: docs, Baseline: baseline, Now: fixtureNow, RepositoryURL: benchRepositoryURL}
	whole := builtinInput(in, cur, base)
	var deny, warn []any
	var err error
	if workers == 0 {
		deny, warn, err = e.batch.eval(context.Background(), whole)
	} else {
		parts, ok := partition(docs, baseline, cur, base, e.batchSize(len(docs)+len(baseline), workers))
		if !ok {
			t.Fatal("not split")
		}
		input := func(i int, scope factScope) ast.Value { return batchInputOf(in, cur, base, parts, i, scope) }
		deny, warn, ok, err = e.batch.evalBatches(context.Background(), parts.n, input, base != nil, workers)
		if !ok && err == nil {
			t.Fatal("evalBatches gave up")
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal([][]any{deny, warn})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// mustConvert is convertDocs of docs (nil for none).
func mustConvert(t *testing.T, docs []*manifest.Doc) *converted {
	t.Helper()
	if docs == nil {
		return nil
	}
	c, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBatchSize: one evaluation below batchAfter objects; from it,
// batches of batchObjects on one goroutine (one CPU), smaller when several
// run at once.
func TestBatchSize(t *testing.T) {
	t.Parallel()
	e := &Engine{batchAfter: defaultBatchAfter, batchObjects: defaultBatchObjects}
	cases := []struct {
		name             string
		objects, workers int
		want             int
	}{
		{name: "1,000 environments, 1 goroutine", objects: 10935, workers: 1, want: 0},
		{name: "1,000 environments, 2 goroutines", objects: 10935, workers: 2, want: 0},
		{name: "10,000 environments, 1 goroutine", objects: 109350, workers: 1, want: defaultBatchObjects},
		{name: "10,000 environments, 2 goroutines", objects: 109350, workers: 2, want: defaultBatchObjects / 8},
		{name: "10,000 environments, 4 goroutines", objects: 109350, workers: 4, want: defaultBatchObjects / 16},
	}
	for _, c := range cases {
		if got := e.batchSize(c.objects, c.workers); got != c.want {
			t.Errorf("%s: batches of %d objects, want %d", c.name, got, c.want)
		}
	}
}

// TestEvalTasks: every task runs once, up to workers at once; the first
// error is returned, the tasks running are cancelled and those left are
// not started.
func TestEvalTasks(t *testing.T) {
	t.Parallel()
	var ran [7]atomic.Int32
	// tasks 0 and 1 wait for each other: with 2 goroutines they run at once
	var meet sync.WaitGroup
	meet.Add(2)
	err := evalTasks(context.Background(), 2, len(ran), func(_ context.Context, i int) error {
		ran[i].Add(1)
		if i < 2 {
			meet.Done()
			meet.Wait()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ran {
		if n := ran[i].Load(); n != 1 {
			t.Errorf("task %d ran %d times", i, n)
		}
	}
	// task 1 runs until cancelled; task 0 fails once it has started
	started := make(chan struct{})
	var after atomic.Int32
	boom := errors.New("boom")
	err = evalTasks(context.Background(), 2, 10, func(ctx context.Context, i int) error {
		switch i {
		case 0:
			<-started
			return boom
		case 1:
			close(started)
			<-ctx.Done()
			return ctx.Err()
		}
		after.Add(1)
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
	if n := after.Load(); n != 0 {
		t.Errorf("%d tasks started after the error", n)
	}
}

// TestFieldGetAllocatesNothing: partition reads the kind, name, labels
// and references of every object of a run (millions of look-ups at
// 10,000 environments) without allocating.
func TestFieldGetAllocatesNothing(t *testing.T) {
	c := newConverter()
	n, err := c.node(map[string]any{
		"kind":     "Terraform",
		"metadata": map[string]any{"name": "uat-a-eks", "labels": map[string]any{labelStack: "eks"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	o := fieldOf(c.ref(n))
	var name, stack string
	if allocs := testing.AllocsPerRun(100, func() {
		meta := o.get("metadata")
		name, _ = meta.get("name").str()
		stack, _ = meta.get("labels").get(labelStack).str()
		_ = o.get("absent")
	}); allocs != 0 && !racedetect.Enabled {
		t.Errorf("field.get allocated %v times a run, want 0", allocs)
	}
	if name != "uat-a-eks" || stack != "eks" {
		t.Errorf("read name %q, stack %q", name, stack)
	}
}
