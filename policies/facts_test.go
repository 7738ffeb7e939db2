package policies

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/internal/manifest"
)

// factsQuery is what the library derives from input.facts, or without
// it by itself: every list of facts, of the files and of the baseline.
const factsQuery = `x := [
	data.fluxtf.lib.tf_facts, data.fluxtf.lib.git_facts, data.fluxtf.lib.other_facts,
	data.fluxtf.lib.tf_slow_facts, data.fluxtf.lib.git_slow_facts,
	data.fluxtf.lib.baseline_tf_facts, data.fluxtf.lib.baseline_git_facts,
	data.fluxtf.lib._baseline_other_facts, data.fluxtf.lib.all_facts,
	data.fluxtf.lib.tf_shapes, data.fluxtf.lib.tf_layouts, data.fluxtf.lib.git_shapes,
	data.fluxtf.lib.base_facts, data.fluxtf.lib.base_oses, data.fluxtf.lib._tf_policies,
	data.fluxtf.lib._git_policies, data.fluxtf.lib.fact_index, data.fluxtf.lib.baseline_fact_index,
	data.fluxtf.lib.common_tf_groups, data.fluxtf.lib.common_tf_versions,
	data.fluxtf.lib.baseline_common_tf_versions, data.fluxtf.lib.eks_tf_versions,
	` + depsQuery + summariesQuery + `
]`

// withFacts returns the input with input.facts as buildFacts makes it
// (also under FLUXTF_SLOW), or with none (facts nil).
func withFacts(input ast.Object, facts *ast.Term) ast.Object {
	out := ast.NewObject()
	input.Foreach(func(k, v *ast.Term) {
		if k.Value.Compare(ast.String("facts")) != 0 {
			out.Insert(k, v)
		}
	})
	if facts != nil {
		out.Insert(ast.StringTerm("facts"), facts)
	}
	return out
}

// TestEngineFactsMatchTheLibrary: the facts the engine computes in Go
// (facts.go) are those the library derives by itself (its reference),
// item for item and in order, on every rule fixture and the rendered
// examples (with their baselines), the realworld repositories, a
// generated fleet with itself as baseline, and objects the library reads
// on its slow path or only just on its fast path; and Go gives the lists
// of a generated fleet (so that the fast path is what the test holds).
// evalOf prepares query (which binds x) on e's built-in rules and
// returns what evaluates it: x on an input.
func evalOf(t *testing.T, e *Engine, query string) func(t *testing.T, input ast.Object) any {
	t.Helper()
	q, err := e.batch.prep(query)
	if err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T, input ast.Object) any {
		t.Helper()
		rs, err := q.Eval(context.Background(), rego.EvalParsedInput(input))
		if err != nil || len(rs) != 1 {
			t.Fatalf("eval: %v (%d results)", err, len(rs))
		}
		return rs[0].Bindings["x"]
	}
}

func TestEngineFactsMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	eval := evalOf(t, e, factsQuery)
	// check holds the facts equal and returns which lists Go gave
	check := func(t *testing.T, input ast.Object, files, baseFiles *ast.Array) map[string]bool {
		t.Helper()
		facts := buildFacts(files, baseFiles)
		got, want := eval(t, withFacts(input, facts)), eval(t, withFacts(input, nil))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the engine's facts differ from the library's:\n got %v\nwant %v", got, want)
		}
		given := map[string]bool{}
		if facts != nil {
			facts.Value.(ast.Object).Foreach(func(k, _ *ast.Term) { given[string(k.Value.(ast.String))] = true })
		}
		return given
	}
	fromDocs := func(t *testing.T, docs, baseline []*manifest.Doc) map[string]bool {
		t.Helper()
		cur, err := convertDocs(docs)
		if err != nil {
			t.Fatal(err)
		}
		var base *converted
		if baseline != nil {
			if base, err = convertDocs(baseline); err != nil {
				t.Fatal(err)
			}
		}
		input := builtinInput(Input{Docs: docs, Baseline: baseline, Now: fixtureNow}, cur, base)
		files, _ := input.Get(ast.StringTerm("files")).Value.(*ast.Array)
		var baseFiles *ast.Array
		if b := input.Get(ast.StringTerm("baseline")); b != nil {
			baseFiles = b.Value.(*ast.Array)
		}
		return check(t, input, files, baseFiles)
	}

	t.Run("fixtures", func(t *testing.T) {
		t.Parallel()
		for name, c := range batchCases(t) {
			input := batchInput(t, c[0], c[1])
			files, _ := input.Get(ast.StringTerm("files")).Value.(*ast.Array)
			var baseFiles *ast.Array
			if b := input.Get(ast.StringTerm("baseline")); b != nil {
				baseFiles = b.Value.(*ast.Array)
			}
			t.Run(name, func(t *testing.T) { check(t, input, files, baseFiles) })
		}
	})
	t.Run("realworld", func(t *testing.T) {
		t.Parallel()
		dir := realworldDir(t)
		repos, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			if !r.IsDir() {
				continue
			}
			docs := loadKubernetesObjects(t, filepath.Join(dir, r.Name()))
			t.Run(r.Name(), func(t *testing.T) { fromDocs(t, docs, docs) })
		}
	})
	t.Run("fleet", func(t *testing.T) {
		t.Parallel()
		docs := fleetCorpus(t, 400)
		given := fromDocs(t, docs, docs)
		for _, k := range []string{"tf", "git", "other", "baseline_tf", "baseline_git", "baseline_other",
			"tf_shapes", "tf_layouts", "git_shapes", "base_facts", "base_oses", "tf_policies", "git_policies",
			"fact_index", "baseline_fact_index", "tf_groups", "tf_versions", "baseline_tf_versions"} {
			if !given[k] {
				t.Errorf("no %s facts from Go on a generated fleet", k)
			}
		}
	})
	t.Run("odd objects", func(t *testing.T) {
		t.Parallel()
		fleet := fleetCorpus(t, 60)
		var tf, git map[string]any
		for _, d := range fleet {
			switch {
			case d.Kind == "Terraform" && tf == nil:
				tf = d.Object
			case d.Kind == "GitRepository" && git == nil:
				git = d.Object
			}
		}
		// edit returns a copy of o changed by f
		edit := func(o map[string]any, f func(o map[string]any)) map[string]any {
			c := deepCopy(o).(map[string]any)
			f(c)
			return c
		}
		labels := func(o map[string]any) map[string]any {
			return o["metadata"].(map[string]any)["labels"].(map[string]any)
		}
		spec := func(o map[string]any) map[string]any { return o["spec"].(map[string]any) }
		for _, c := range []struct {
			name  string
			obj   map[string]any
			given bool // Go gives the list of its kind
		}{
			{"terraform approvePlan auto, eks path, secret and repeated var names", edit(tf, func(o map[string]any) {
				spec(o)["approvePlan"] = "auto"
				spec(o)["path"] = "./modules/jeppesen-eks/x"
				labels(o)["fluxtf.io/stack"] = "other"
				spec(o)["vars"] = []any{map[string]any{"name": "db_password", "value": "x"}, map[string]any{"name": "a"}, map[string]any{"name": "a", "value": 1}}
			}), true},
			{"terraform approvePlan null", edit(tf, func(o map[string]any) { spec(o)["approvePlan"] = nil }), true},
			{"terraform with an empty stack label", edit(tf, func(o map[string]any) { labels(o)["fluxtf.io/stack"] = "" }), true},
			{"terraform with another policies annotation", edit(tf, func(o map[string]any) {
				o["metadata"].(map[string]any)["annotations"] = map[string]any{"fluxtf.io/policies": "common"}
			}), true},
			{"terraform with annotations not an object", edit(tf, func(o map[string]any) { o["metadata"].(map[string]any)["annotations"] = "x" }), true},
			{"terraform component base", edit(tf, func(o map[string]any) { labels(o)["fluxtf.io/component"] = "base" }), true},
			{"terraform without a target label", edit(tf, func(o map[string]any) { delete(labels(o), "fluxtf.io/target") }), false},
			{"terraform with a tier that is not one", edit(tf, func(o map[string]any) { labels(o)["fluxtf.io/tier"] = "qa" }), false},
			{"terraform with an empty component", edit(tf, func(o map[string]any) { labels(o)["fluxtf.io/component"] = "" }), false},
			{"terraform with a numeric account", edit(tf, func(o map[string]any) { labels(o)["fluxtf.io/account"] = 12 }), false},
			{"terraform with a var without a name", edit(tf, func(o map[string]any) {
				spec(o)["vars"] = []any{map[string]any{"name": "a"}, map[string]any{"value": "b"}}
			}), false},
			{"terraform with no vars", edit(tf, func(o map[string]any) { delete(spec(o), "vars") }), false},
			{"terraform with empty vars", edit(tf, func(o map[string]any) { spec(o)["vars"] = []any{} }), false},
			{"terraform with vars not a list", edit(tf, func(o map[string]any) { spec(o)["vars"] = "x" }), false},
			{"terraform without a path", edit(tf, func(o map[string]any) { delete(spec(o), "path") }), false},
			{"terraform without a sourceRef namespace", edit(tf, func(o map[string]any) {
				delete(spec(o)["sourceRef"].(map[string]any), "namespace")
			}), false},
			{"terraform with a numeric name", edit(tf, func(o map[string]any) { o["metadata"].(map[string]any)["name"] = 7 }), false},
			{"terraform without labels", edit(tf, func(o map[string]any) { delete(o["metadata"].(map[string]any), "labels") }), false},
			{"terraform without apiVersion", edit(tf, func(o map[string]any) { delete(o, "apiVersion") }), false},
			{"gitrepository with a string ref", edit(git, func(o map[string]any) { spec(o)["ref"] = "main" }), true},
			{"gitrepository with a numeric stack", edit(git, func(o map[string]any) { labels(o)["fluxtf.io/stack"] = 3 }), true},
			{"gitrepository without a tier", edit(git, func(o map[string]any) { delete(labels(o), "fluxtf.io/tier") }), false},
			{"gitrepository without a url", edit(git, func(o map[string]any) { delete(spec(o), "url") }), false},
			{"gitrepository without a stack label", edit(git, func(o map[string]any) { delete(labels(o), "fluxtf.io/stack") }), false},
			{"configmap without metadata or apiVersion", map[string]any{"kind": "ConfigMap"}, true},
			{"configmap with a numeric name", map[string]any{"kind": "ConfigMap", "apiVersion": "v1", "metadata": map[string]any{"name": 3, "namespace": "n"}}, true},
		} {
			t.Run(c.name, func(t *testing.T) {
				docs := append(append([]*manifest.Doc(nil), fleet...), benchDoc("odd.yaml", 0, c.obj))
				given := fromDocs(t, docs, docs)
				kind := map[string]string{"Terraform": "tf", "GitRepository": "git", "ConfigMap": "other"}[c.obj["kind"].(string)]
				if given[kind] != c.given || given["baseline_"+kind] != c.given {
					t.Errorf("Go gave the %s facts: %v and %v, want %v", kind, given[kind], given["baseline_"+kind], c.given)
				}
			})
		}
	})
}

// deepCopy copies a decoded value.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}

// TestFactConstantsMatchTheLibrary: facts.go's tiers and EKS stack are
// lib.tier_names and lib.eks_stack.
func TestFactConstantsMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	q, err := e.batch.prep(`x := [data.fluxtf.lib.tier_names, data.fluxtf.lib.eks_stack]`)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := q.Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval: %v", err)
	}
	tiers := make([]any, len(factTiers))
	for i, s := range slices.Sorted(slices.Values(factTiers)) {
		tiers[i] = s
	}
	if got, want := rs[0].Bindings["x"], []any{tiers, factEKSStack}; !reflect.DeepEqual(got, want) {
		t.Errorf("the library has %v, facts.go %v", got, want)
	}
}

// TestFactVersionVarsMatchTheLibrary: the version vars facts_versions.go
// reads of the embedded catalogues are lib.catalogue_versions' (its
// generated copy).
func TestFactVersionVarsMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	q, err := e.batch.prep(`x := {s: {c: v.var | some c, v in cv} | some s, cv in data.fluxtf.lib.catalogue_versions}`)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := q.Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval: %v", err)
	}
	want := rs[0].Bindings["x"]
	got := map[string]any{}
	for s, cv := range versionVars() {
		vs := map[string]any{}
		for c, v := range cv {
			vs[c] = v
		}
		got[s] = vs
	}
	if len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("the engine's version vars differ from lib.catalogue_versions':\n got %v\nwant %v", got, want)
	}
}

// TestFactsOfAnyRuns: side makes the same facts, in the same order, over
// any number of runs of files (those of a run made on a goroutine of
// their own): TestEngineFactsMatchTheLibrary holds what it makes, over
// as many runs as the CPUs and the size of its inputs give, to the
// library's; here a fleet's facts (of the files and as a baseline) over
// 2 to 16 runs are those over one. A file that is not as the engine
// makes it, in the last run, leaves no facts, over any number of runs.
func TestFactsOfAnyRuns(t *testing.T) {
	t.Parallel()
	docs := fleetCorpus(t, 400)
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	files := cur.filesOf(cur.terms())
	odd := ast.NewArray(append(slices.Collect(func(yield func(*ast.Term) bool) {
		for i := range files.Len() {
			if !yield(files.Elem(i)) {
				return
			}
		}
	}), ast.StringTerm("not a file"))...)
	factsOver := func(files *ast.Array, runs int) ast.Object {
		out := ast.NewObject()
		sideRuns(out, "", files, runs, allFacts)
		sideRuns(out, "baseline_", files, runs, allFacts)
		return out
	}
	keys := func(o ast.Object) []string {
		var ks []string
		o.Foreach(func(k, _ *ast.Term) { ks = append(ks, k.String()) })
		return ks
	}
	one := factsOver(files, 1)
	if one.Get(ast.StringTerm("tf")) == nil || one.Get(ast.StringTerm("baseline_fact_index")) == nil {
		t.Fatalf("no tf or baseline_fact_index facts of a fleet: %v", keys(one))
	}
	for _, runs := range []int{2, 3, 5, 16} {
		got := factsOver(files, runs)
		if !slices.Equal(keys(got), keys(one)) {
			t.Errorf("%d runs: facts %v, want %v", runs, keys(got), keys(one))
		}
		if got.Compare(one) != 0 {
			t.Errorf("%d runs: the facts differ from those over one run", runs)
		}
		if o := factsOver(odd, runs); o.Len() != 0 {
			t.Errorf("%d runs: facts %v of files of which the last is not a file, want none", runs, keys(o))
		}
	}
}

// TestFilesOfAnyRuns: filesOf makes the same files over any number of
// runs of entries: those made one entry after the other.
func TestFilesOfAnyRuns(t *testing.T) {
	t.Parallel()
	docs := fleetCorpus(t, 400)
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	terms := cur.terms()
	want := make([]*ast.Term, len(cur.starts))
	for e, s := range cur.starts {
		want[e] = cur.entry(e, terms[s:cur.end(e)])
	}
	if len(want) < 100 {
		t.Fatalf("%d files, want 100 or more", len(want))
	}
	for _, runs := range []int{1, 2, 3, 7} {
		got := cur.filesOfRuns(terms, runs)
		if got.Len() != len(want) {
			t.Fatalf("%d runs: %d files, want %d", runs, got.Len(), len(want))
		}
		for i, w := range want {
			if got.Elem(i).Value.Compare(w.Value) != 0 {
				t.Fatalf("%d runs: file %d is %v, want %v", runs, i, got.Elem(i), w)
			}
		}
	}
}

// buildFacts is engineFacts of every value whatever FLUXTF_SLOW says.
func buildFacts(files, baseFiles *ast.Array) *ast.Term {
	return buildFactsOf(files, baseFiles, allFacts)
}
