package policies

import (
	"maps"
	"runtime"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/parallel"
)

// Facts in Go.
//
// The rules' library derives a fact for every object (lib.all_facts in
// lib.rego: its key, the "x" shape of labels and fields the rules read, a
// Terraform's var layout "y" and source "src"), once per run, before the
// rules run: that derivation is serial, and was about a sixth of the
// evaluation of a fleet. The engine computes the same facts in Go while it
// builds the input (engineFacts, input.facts of the embedded rules' input
// only: user policies never see it) and the library takes them as they
// are when present. The library's derivation stays the reference: what
// FLUXTF_SLOW=facts (internal/fastpath) runs, what conftest and a
// hand-made input run, and what TestEngineFactsMatchTheLibrary holds these
// facts equal to (fixtures, realworld repositories, a generated fleet,
// odd objects).
//
// Go computes only the library's fast-path facts (_tf_fast, _git_fast:
// objects with the labels and fields a generated object has, all strings
// where the library would accept other types too). A list is given only
// when every object of its kind took that path: one odd Terraform leaves
// the Terraforms' facts to the library (the order of its facts, fast then
// slow, is then the library's own).

// factTiers is lib.tier_names and factEKSStack lib.eks_stack
// (TestFactConstantsMatchTheLibrary).
var factTiers = []string{"dev", "uat", "prod"}

const factEKSStack = "jeppesen-eks"

// factScope is which of input.facts an evaluation is given: a value the
// engine does not give, the library derives, so that the scope changes the
// work of an evaluation, never its findings.
type factScope int

const (
	// allFacts: every value the engine computes.
	allFacts factScope = iota
	// fleetFacts: those the fleet rules' evaluation of a batch
	// (batch.evalFleet: fleetSharedQuery and fleetRules) reads: the
	// documents' facts ("tf", "git", "other", their "baseline_"
	// counterparts), "tf_versions", the fact index and the summaries of
	// facts_index.go, and of the state facts only "tf_state_keys"; not
	// the contract shapes and the Secrets' writers, the dependencies, the
	// base records or the summaries of facts_summaries.go, which only the
	// other rules read and which were half of the Go facts' work. Each
	// batch's input is made twice, once for its other rules and once for
	// the fleet rules (which read the other batches' summaries); the
	// second made them all for nothing. TestFleetFactsAreWhatTheFleetRulesRead
	// holds the fleet rules' evaluation steps and results equal with
	// either scope.
	fleetFacts
)

// engineFacts returns input.facts for the files and the baseline files
// (nil: none): {"tf", "git", "other"} of the files and their
// "baseline_" counterparts, each present only when Go computed it, and
// with "tf" the state facts of facts_state.go and the values of
// facts_deps.go ("deps", "base_records"); of scope fleetFacts, only
// those. It returns nil under FLUXTF_SLOW=facts.
func engineFacts(files, baseFiles *ast.Array, scope factScope) *ast.Term {
	if !fastpath.Enabled(fastpath.Facts) {
		return nil
	}
	facts := buildFactsOf(files, baseFiles, scope)
	if facts != nil {
		fastpath.Hit(fastpath.Facts)
	}
	return facts
}

// buildFactsOf is engineFacts whatever FLUXTF_SLOW says.
func buildFactsOf(files, baseFiles *ast.Array, scope factScope) *ast.Term {
	out := ast.NewObject()
	side(out, "", files, scope)
	if baseFiles != nil {
		side(out, "baseline_", baseFiles, scope)
	}
	if out.Len() == 0 {
		return nil
	}
	return ast.NewTerm(out)
}

// factBuilder builds facts, sharing the equal "x" and "y" values (as
// OPA's function cache shares the library's).
type factBuilder struct {
	shapes   map[string]*ast.Term
	layouts  map[string]*ast.Term
	sources  map[string]*ast.Term
	varNames map[*ast.Term]string
	key      []byte
	names    []string
}

func newFactBuilder() *factBuilder {
	return &factBuilder{shapes: map[string]*ast.Term{}, layouts: map[string]*ast.Term{}, sources: map[string]*ast.Term{}, varNames: map[*ast.Term]string{}}
}

// Terms of the keys the facts have and the documents' fields they read
// (made once: every look-up hashes its key term).
var (
	tKind, tName, tNS, tKey, tSpec = ast.StringTerm("kind"), ast.StringTerm("name"), ast.StringTerm("ns"), ast.StringTerm("key"), ast.StringTerm("spec")
	tR, tX, tY, tVS, tSrc, tAPI    = ast.StringTerm("r"), ast.StringTerm("x"), ast.StringTerm("y"), ast.StringTerm("vs"), ast.StringTerm("src"), ast.StringTerm("api")
	tPath, tObj, tContents         = ast.StringTerm("path"), ast.StringTerm("obj"), ast.StringTerm("contents")
	tTerraform, tGitRepository     = ast.StringTerm("Terraform"), ast.StringTerm("GitRepository")
	tMetadata, tNamespace, tLabels = ast.StringTerm("metadata"), ast.StringTerm("namespace"), ast.StringTerm("labels")
	tAPIVersion, tSourceRef, tVars = ast.StringTerm("apiVersion"), ast.StringTerm("sourceRef"), ast.StringTerm("vars")
	tApprovePlan, tURL, tRef       = ast.StringTerm("approvePlan"), ast.StringTerm("url"), ast.StringTerm("ref")
	tTier, tStack                  = ast.StringTerm(contract.LabelTier), ast.StringTerm(contract.LabelStack)
	// the labels of a Terraform's "x", in _tf_shape's order
	tfLabels = [...]*ast.Term{tTier, ast.StringTerm(contract.LabelComponent), ast.StringTerm(contract.LabelTarget), tStack, ast.StringTerm(contract.LabelAccount)}
)

// factChunk is the fewest files (or Terraforms) worth a goroutine of
// their own.
const factChunk = 256

// record is a document of a file, as the library's records are.
type record struct {
	path, obj *ast.Term
	kind      string
}

// inserter is what the facts are added to: input.facts (an ast.Object),
// or the items one of side's steps adds, in order (factItems).
type inserter interface {
	Insert(k, v *ast.Term)
}

// factItems are items added in order, to be added to an object later.
type factItems [][2]*ast.Term

func (it *factItems) Insert(k, v *ast.Term) { *it = append(*it, [2]*ast.Term{k, v}) }

// side adds to out the facts of files under prefix ("" or "baseline_"),
// or nothing when the files are not as the engine makes them (a path that
// is not a string, a document that is a list). The facts of the
// documents are made on every CPU, each goroutine reading a run of files
// (and sharing its own equal values); then the values made of all the
// facts (summaries, state facts, dependencies, the index: each a walk
// over the facts of one kind or all), beside each other, each step's
// added to out in the steps' order (that of one walk after the other).
// Of scope fleetFacts it makes only those (see factScope).
func side(out ast.Object, prefix string, files *ast.Array, scope factScope) {
	sideRuns(out, prefix, files, min(runtime.GOMAXPROCS(0), max(1, files.Len()/factChunk)), scope)
}

// sideRuns is side with the documents' facts made over runs runs of
// files (TestFactsOfAnyRuns).
func sideRuns(out ast.Object, prefix string, files *ast.Array, runs int, scope factScope) {
	all := scope == allFacts
	n := files.Len()
	recsOf := make([][]record, runs)
	factsOf := make([][]*ast.Term, runs)
	okOf := make([]bool, runs)
	parallel.For(runs, func(k int) {
		recs, ok := records(files, k*n/runs, (k+1)*n/runs)
		if !ok {
			return
		}
		fb := newFactBuilder()
		facts := make([]*ast.Term, len(recs))
		for i, r := range recs {
			switch r.kind {
			case "Terraform":
				facts[i] = fb.terraform(r)
			case "GitRepository":
				facts[i] = fb.gitRepository(r)
			default:
				facts[i] = fb.other(r)
			}
		}
		recsOf[k], factsOf[k], okOf[k] = recs, facts, true
	})
	if slices.Contains(okOf, false) {
		return
	}
	var tf, git, other []*ast.Term
	tfOK, gitOK := true, true
	byKind := map[string][]*ast.Term{}
	for k, recs := range recsOf {
		for i, r := range recs {
			f := factsOf[k][i]
			switch r.kind {
			case "Terraform":
				tfOK = tfOK && f != nil
				tf = append(tf, f)
			case "GitRepository":
				gitOK = gitOK && f != nil
				git = append(git, f)
			default:
				byKind[r.kind] = append(byKind[r.kind], f)
			}
		}
	}
	// the library lists the other kinds in key order
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		other = append(other, byKind[k]...)
	}
	// each step adds its items to its own list, the lists to out in the
	// steps' order; the steps start longest first (the costs: their
	// milliseconds on one CPU at 1,000 environments), so that the last to
	// end is a short one
	type step struct {
		cost int
		run  func(out inserter)
	}
	var steps []step
	if tfOK {
		steps = append(steps, step{13, func(out inserter) {
			out.Insert(ast.StringTerm(prefix+"tf"), ast.ArrayTerm(tf...))
			if vs := tfVersions(tf); vs != nil {
				out.Insert(ast.StringTerm(prefix+"tf_versions"), vs) // facts_versions.go
			}
		}})
		if prefix == "" {
			steps = append(steps,
				step{20, func(out inserter) { tfSummaries(out, tf) }},     // facts_index.go
				step{64, func(out inserter) { stateFacts(out, tf, all) }}) // facts_state.go
		}
		if prefix == "" && all {
			steps = append(steps,
				step{43, func(out inserter) { out.Insert(tDeps, depFacts(tf)) }}, // facts_deps.go
				step{14, func(out inserter) {
					if recs := baseRecords(tf); recs != nil {
						out.Insert(tBaseRecords, recs)
					}
				}})
		}
	}
	if gitOK {
		steps = append(steps, step{3, func(out inserter) {
			out.Insert(ast.StringTerm(prefix+"git"), ast.ArrayTerm(git...))
			if prefix == "" {
				gitSummaries(out, git) // facts_index.go
			}
		}})
	}
	steps = append(steps, step{4, func(out inserter) {
		out.Insert(ast.StringTerm(prefix+"other"), ast.ArrayTerm(other...))
		if tfOK && gitOK {
			if idx := factIndex(tf, git, other); idx != nil {
				out.Insert(ast.StringTerm(prefix+"fact_index"), idx) // facts_index.go
			}
		}
	}})
	order := make([]int, len(steps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return steps[b].cost - steps[a].cost })
	items := make([]factItems, len(steps))
	parallel.For(len(order), func(k int) {
		i := order[k]
		steps[i].run(&items[i])
	})
	for _, it := range items {
		for _, kv := range it {
			out.Insert(kv[0], kv[1])
		}
	}
	if all {
		summaries(out, prefix) // facts_summaries.go
	}
}

// records returns the records of files[from:to], in order, or false
// when a file is not as the engine makes it (see side).
func records(files *ast.Array, from, to int) ([]record, bool) {
	var recs []record
	for i := from; i < to; i++ {
		fo, isObj := files.Elem(i).Value.(ast.Object)
		if !isObj {
			return nil, false
		}
		p, c := fo.Get(tPath), fo.Get(tContents)
		if p == nil || c == nil {
			return nil, false
		}
		if _, isStr := p.Value.(ast.String); !isStr {
			return nil, false
		}
		docs := []*ast.Term{c}
		if a, isArr := c.Value.(*ast.Array); isArr {
			docs = make([]*ast.Term, 0, a.Len())
			for j := range a.Len() {
				d := a.Elem(j)
				if _, nested := d.Value.(*ast.Array); nested {
					return nil, false // array.flatten would flatten it too
				}
				docs = append(docs, d)
			}
		}
		for _, d := range docs {
			o, isObj := d.Value.(ast.Object)
			if !isObj {
				continue
			}
			k, isStr := str(o.Get(tKind))
			if !isStr || k == "" {
				continue
			}
			recs = append(recs, record{path: p, obj: d, kind: k})
		}
	}
	return recs, true
}

// str returns t's string, if it is one.
func str(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// obj returns t's object, if it is one.
func obj(t *ast.Term) (ast.Object, bool) {
	if t == nil {
		return nil, false
	}
	o, ok := t.Value.(ast.Object)
	return o, ok
}

// orEmpty is lib._s: the string, else "".
func orEmpty(t *ast.Term) *ast.Term {
	if _, ok := str(t); ok {
		return t
	}
	return ast.StringTerm("")
}

// recordTerm is the library's record of r: {"path", "obj"}.
func recordTerm(r record) *ast.Term {
	return ast.ObjectTerm(ast.Item(tPath, r.path), ast.Item(tObj, r.obj))
}

// meta returns the name and namespace of an object, when both are
// strings.
func meta(o ast.Object) (m ast.Object, name, ns string, ok bool) {
	m, ok = obj(o.Get(tMetadata))
	if !ok {
		return nil, "", "", false
	}
	name, ok1 := str(m.Get(tName))
	ns, ok2 := str(m.Get(tNamespace))
	return m, name, ns, ok1 && ok2
}

// labelled reads what both fast paths need of r's object: the object, its
// metadata, name and namespace (strings) and its labels (an object).
func labelled(r record) (o, m ast.Object, name, ns string, l ast.Object, ok bool) {
	o = r.obj.Value.(ast.Object)
	if m, name, ns, ok = meta(o); !ok {
		return nil, nil, "", "", nil, false
	}
	l, ok = obj(m.Get(tLabels))
	return o, m, name, ns, l, ok
}

func isTier(t string) bool { return slices.Contains(factTiers, t) }

// terraform is _tf_fast's fact of r, or nil when the library's fast path
// would not take it (or Go leaves it to the library).
func (fb *factBuilder) terraform(r record) *ast.Term {
	o, m, name, ns, l, ok := labelled(r)
	if !ok {
		return nil
	}
	var lv [len(tfLabels)]string
	for i, k := range tfLabels {
		if lv[i], ok = str(l.Get(k)); !ok {
			return nil
		}
	}
	tier, comp, target, stack, account := lv[0], lv[1], lv[2], lv[3], lv[4]
	if !isTier(tier) || comp == "" {
		return nil
	}
	spec := o.Get(tSpec)
	s, ok := obj(spec)
	if !ok {
		return nil
	}
	path, ok := str(s.Get(tPath))
	if !ok {
		return nil
	}
	sr, ok := obj(s.Get(tSourceRef))
	if !ok {
		return nil
	}
	sk, ok1 := str(sr.Get(tKind))
	sns, ok2 := str(sr.Get(tNamespace))
	sn, ok3 := str(sr.Get(tName))
	if !ok1 || !ok2 || !ok3 || sk == "" || sns == "" || sn == "" {
		return nil
	}
	api := o.Get(tAPIVersion)
	if api == nil {
		return nil
	}
	quiet := false
	if a := s.Get(tApprovePlan); a != nil {
		v, _ := str(a)
		quiet = v == "auto" || v == "disable"
	}
	vs := s.Get(tVars)
	if vs == nil {
		return nil
	}
	va, ok := vs.Value.(*ast.Array)
	if !ok || va.Len() == 0 {
		return nil
	}
	names := fb.names[:0]
	for i := range va.Len() {
		n, ok := fb.varName(va.Elem(i))
		if !ok {
			return nil
		}
		names = append(names, n)
	}
	fb.names = names
	x := fb.tfShape(tier, comp, target, stack, account, path, sk, sns, quiet, api)
	y := fb.layout(names)
	key := ast.StringTerm("Terraform/" + ns + "/" + name)
	src := fb.source(sk, sns, sn)
	return ast.ObjectTerm(
		ast.Item(tR, recordTerm(r)), ast.Item(tKind, tTerraform), ast.Item(tName, m.Get(tName)),
		ast.Item(tNS, m.Get(tNamespace)), ast.Item(tKey, key), ast.Item(tSpec, spec),
		ast.Item(tX, x), ast.Item(tVS, vs), ast.Item(tY, y), ast.Item(tSrc, src),
	)
}

// source is the "src" of a Terraform whose sourceRef has that kind,
// namespace and name, one term per distinct value (the Terraforms of an
// environment share their source).
func (fb *factBuilder) source(sk, sns, sn string) *ast.Term {
	fb.key = append(append(append(append(append(fb.key[:0], sk...), 0), sns...), 0), sn...)
	if src, ok := fb.sources[string(fb.key)]; ok {
		return src
	}
	src := ast.ObjectTerm(
		ast.Item(tKind, ast.StringTerm(sk)), ast.Item(tNamespace, ast.StringTerm(sns)),
		ast.Item(tName, ast.StringTerm(sn)), ast.Item(tKey, ast.StringTerm(sk+"/"+sns+"/"+sn)),
	)
	fb.sources[string(fb.key)] = src
	return src
}

// varName is the name of a var entry, when it is an object with a string
// name (looked up once per entry: the converter shares equal entries).
func (fb *factBuilder) varName(e *ast.Term) (string, bool) {
	if n, ok := fb.varNames[e]; ok {
		return n, true
	}
	o, ok := obj(e)
	if !ok {
		return "", false
	}
	n, ok := str(o.Get(tName))
	if ok {
		fb.varNames[e] = n
	}
	return n, ok
}

// tfShape is _tf_shape's "x", one term per distinct value.
func (fb *factBuilder) tfShape(tier, comp, target, stack, account, path, sk, sns string, quiet bool, api *ast.Term) *ast.Term {
	fb.key = fb.key[:0]
	for _, s := range []string{tier, comp, target, stack, account, path, sk, sns, api.String()} {
		fb.key = append(append(fb.key, s...), 0)
	}
	if quiet {
		fb.key = append(fb.key, 1)
	}
	if x, ok := fb.shapes[string(fb.key)]; ok {
		return x
	}
	eks := stack == factEKSStack || strings.Contains(path, factEKSStack)
	x := ast.ObjectTerm(
		ast.Item(ast.StringTerm("tier"), ast.StringTerm(tier)),
		ast.Item(ast.StringTerm("comp"), ast.StringTerm(comp)),
		ast.Item(ast.StringTerm("base"), ast.BooleanTerm(comp == "eks" || comp == "base")),
		ast.Item(ast.StringTerm("target"), ast.StringTerm(target)),
		ast.Item(ast.StringTerm("stack"), ast.StringTerm(stack)),
		ast.Item(ast.StringTerm("account"), ast.StringTerm(account)),
		ast.Item(ast.StringTerm("eks"), ast.BooleanTerm(eks)),
		ast.Item(ast.StringTerm("quiet"), ast.BooleanTerm(quiet)),
		ast.Item(ast.StringTerm("source_kind"), ast.StringTerm(sk)),
		ast.Item(ast.StringTerm("source_ns"), ast.StringTerm(sns)),
		ast.Item(tAPI, api),
	)
	fb.shapes[string(fb.key)] = x
	return x
}

// layout is _named_layout's "y" of the var names, one term per distinct
// list.
func (fb *factBuilder) layout(names []string) *ast.Term {
	fb.key = fb.key[:0]
	for _, n := range names {
		fb.key = append(append(fb.key, n...), 0)
	}
	if y, ok := fb.layouts[string(fb.key)]; ok {
		return y
	}
	vm := ast.NewObject()
	secret := false
	for i, n := range names {
		vm.Insert(ast.StringTerm(n), ast.IntNumberTerm(i)) // the last of a name wins
		secret = secret || contract.SecretName(n)
	}
	y := ast.ObjectTerm(
		ast.Item(ast.StringTerm("n"), ast.IntNumberTerm(len(names))),
		ast.Item(ast.StringTerm("vm"), ast.NewTerm(vm)),
		ast.Item(ast.StringTerm("secret"), ast.BooleanTerm(secret)),
	)
	fb.layouts[string(fb.key)] = y
	return y
}

// gitRepository is _git_fast's fact of r, or nil.
func (fb *factBuilder) gitRepository(r record) *ast.Term {
	o, m, name, ns, l, ok := labelled(r)
	if !ok {
		return nil
	}
	tier, ok := str(l.Get(tTier))
	if !ok || !isTier(tier) {
		return nil
	}
	stack := l.Get(tStack)
	spec := o.Get(tSpec)
	s, ok := obj(spec)
	api := o.Get(tAPIVersion)
	if stack == nil || !ok || api == nil {
		return nil
	}
	url, ref := s.Get(tURL), s.Get(tRef)
	if url == nil || ref == nil {
		return nil
	}
	if _, ok := obj(ref); !ok {
		ref = ast.ObjectTerm()
	}
	x := ast.ObjectTerm(
		ast.Item(ast.StringTerm("tier"), ast.StringTerm(tier)),
		ast.Item(ast.StringTerm("stack"), orEmpty(stack)),
		ast.Item(tAPI, api),
		ast.Item(ast.StringTerm("url"), url),
		ast.Item(ast.StringTerm("ref"), ref),
	)
	return ast.ObjectTerm(
		ast.Item(tR, recordTerm(r)), ast.Item(tKind, tGitRepository), ast.Item(tName, m.Get(tName)),
		ast.Item(tNS, m.Get(tNamespace)), ast.Item(tKey, ast.StringTerm("GitRepository/"+ns+"/"+name)),
		ast.Item(tSpec, spec), ast.Item(tX, x),
	)
}

// other is _other_facts' fact of r (a kind other than Terraform and
// GitRepository).
func (fb *factBuilder) other(r record) *ast.Term {
	o := r.obj.Value.(ast.Object)
	var name, ns string
	if m, ok := obj(o.Get(tMetadata)); ok {
		name, _ = str(m.Get(tName))
		ns, _ = str(m.Get(tNamespace))
	}
	api := o.Get(tAPIVersion)
	if api == nil {
		api = ast.NullTerm()
	}
	return ast.ObjectTerm(
		ast.Item(tR, recordTerm(r)), ast.Item(tKind, ast.StringTerm(r.kind)), ast.Item(tAPI, api),
		ast.Item(tName, ast.StringTerm(name)), ast.Item(tNS, ast.StringTerm(ns)),
		ast.Item(tKey, ast.StringTerm(r.kind+"/"+ns+"/"+name)),
	)
}
