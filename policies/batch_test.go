package policies

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/internal/manifest"
)

// batchCases are the inputs the batch is held to the one query on: every
// rule's deny and pass fixtures (with their baseline), and the rendered
// examples, alone and as their own baseline.
func batchCases(t *testing.T) map[string][2][]string {
	t.Helper()
	root := filepath.Join("..", "fixtures", "policies")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	clusters := filepath.Join("..", "fixtures", "clusters")
	cases := map[string][2][]string{
		"clusters":               {{clusters}, nil},
		"clusters, own baseline": {{clusters}, {clusters}},
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		var base []string
		if st, err := os.Stat(filepath.Join(root, d.Name(), "baseline")); err == nil && st.IsDir() {
			base = []string{filepath.Join(root, d.Name(), "baseline")}
		}
		for _, kind := range []string{"deny", "pass"} {
			cases[d.Name()+"/"+kind] = [2][]string{{filepath.Join(root, d.Name(), kind)}, base}
		}
	}
	return cases
}

// batchInput reads the paths (and the baseline paths, if any) into the
// embedded rules' input, checked at fixtureNow or, for a rule fixture
// folder with a today file, that day, and with a live.out, that live
// input (as TestRuleFixtures does).
func batchInput(t *testing.T, paths, baseline []string) ast.Object {
	t.Helper()
	return scopedBatchInput(t, paths, baseline, allFacts)
}

// scopedBatchInput is batchInput with the facts of scope.
func scopedBatchInput(t *testing.T, paths, baseline []string, scope factScope) ast.Object {
	t.Helper()
	set, err := manifest.Load(paths, manifest.Options{Convert: NewInputConverter})
	if err != nil {
		t.Fatal(err)
	}
	cur, err := convertDocs(set.Docs)
	if err != nil {
		t.Fatal(err)
	}
	var base *converted
	if baseline != nil {
		bs, err := manifest.Load(baseline, manifest.Options{Convert: NewInputConverter, NoCheck: true})
		if err != nil {
			t.Fatal(err)
		}
		if base, err = convertDocs(bs.Docs); err != nil {
			t.Fatal(err)
		}
	}
	in := Input{Docs: set.Docs, Now: fixtureNow}
	if len(paths) == 1 {
		if raw, err := os.ReadFile(filepath.Join(filepath.Dir(paths[0]), "today")); err == nil {
			if in.Now, err = time.Parse(time.DateOnly, strings.TrimSpace(string(raw))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if strings.Contains(filepath.ToSlash(paths[0]), "/eks-") {
		in.EKSVersions = fixtureCalendar(t) // as TestRuleFixtures
	}
	if len(paths) == 1 { // a rule fixture folder's live.out, as TestRuleFixtures
		if ls, err := live.Load(filepath.Join(filepath.Dir(paths[0]), "live.out")); err == nil {
			if in.live, err = liveValue(ls); err != nil {
				t.Fatal(err)
			}
		}
	}
	var baseFiles *ast.Array
	if base != nil {
		baseFiles = base.filesOf(base.terms())
	}
	return inputOf(in, cur.filesOf(cur.terms()), baseFiles, cur.hints, scope)
}

// TestBatchMatchesOneQuery: the batch (shared values, then the rule
// packages on several goroutines) gives exactly the results, in the same
// order, of builtinQuery, the one query over every rule.
func TestBatchMatchesOneQuery(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	one := oneQuery(t, e)
	for name, c := range batchCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			input := batchInput(t, c[0], c[1])
			rs, err := one.Eval(context.Background(), rego.EvalParsedInput(input))
			if err != nil || len(rs) != 1 {
				t.Fatalf("one query: %v", err)
			}
			x := rs[0].Bindings["x"].(map[string]any)
			deny, warn, err := e.batch.eval(context.Background(), input)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []struct {
				sev       string
				got, want []any
			}{{"deny", deny, x["deny"].([]any)}, {"warn", warn, x["warn"].([]any)}} {
				if len(r.got) != len(r.want) || len(r.got) > 0 && !reflect.DeepEqual(r.got, r.want) {
					t.Errorf("%s: the batch gives\n%v\nthe one query\n%v", r.sev, r.got, r.want)
				}
			}
			if strings.HasSuffix(name, "/deny") && len(deny)+len(warn) == 0 {
				t.Error("a deny fixture gave no results")
			}
		})
	}
}

// recordingCache records what a query puts into its own cache.
type recordingCache struct {
	topdown.VirtualCache
	put []string
}

func (c *recordingCache) Put(ref ast.Ref, v *ast.Term) {
	c.put = append(c.put, ref.String())
	c.VirtualCache.Put(ref, v)
}

// ownPuts evaluates every rule package of e's batch over input, with the
// values sharedQuery put in shared, and gives what each package (by name,
// without data.fluxtf.rules.) put into its own cache: what it computed
// itself.
func ownPuts(t *testing.T, e *Engine, input ast.Value, shared topdown.VirtualCache) map[string][]string {
	t.Helper()
	puts := make(map[string][]string, len(e.batch.rules))
	for i, q := range e.batch.rules {
		own := &recordingCache{VirtualCache: topdown.NewVirtualCache()}
		if _, err := q.Eval(context.Background(), rego.EvalParsedInput(input), rego.EvalVirtualCache(&sharedCache{shared: shared, own: own})); err != nil {
			t.Fatal(err)
		}
		puts[strings.TrimPrefix(e.batch.pkgs[i].String(), "data.fluxtf.rules.")] = own.put
	}
	return puts
}

// TestBatchSharesTheFacts: no rule package computes again a value that
// sharedQuery computed (the facts, the fact index, the shapes), which
// would mean the sharing broke; and sharedQuery is defined on every
// input, so that it computes them all.
func TestBatchSharesTheFacts(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	shared := []string{"all_facts", "tf_facts", "git_facts", "other_facts", "fact_index", "tf_shapes", "tf_layouts", "git_shapes", "base_facts", "base_oses",
		"stack_tf_facts", "stack_git_facts", "stack_git_shapes",
		"baseline_stack_git_facts", "baseline_stack_git_shapes", "twins",
		"eks_tf_facts", "eks_git_facts", "eks_base_facts", "common_tf_facts", "tiered_git_facts",
		"common_base_facts", "baseline_common_tf_facts", "baseline_common_base_facts", "eks_base_k8s", "eks_base_k8s_by_minor"}
	for _, name := range []string{"clusters, own baseline", "depends-on-resolves/deny", "approve-plan-valid/deny"} {
		c := batchCases(t)[name]
		input := batchInput(t, c[0], c[1])
		cache := topdown.NewVirtualCache()
		rs, err := e.batch.shared.Eval(context.Background(), rego.EvalParsedInput(input), rego.EvalVirtualCache(cache))
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: sharedQuery is undefined (%v)", name, err)
		}
		for _, s := range shared {
			if v, _ := cache.Get(ast.MustParseRef("data.fluxtf.lib." + s)); v == nil {
				t.Errorf("%s: sharedQuery did not compute lib.%s", name, s)
			}
		}
		for pkg, puts := range ownPuts(t, e, input, cache) {
			for _, p := range puts {
				for _, s := range shared {
					if p == "data.fluxtf.lib."+s {
						t.Errorf("%s: rule package %s computed %s again", name, pkg, p)
					}
				}
			}
		}
	}
	if len(e.batch.rules) < 16 {
		t.Errorf("%d rule queries, want one per rule package", len(e.batch.rules))
	}
}

// TestRulesCallNoPerObjectFunctions: the rule packages that read a var or
// an annotation of every base Terraform (or GitRepository), or the key of
// every dependsOn entry, read the shared per-object values
// (lib.eks_base_k8s) or spell the look-up out, and call no library function
// on each object: OPA caches such a call by its arguments, an entry per
// object and package, which those packages paid on every base of the
// fleet (the per-rule profile's last column, TestProfileRules).
func TestRulesCallNoPerObjectFunctions(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	c := batchCases(t)["clusters, own baseline"]
	input := batchInput(t, c[0], c[1])
	cache := topdown.NewVirtualCache()
	if _, err := e.batch.shared.Eval(context.Background(), rego.EvalParsedInput(input), rego.EvalVirtualCache(cache)); err != nil {
		t.Fatal(err)
	}
	if v, _ := cache.Get(ast.MustParseRef("data.fluxtf.lib.eks_base_k8s")); v == nil || ast.MustParseTerm("[]").Equal(v) {
		t.Fatalf("the case has no eks base with a kubernetes_version: %v", v)
	}
	pkgs := map[string]bool{"eks_extended_support": true, "eks_standard_support": true, "component_compatibility": true,
		"runner_reachability": true, "os_supported": true, "source_name_prefix": true, "depends_on_resolves": true}
	per := []string{"fvar", "k8s_minor", "annotation", "annotations", "ref_key", "default_str"}
	for name, puts := range ownPuts(t, e, input, cache) {
		if !pkgs[name] {
			continue
		}
		delete(pkgs, name)
		for _, p := range puts {
			for _, f := range per {
				if strings.HasPrefix(p, "data.fluxtf.lib."+f+"[") || p == "data.fluxtf.lib."+f {
					t.Errorf("%s calls lib.%s itself: %.80s", name, f, p)
				}
			}
		}
	}
	if len(pkgs) > 0 {
		t.Errorf("no rule package %v", pkgs)
	}
}

// TestEmbeddedCompileSkipsOnlyChecks holds prepareBatch's shortcut to
// what it claims: the embedded rules compile with every stage without an
// error (the checks prepareBatch skips still run, here), and skipping the
// checkOnlyStages leaves every compiled module, rule index input and
// rewritten variable the same, so the evaluation cannot tell. An OPA
// upgrade that makes one of those stages rewrite the modules fails it.
func TestEmbeddedCompileSkipsOnlyChecks(t *testing.T) {
	t.Parallel()
	compile := func(full bool) *ast.Compiler {
		t.Helper()
		lib, _, err := loadModules(Embedded, []string{"lib"}, false)
		if err != nil {
			t.Fatal(err)
		}
		rules, _, err := loadModules(Embedded, []string{"rules"}, false)
		if err != nil {
			t.Fatal(err)
		}
		c, err := embeddedCompiler(sandboxCapabilities(), lib, rules, full)
		if err != nil {
			t.Fatalf("full=%v: %v", full, err)
		}
		return c
	}
	full, fast := compile(true), compile(false)
	if got, want := len(fast.Modules), len(full.Modules); got != want || got == 0 {
		t.Fatalf("%d modules compiled without the checks, %d with them", got, want)
	}
	for name, m := range full.Modules {
		if got, want := fast.Modules[name].String(), m.String(); got != want {
			t.Errorf("%s compiles differently without the checks:\n%s\nwith them:\n%s", name, got, want)
		}
	}
	if got, want := fmt.Sprint(fast.RewrittenVars), fmt.Sprint(full.RewrittenVars); got != want {
		t.Errorf("rewritten variables differ without the checks:\n%s\nwith them:\n%s", got, want)
	}
	for _, s := range checkOnlyStages() {
		if !slices.Contains(ast.AllStages(), s) {
			t.Errorf("stage %s is not one of OPA's", s)
		}
	}
}
