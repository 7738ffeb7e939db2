package policies

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/parallel"
)

// The embedded rules evaluate the whole batch of documents at once (one
// input, prepared queries, never a query per file), in two steps:
//
//  1. sharedQuery computes, once, the library's values that most rules
//     read: the facts of every object and what is derived from them
//     (about half of the work);
//  2. each rule package is then evaluated by its own query, on as many
//     goroutines as there are CPUs, each reading the values of step 1
//     from that evaluation's virtual document cache (sharedCache) instead
//     of computing them again.
//
// The findings are those of builtinQuery, the one query over every rule
// (batch.oneQuery; TestBatchMatchesOneQuery); a rule that reads a library value step 1
// did not compute computes it itself, so the list in sharedQuery decides
// only how much work is shared.

// sharedQuery evaluates the library values the rules share.
const sharedQuery = `x := {
	"facts": count(data.fluxtf.lib.all_facts),
	"index": count(data.fluxtf.lib.fact_index),
	"tf_shapes": count(data.fluxtf.lib.tf_shapes),
	"tf_layouts": count(data.fluxtf.lib.tf_layouts),
	"git_shapes": count(data.fluxtf.lib.git_shapes),
	"base_facts": count(data.fluxtf.lib.base_facts),
	"base_oses": count(data.fluxtf.lib.base_oses),
	"tf_slow": count(data.fluxtf.lib.tf_slow_facts),
	"baseline_git": count(data.fluxtf.lib.baseline_git_facts),
	"baseline_base": count(data.fluxtf.lib.baseline_base_facts),
	"baseline_index": count(data.fluxtf.lib.baseline_fact_index),
	"stack_tf": count(data.fluxtf.lib.stack_tf_facts),
	"stack_git": count(data.fluxtf.lib.stack_git_facts),
	"stack_git_shapes": count(data.fluxtf.lib.stack_git_shapes),
	"baseline_stack_git": count(data.fluxtf.lib.baseline_stack_git_facts),
	"baseline_stack_git_shapes": count(data.fluxtf.lib.baseline_stack_git_shapes),
	"twins": count(data.fluxtf.lib.twins),
	"eks_tf": count(data.fluxtf.lib.eks_tf_facts),
	"eks_git": count(data.fluxtf.lib.eks_git_facts),
	"eks_base": count(data.fluxtf.lib.eks_base_facts),
	"eks_base_oses": count(data.fluxtf.lib.eks_base_oses),
	"eks_base_k8s": count(data.fluxtf.lib.eks_base_k8s),
	"eks_base_k8s_by_minor": count(data.fluxtf.lib.eks_base_k8s_by_minor),
	"eks_tf_shapes": count(data.fluxtf.lib.eks_tf_shapes),
	"common_tf": count(data.fluxtf.lib.common_tf_facts),
	"common_tf_shapes": count(data.fluxtf.lib.common_tf_shapes),
	"tiered_git": count(data.fluxtf.lib.tiered_git_facts),
	"tiered_git_shapes": count(data.fluxtf.lib.tiered_git_shapes),
	"common_base": count(data.fluxtf.lib.common_base_facts),
	"baseline_common_tf": count(data.fluxtf.lib.baseline_common_tf_facts),
	"baseline_common_base": count(data.fluxtf.lib.baseline_common_base_facts),
	"common_tf_versions": count(data.fluxtf.lib.common_tf_versions),
	"baseline_common_tf_versions": count(data.fluxtf.lib.baseline_common_tf_versions),
	"eks_tf_versions": count(data.fluxtf.lib.eks_tf_versions),
	"common_tf_groups": count(data.fluxtf.lib.common_tf_groups),
	"baseline_common_tf_groups": count(data.fluxtf.lib.baseline_common_tf_groups),
	"dep_entries": count(data.fluxtf.lib.dep_entries),
}`

// ruleQuery is the query of one rule package: its deny and warn results.
func ruleQuery(pkg ast.Ref) string {
	return fmt.Sprintf(`x := {"deny": [r | some r in %[1]s.deny], "warn": [r | some r in %[1]s.warn]}`, pkg)
}

// batch is the prepared queries of the embedded rules.
type batch struct {
	shared *rego.PreparedEvalQuery
	// leftovers is lib.twin_leftovers, fleetShared fleetSharedQuery and
	// summary fleetSummaryQuery, for evalBatches
	leftovers, fleetShared, summary *rego.PreparedEvalQuery
	rules                           []*rego.PreparedEvalQuery // by rule package, in package order
	pkgs                            []ast.Ref                 // the rule packages, in that order
	// prep prepares a query against the batch's compilation
	prep func(query string) (*rego.PreparedEvalQuery, error)
}

// oneQuery prepares builtinQuery, the one query over every rule, against
// the batch's compilation: what the batch is held to in tests and
// benchmarks (not prepared at start-up, where nothing needs it).
func (b *batch) oneQuery() (*rego.PreparedEvalQuery, error) { return b.prep(builtinQuery) }

// checkOnlyStages are the compiler stages that only look for mistakes in
// the modules (types, recursion, conflicts, unsafe or undefined calls...),
// or only build what those checks read (the dependency graph: type and
// recursion checks), and change nothing the evaluation reads. prepareBatch skips them for
// the embedded rules, which every test run compiles with all of them
// (`fluxtf policy test`, embeddedCompiler in the tests):
// TestEmbeddedCompileSkipsOnlyChecks holds that the modules come out
// the same, and that the full compilation has no error. They were about
// a third of the compilation, which every run pays before its first
// finding.
func checkOnlyStages() []ast.StageID {
	return []ast.StageID{
		ast.StageCheckUnusedImports,
		ast.StageCheckKeywordOverrides,
		ast.StageSetGraph,
		ast.StageCheckDuplicateImports,
		ast.StageCheckVoidCalls,
		ast.StageCheckRuleConflicts,
		ast.StageCheckUndefinedFuncs,
		ast.StageCheckSafetyRuleHeads,
		ast.StageCheckRecursion,
		ast.StageCheckTypes,
		ast.StageCheckUnsafeBuiltins,
		ast.StageCheckDeprecatedBuiltins,
		ast.StageBuildRequiredCapabilities,
	}
}

// embeddedCompiler compiles the library and the rules, with every stage
// (full) or without the checkOnlyStages.
func embeddedCompiler(caps *ast.Capabilities, lib, rules map[string]*ast.Module, full bool) (*ast.Compiler, error) {
	c := ast.NewCompiler().
		WithCapabilities(caps).
		WithEnablePrintStatements(false).
		WithUseTypeCheckAnnotations(true)
	if !full {
		c = c.WithSkipStages(checkOnlyStages()...)
	}
	mods := make(map[string]*ast.Module, len(lib)+len(rules))
	for _, set := range []map[string]*ast.Module{lib, rules} {
		for name, m := range set {
			mods[name] = m
		}
	}
	if c.Compile(mods); c.Failed() {
		return nil, compileError(c.Errors)
	}
	return c, nil
}

// prepareBatch compiles the library and the rules once (without the
// checkOnlyStages) and prepares sharedQuery and the rule packages'
// queries against that compilation.
func prepareBatch(ctx context.Context, caps *ast.Capabilities, lib, rules map[string]*ast.Module) (*batch, error) {
	c, err := embeddedCompiler(caps, lib, rules, false)
	if err != nil {
		return nil, err
	}
	prep := func(query string) (*rego.PreparedEvalQuery, error) {
		q, err := rego.New(
			rego.Query(query),
			rego.Compiler(c),
			rego.Capabilities(caps),
			rego.EnablePrintStatements(false),
			rego.StrictBuiltinErrors(false),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, compileError(err)
		}
		return &q, nil
	}
	b := &batch{prep: prep}
	if b.shared, err = prep(sharedQuery); err != nil {
		return nil, err
	}
	if b.leftovers, err = prep(`x := data.fluxtf.lib.twin_leftovers`); err != nil {
		return nil, err
	}
	if b.fleetShared, err = prep(fleetSharedQuery); err != nil {
		return nil, err
	}
	if b.summary, err = prep(fleetSummaryQuery()); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var pkgs []ast.Ref
	for _, m := range rules {
		if p := m.Package.Path; !seen[p.String()] {
			seen[p.String()] = true
			pkgs = append(pkgs, p)
		}
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Compare(pkgs[j]) < 0 })
	b.pkgs = pkgs
	for _, p := range pkgs {
		q, err := prep(ruleQuery(p))
		if err != nil {
			return nil, err
		}
		b.rules = append(b.rules, q)
	}
	return b, nil
}

// eval evaluates the batch over input and returns the deny and the warn
// results, in the order of builtinQuery's.
func (b *batch) eval(ctx context.Context, input ast.Value) (deny, warn []any, err error) {
	all := make([]int, len(b.rules))
	for i := range all {
		all[i] = i
	}
	results, _, err := b.evalRules(ctx, input, b.shared, all)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range results {
		d, _ := x["deny"].([]any)
		w, _ := x["warn"].([]any)
		deny, warn = append(deny, d...), append(warn, w...)
	}
	return deny, warn, nil
}

// evalRules evaluates sq (sharedQuery, or fleetSharedQuery), then the
// rule packages which (indexes in b.rules) over input, and returns each
// one's {"deny", "warn"} (by index in b.rules; nil for the others) and the
// cache of sq.
func (b *batch) evalRules(ctx context.Context, input ast.Value, sq *rego.PreparedEvalQuery, which []int) ([]map[string]any, topdown.VirtualCache, error) {
	return b.evalRulesOn(ctx, runtime.GOMAXPROCS(0), input, sq, which)
}

// evalRulesOn is evalRules on up to goroutines goroutines.
func (b *batch) evalRulesOn(ctx context.Context, goroutines int, input ast.Value, sq *rego.PreparedEvalQuery, which []int) ([]map[string]any, topdown.VirtualCache, error) {
	shared := topdown.NewVirtualCache()
	if _, err := sq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(shared)); err != nil {
		return nil, nil, err
	}
	results := make([]map[string]any, len(b.rules))
	errs := make([]error, len(b.rules))
	var next atomic.Int64
	parallel.For(min(goroutines, len(which)), func(int) {
		// one cache per goroutine, over the shared one: what one rule
		// computes beyond step 1, the goroutine's next rules reuse
		cache := &sharedCache{shared: shared, own: topdown.NewVirtualCache()}
		for {
			k := int(next.Add(1) - 1)
			if k >= len(which) {
				return
			}
			i := which[k]
			rs, err := b.rules[i].Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(cache))
			if err != nil {
				errs[i] = err
				continue
			}
			if len(rs) == 1 {
				results[i], _ = rs[0].Bindings["x"].(map[string]any)
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return results, shared, nil
}

// sharedCache is a rule query's virtual document cache: its own, over the
// values sharedQuery cached, which are read, never changed, and so shared
// by queries on several goroutines. A frame pushed for a with statement
// (none of the embedded rules has one) sees only its own values, as OPA's
// cache does.
type sharedCache struct {
	shared topdown.VirtualCache
	own    topdown.VirtualCache
	pushed int // frames pushed on own
}

func (c *sharedCache) Push() { c.pushed++; c.own.Push() }
func (c *sharedCache) Pop()  { c.pushed--; c.own.Pop() }

func (c *sharedCache) Get(ref ast.Ref) (*ast.Term, bool) {
	if v, undefined := c.own.Get(ref); v != nil || undefined || c.pushed > 0 {
		return v, undefined
	}
	return c.shared.Get(ref)
}

func (c *sharedCache) Put(ref ast.Ref, value *ast.Term) { c.own.Put(ref, value) }

func (c *sharedCache) Keys() []ast.Ref { return c.own.Keys() }
