package policies

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/manifest"
)

// Batches of environments.
//
// Over a large input (a fleet of thousands of environments), most of the
// memory of a run is what OPA derives while it evaluates the embedded
// rules: the library's facts of every object and the rules' caches, all
// alive until the last rule has run. Most rules, though, judge an object
// by the objects of its own environment (its source, the Terraforms it
// depends on, its baseline twin): Evaluate then evaluates those rules
// over batches of environments, one per CPU at a time (evalBatches,
// evalTasks), so that only those batches' values are alive at once; the
// rules that compare environments with each other (fleetRules) read the
// other batches' environments through summaries merged from all of them.
//
// The findings are those of the one evaluation over the whole input
// (TestBatchesMatchOneEvaluation). To keep them so, the documents are
// split into groups that no rule looks across (partition): the documents
// of one file, of one environment (label fluxtf.io/environment, the
// current and the baseline ones), of one key (kind/namespace/name) and
// those that name a key (spec.sourceRef, spec.dependsOn), of one
// Secret a Terraform writes or reads (writeOutputsToSecret, varsFrom) are
// in one group. An input where some Terraform or GitRepository has no
// stack or environment label (the stack's membership of an unlabelled
// object is told by other objects) is evaluated at once, as is one where
// the baseline twins' second matching step (an environment renamed) would
// pair objects of two batches (twin_leftovers in lib.rego).

// fleetRules are the rule packages whose findings on an object depend on
// other environments' objects: the order of a release across tiers
// (release-order, promotion-order, migration-marker-stale), what must be
// unique in the fleet (state-key-unique, account-by-tier's account ids),
// and removals judged by target (prod-removal). Each reads what it needs of
// the other environments from its fleet_summary, a value of a few sets and
// lists (the [stack, tier, component, version] run, the state keys and
// their owners...): evalBatches evaluates every batch's summaries with its
// other rules, merges them (fleetSummaries) and then evaluates these rules
// over each batch again, with the merged summaries as
// context.fleet (lib.fleet_summaries), so that no evaluation holds the
// library's values of the whole fleet at once.
var fleetRules = []string{
	"account_by_tier",
	"migration_marker_stale",
	"promotion_order",
	"prod_removal",
	"release_order",
	"state_key_unique",
}

// fleetSharedQuery is sharedQuery of fleetRules: the library values they
// read, computed once for a batch's input (not the other kinds' facts, the
// fact index, the shapes the other rules read).
const fleetSharedQuery = `x := {
	"common_tf": count(data.fluxtf.lib.common_tf_facts),
	"common_tf_shapes": count(data.fluxtf.lib.common_tf_shapes),
	"common_base": count(data.fluxtf.lib.common_base_facts),
	"common_tf_versions": count(data.fluxtf.lib.common_tf_versions),
	"common_tf_groups": count(data.fluxtf.lib.common_tf_groups),
	"tiered_git": count(data.fluxtf.lib.tiered_git_facts),
	"tiered_git_shapes": count(data.fluxtf.lib.tiered_git_shapes),
	"eks_base": count(data.fluxtf.lib.eks_base_facts),
	"twins": count(data.fluxtf.lib.twins),
	"untwinned": count(data.fluxtf.lib.untwinned_baseline),
	"baseline_common_base": count(data.fluxtf.lib.baseline_common_base_facts),
	"baseline_common_tf_versions": count(data.fluxtf.lib.baseline_common_tf_versions),
	"baseline_common_tf_groups": count(data.fluxtf.lib.baseline_common_tf_groups),
	"baseline_tiered_git": count(data.fluxtf.lib.baseline_tiered_git_facts),
	"baseline_tiered_git_shapes": count(data.fluxtf.lib.baseline_tiered_git_shapes),
	"baseline_eks_base": count(data.fluxtf.lib.baseline_eks_base_facts),
}`

// Defaults of Engine.batchAfter and Engine.batchObjects.
const (
	// defaultBatchAfter is how many objects (manifests and baseline) make
	// Evaluate evaluate in batches.
	defaultBatchAfter = 20000
	// defaultBatchObjects is how many objects a batch holds (at least one
	// group: a group is never split).
	defaultBatchObjects = 16000
)

// batches is a split of a run's documents: the batch of each entry of the
// files and of the baseline files (converted.files).
type batches struct {
	n    int   // number of batches
	cur  []int // batch of each entry of the files
	base []int // batch of each entry of the baseline files
}

// partition splits the documents (and the baseline, nil for none) into
// batches of groups (see above) of about size objects. ok is false when the
// input cannot be split: evaluate it at once.
func partition(docs, baseline []*manifest.Doc, cur, base *converted, size int) (b batches, ok bool) {
	n := len(docs)
	uf := newUnionFind(n + len(baseline))
	first := map[string]int{}
	link := func(key string, e int) {
		if f, ok := first[key]; ok {
			uf.union(f, e)
		} else {
			first[key] = e
		}
	}
	holders := map[string][]int{} // key -> documents of other kinds with it
	refs := map[string][]int{}    // key -> documents that name it
	for e := 0; e < n+len(baseline); e++ {
		d, side := docAt(docs, baseline, e)
		link(side+"f"+d.File, e)
		o := valueAt(cur, base, e, n)
		kind, isStr := o.get("kind").str()
		if !isStr || kind == "" {
			continue // not an object the rules read
		}
		meta := o.get("metadata")
		name, _ := meta.get("name").str()
		ns, _ := meta.get("namespace").str()
		key := kind + "/" + ns + "/" + name
		if kind != "Terraform" && kind != "GitRepository" {
			if side == "" {
				holders[key] = append(holders[key], e)
			}
			continue
		}
		labels := meta.get("labels")
		stack, _ := labels.get(labelStack).str()
		env, _ := labels.get(labelEnvironment).str()
		if stack == "" || env == "" {
			return batches{}, false
		}
		link("e"+env, e)
		link("k"+key, e) // also a baseline twin matched by key
		if kind != "Terraform" || side != "" {
			continue
		}
		spec := o.get("spec")
		sr := spec.get("sourceRef")
		if sn, _ := sr.get("name").str(); sn != "" {
			k := orString(sr.get("kind"), "GitRepository") + "/" + orString(sr.get("namespace"), ns) + "/" + sn
			refs[k] = append(refs[k], e)
		}
		for _, dep := range spec.get("dependsOn").items() {
			if dn, ok := dep.get("name").str(); ok {
				for _, dns := range []string{ns, orString(dep.get("namespace"), ns)} {
					k := "Terraform/" + dns + "/" + dn
					refs[k] = append(refs[k], e)
				}
			}
		}
		if wn, ok := spec.get("writeOutputsToSecret").get("name").str(); ok {
			link("s"+ns+"/"+wn, e)
		}
		for _, vf := range spec.get("varsFrom").items() {
			vn := vf.get("name")
			if s, ok := vn.str(); ok {
				link("s"+ns+"/"+s, e)
			} else if vn.present() {
				return batches{}, false // a name that is not a string: read as text by the rules
			}
		}
	}
	for k, es := range refs {
		for _, e := range es {
			link("k"+k, e)
		}
		for _, h := range holders[k] {
			link("k"+k, h)
		}
	}
	// groups, in the order of their first document, packed into batches
	sizes := map[int]int{}
	for e := range n + len(baseline) {
		sizes[uf.find(e)]++
	}
	of := map[int]int{}
	b.n, b.cur, b.base = 0, make([]int, len(cur.starts)), nil
	fill := 0
	batchOf := func(e int) int {
		r := uf.find(e)
		if x, ok := of[r]; ok {
			return x
		}
		if b.n == 0 || fill+sizes[r] > size && fill > 0 {
			b.n++
			fill = 0
		}
		fill += sizes[r]
		of[r] = b.n - 1
		return b.n - 1
	}
	for i, s := range cur.starts {
		b.cur[i] = batchOf(s)
	}
	if base != nil {
		b.base = make([]int, len(base.starts))
		for i, s := range base.starts {
			b.base[i] = batchOf(n + s)
		}
	}
	return b, true
}

// docAt is the document of element e of partition: docs, then the
// baseline's; side is "" for docs and "b" for the baseline.
func docAt(docs, baseline []*manifest.Doc, e int) (*manifest.Doc, string) {
	if e < len(docs) {
		return docs[e], ""
	}
	return baseline[e-len(docs)], "b"
}

// The labels partition reads (lib.rego's label_stack, label_environment;
// TestContractNamesMatchGo holds the Go and Rego names equal).
const (
	labelStack       = contract.LabelStack
	labelEnvironment = contract.LabelEnvironment
)

// inputOfBatch is the input of batch i with the facts of scope
// (batchInputOf).
type inputOfBatch func(i int, scope factScope) ast.Value

// evalBatches evaluates the rules other than fleetRules, and the
// fleetRules' summaries, over each batch of the input (input(i,
// allFacts): batch i's input), then the fleetRules over each batch with
// the merged summaries (evalFleet), each step on up to workers goroutines
// at once (evalTasks), and returns the results in the order of eval's. ok is false when the
// twins' second matching step would pair objects of two batches: evaluate
// at once.
func (b *batch) evalBatches(ctx context.Context, n int, input inputOfBatch, baseline bool, workers int) (deny, warn []any, ok bool, err error) {
	local, fleet := b.split()
	outs := make([]batchOut, n)
	// each task on its share of the CPUs (with a goroutine per CPU, one:
	// a batch's rules then share one cache, and the other CPUs are busy
	// with the other batches)
	inner := max(1, runtime.GOMAXPROCS(0)/workers)
	err = evalTasks(ctx, workers, n, func(ctx context.Context, t int) error {
		var err error
		outs[t], err = b.evalBatch(ctx, inner, input(t, allFacts), local, baseline)
		return err
	})
	if err != nil {
		return nil, nil, false, err
	}
	// merged in the order of the batches, whichever finished first
	leftIn := map[string]int{} // identity left over by a batch's step 1 -> that batch
	summaries := make([]ast.Value, n)
	for i, o := range outs {
		for _, s := range o.left {
			if j, seen := leftIn[s]; seen && j != i {
				return nil, nil, false, nil
			}
			leftIn[s] = i
		}
		summaries[i] = o.summary
	}
	merged := make([]map[string][]any, len(b.rules))
	for i := range merged {
		merged[i] = map[string][]any{}
	}
	for _, o := range outs {
		addResults(merged, o.results, local)
	}
	outs = nil
	if err := b.evalFleet(ctx, n, workers, inner, input, mergeSummaries(summaries), fleet, merged); err != nil {
		return nil, nil, false, err
	}
	for _, p := range append(local, fleet...) {
		for _, k := range []string{"deny", "warn"} {
			if err := sortResults(merged[p][k]); err != nil {
				return nil, nil, false, err
			}
		}
	}
	for _, m := range merged {
		deny, warn = append(deny, m["deny"]...), append(warn, m["warn"]...)
	}
	return deny, warn, true, nil
}

// batchOut is what evalBatch keeps of a batch: each rule's {"deny",
// "warn"} (by index in b.rules), its fleet rules' summaries
// (fleetSummary), and the identities the twins' first matching step left
// over in it (lib.twin_leftovers; with a baseline).
type batchOut struct {
	results []map[string]any
	summary ast.Value
	left    []string
}

// evalBatch evaluates the rules local (indexes in b.rules) and the fleet
// rules' summaries over a batch's input, on up to goroutines goroutines.
func (b *batch) evalBatch(ctx context.Context, goroutines int, in ast.Value, local []int, baseline bool) (batchOut, error) {
	results, cache, err := b.evalRulesOn(ctx, goroutines, in, b.shared, local)
	if err != nil {
		return batchOut{}, err
	}
	out := batchOut{results: results}
	if out.summary, err = b.fleetSummary(ctx, in, cache); err != nil || !baseline {
		return out, err
	}
	rs, err := b.leftovers.Eval(ctx, rego.EvalParsedInput(in), rego.EvalVirtualCache(cache))
	if err != nil {
		return batchOut{}, err
	}
	if len(rs) == 1 {
		x, _ := rs[0].Bindings["x"].(map[string]any)
		for _, side := range []string{"cur", "base"} {
			ids, _ := x[side].([]any)
			for _, id := range ids {
				out.left = append(out.left, fmt.Sprint(id))
			}
		}
	}
	return out, nil
}

// fleetSummaryQuery is the fleet_summary of every package of fleetRules,
// by package name.
func fleetSummaryQuery() string {
	parts := make([]string, len(fleetRules))
	for i, r := range fleetRules {
		parts[i] = fmt.Sprintf("%q: data.fluxtf.rules.%s.fleet_summary", r, r)
	}
	return "x := {" + strings.Join(parts, ", ") + "}"
}

// fleetSummary evaluates fleetSummaryQuery over a batch's input, reading
// the values its other rules computed (cache), and returns it as OPA's
// value (not converted to Go's).
func (b *batch) fleetSummary(ctx context.Context, in ast.Value, cache topdown.VirtualCache) (ast.Value, error) {
	asTerm := rego.EvalGenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil })
	rs, err := b.summary.Eval(ctx, rego.EvalParsedInput(in), rego.EvalVirtualCache(cache), asTerm)
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 {
		return nil, errors.New("the fleet rules' summaries are undefined")
	}
	t, ok := rs[0].Bindings["x"].(*ast.Term)
	if !ok {
		return nil, fmt.Errorf("the fleet rules' summaries are a %T", rs[0].Bindings["x"])
	}
	return t.Value, nil
}

// mergeSummaries merges the batches' fleet summaries: package -> field ->
// the union of the batches' sets, or their lists one after the other.
// What the fleet rules read of the fleet is so the value each computes
// over the whole input: each element of a summary is of one object (or
// pair of baseline twins, which one batch holds), so the union over the
// batches is the whole input's.
func mergeSummaries(summaries []ast.Value) ast.Value {
	type field struct {
		set   ast.Set
		items []*ast.Term
		other *ast.Term
	}
	var pkgs []string
	names := map[string][]string{} // package -> its fields, in order
	fields := map[string]map[string]*field{}
	for _, s := range summaries {
		obj, _ := s.(ast.Object)
		if obj == nil {
			continue
		}
		obj.Foreach(func(pk, pv *ast.Term) {
			p := string(pk.Value.(ast.String))
			if fields[p] == nil {
				fields[p] = map[string]*field{}
				pkgs = append(pkgs, p)
			}
			fo, _ := pv.Value.(ast.Object)
			if fo == nil {
				return
			}
			fo.Foreach(func(fk, fv *ast.Term) {
				name, _ := fk.Value.(ast.String)
				f := fields[p][string(name)]
				if f == nil {
					f = &field{}
					fields[p][string(name)] = f
					names[p] = append(names[p], string(name))
				}
				switch v := fv.Value.(type) {
				case ast.Set:
					if f.set == nil {
						f.set = ast.NewSet()
					}
					v.Foreach(f.set.Add)
				case *ast.Array:
					v.Foreach(func(t *ast.Term) { f.items = append(f.items, t) })
				default:
					f.other = fv // not a set or a list: one batch's (none is)
				}
			})
		})
	}
	out := ast.NewObject()
	for _, p := range pkgs {
		obj := ast.NewObject()
		for _, name := range names[p] {
			switch f := fields[p][name]; {
			case f.set != nil:
				obj.Insert(ast.StringTerm(name), ast.NewTerm(f.set))
			case f.other != nil:
				obj.Insert(ast.StringTerm(name), f.other)
			default:
				obj.Insert(ast.StringTerm(name), ast.NewTerm(ast.NewArray(f.items...)))
			}
		}
		out.Insert(ast.StringTerm(p), ast.NewTerm(obj))
	}
	return out
}

// evalFleet evaluates the fleetRules (which, indexes in b.rules) over each
// batch of the input (with the facts they read: fleetFacts) with the
// merged summaries (context.fleet), on up to workers goroutines at once
// (evalTasks), each on up to inner, and adds their results to merged in
// the order of the batches.
func (b *batch) evalFleet(ctx context.Context, n, workers, inner int, input inputOfBatch, summaries ast.Value, which []int, merged []map[string][]any) error {
	outs := make([][]map[string]any, n)
	err := evalTasks(ctx, workers, n, func(ctx context.Context, t int) error {
		var err error
		outs[t], _, err = b.evalRulesOn(ctx, inner, withFleet(input(t, fleetFacts), summaries), b.fleetShared, which)
		return err
	})
	if err != nil {
		return err
	}
	for _, results := range outs {
		addResults(merged, results, which)
	}
	return nil
}

// addResults appends a batch's results of the rules which (indexes in
// b.rules) to merged.
func addResults(merged []map[string][]any, results []map[string]any, which []int) {
	for _, p := range which {
		for _, k := range []string{"deny", "warn"} {
			xs, _ := results[p][k].([]any)
			merged[p][k] = append(merged[p][k], xs...)
		}
	}
}

// withFleet is a batch's input with the fleet rules' merged summaries as
// context.fleet.
func withFleet(in, summaries ast.Value) ast.Value {
	obj, ok := in.(ast.Object)
	if !ok {
		return in
	}
	out := ast.NewObject()
	cx := ast.NewObject()
	obj.Foreach(func(k, v *ast.Term) {
		if k.Equal(ast.InternedTerm("context")) {
			if o, ok := v.Value.(ast.Object); ok {
				o.Foreach(func(ck, cv *ast.Term) { cx.Insert(ck, cv) })
			}
			return
		}
		out.Insert(k, v)
	})
	cx.Insert(ast.InternedTerm("fleet"), ast.NewTerm(summaries))
	out.Insert(ast.InternedTerm("context"), ast.NewTerm(cx))
	return out
}

// evalTasks calls task(ctx, t) for every t in [0, n), in that order, on up
// to workers goroutines at once (one: on the caller's), and returns the
// first error a task returned; the tasks left are then not started and
// those running are cancelled (through ctx).
func evalTasks(ctx context.Context, workers, n int, task func(ctx context.Context, t int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next  atomic.Int64
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	work := func() {
		for ctx.Err() == nil {
			t := int(next.Add(1) - 1)
			if t >= n {
				return
			}
			if err := task(ctx, t); err != nil {
				once.Do(func() { first = err })
				cancel()
			}
		}
	}
	for range min(workers, n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// split lists the indexes in b.rules of the rules evaluated by batch and
// of fleetRules.
func (b *batch) split() (local, fleet []int) {
	for i, p := range b.pkgs {
		if name, _ := p[len(p)-1].Value.(ast.String); slices.Contains(fleetRules, string(name)) {
			fleet = append(fleet, i)
		} else {
			local = append(local, i)
		}
	}
	return local, fleet
}

// sortResults puts a rule's results gathered from several batches in the
// order of one evaluation: its set of results, iterated in OPA's order of
// values.
func sortResults(xs []any) error {
	vs := make([]ast.Value, len(xs))
	for i, x := range xs {
		v, err := ast.InterfaceToValue(x)
		if err != nil {
			return err
		}
		vs[i] = v
	}
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return ast.Compare(vs[a], vs[b]) })
	sorted := make([]any, len(xs))
	for i, j := range idx {
		sorted[i] = xs[j]
	}
	copy(xs, sorted)
	return nil
}

// unionFind groups the documents of partition.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(x int) int {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra < rb {
		u[rb] = ra
	} else if rb < ra {
		u[ra] = rb
	}
}

// field is a field of a document's converted value, as partition reads
// it: an object or a list of a dag (r), or a leaf's value (v), without
// making OPA's values of the objects and lists; neither: absent.
type field struct {
	r ref
	v ast.Value
}

// valueAt is the converted value of element e of partition (docs, then
// the baseline's; n documents).
func valueAt(cur, base *converted, e, n int) field {
	if e < n {
		return fieldOf(cur.docs[e])
	}
	return fieldOf(base.docs[e-n])
}

// fieldOf is the field of value r.
func fieldOf(r ref) field {
	if t := r.d.leaf[r.id]; t != nil {
		return field{v: t.Value}
	}
	return field{r: r}
}

// get is field k of an object, absent otherwise.
func (n field) get(k string) field {
	if n.r.d != nil {
		parts, list := n.r.d.record(n.r.id)
		if list {
			return field{}
		}
		for i := 0; i+1 < len(parts); i += 2 {
			// (not key.Value.Compare(ast.String(k)): k as a Value is an
			// allocation per key looked at, millions at 10,000 environments)
			if key := n.r.d.leaf[parts[i]]; key != nil && isString(key.Value, k) {
				return fieldOf(ref{d: n.r.d, id: parts[i+1]})
			}
		}
		return field{}
	}
	if o, ok := n.v.(ast.Object); ok {
		if t := o.Get(ast.StringTerm(k)); t != nil {
			return field{v: t.Value}
		}
	}
	return field{}
}

// isString reports whether v is the string k.
func isString(v ast.Value, k string) bool {
	s, ok := v.(ast.String)
	return ok && string(s) == k
}

// str is the field's text when it is a string.
func (n field) str() (string, bool) {
	s, ok := n.v.(ast.String)
	return string(s), ok
}

// present reports whether the field is there.
func (n field) present() bool { return n.r.d != nil || n.v != nil }

// items are the elements of a list (none for anything else).
func (n field) items() []field {
	var out []field
	if n.r.d != nil {
		if parts, list := n.r.d.record(n.r.id); list {
			for _, p := range parts {
				out = append(out, fieldOf(ref{d: n.r.d, id: p}))
			}
		}
		return out
	}
	if a, ok := n.v.(*ast.Array); ok {
		a.Foreach(func(t *ast.Term) { out = append(out, field{v: t.Value}) })
	}
	return out
}

// orString is lib.default_str: the field's text when it is a non-empty
// string, else d.
func orString(n field, d string) string {
	if s, ok := n.str(); ok && s != "" {
		return s
	}
	return d
}
