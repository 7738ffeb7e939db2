package policies

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/parallel"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/templates"
)

// Options configure an Engine.
type Options struct {
	// UserDirs are folders (or files) of the user's own policies.
	UserDirs []string
	// Combine gives user policies the combined input (the array of
	// {path, contents}) instead of one document at a time.
	Combine bool
	// NoBuiltin skips the embedded rules (only user policies run).
	NoBuiltin bool
	// Limits bound the evaluation of the user policies; zero fields take
	// the defaults.
	Limits Limits
	// RegoVersion is the syntax of the user policies ("": RegoV1).
	RegoVersion RegoVersion
	// Trace, when set, lets the user policies call print() and receives
	// its output, one "file:line: text" line per call (--trace).
	Trace io.Writer
}

// Engine evaluates the policies. It is prepared once and may evaluate many
// runs; it is safe for concurrent use.
type Engine struct {
	// ready is closed once the policies are compiled (Start compiles them
	// in the background); err is then the compile error, if any.
	ready chan struct{}
	err   error

	batch *batch // the embedded rules
	// batchAfter and batchObjects: from how many objects (manifests and
	// baseline) the embedded rules are evaluated in batches of
	// environments, and how many objects a batch holds (batches.go)
	batchAfter, batchObjects int
	user                     *rego.PreparedEvalQuery
	combine                  bool
	rules                    []finding.Rule
	userRules                map[string]bool
	limits                   Limits
	// reserved are the ids of fluxtf's own rules, which a user policy
	// may not report (it would shadow them)
	reserved map[string]bool
	// userFiles are the user policy files, and pkgFiles the file of each
	// user package, for errors
	userFiles []string
	pkgFiles  map[string]string
	// python is context.pythonRuntimes: templates/functions-python.yaml
	// as the rules read it
	python *ast.Term

	// workers is how many goroutines evaluate batches at once (0:
	// GOMAXPROCS; batches.go)
	workers int
}

// builtinQuery collects every embedded rule's results in one evaluation.
const builtinQuery = `x := {
	"deny": [r | some r in data.fluxtf.rules[_].deny],
	"warn": [r | some r in data.fluxtf.rules[_].warn],
}`

// New loads, sandboxes, compiles and prepares the policies.
func New(ctx context.Context, opts Options) (*Engine, error) {
	e := Start(ctx, opts)
	if err := e.Wait(); err != nil {
		return nil, err
	}
	return e, nil
}

// Start is New with the compilation in the background (it takes tens of
// milliseconds, a good part of a pre-commit hook's run), so that the
// caller can read and render manifests meanwhile. Every method waits for
// it; Wait returns its error.
func Start(ctx context.Context, opts Options) *Engine {
	e := &Engine{ready: make(chan struct{})}
	go func() {
		defer close(e.ready)
		defer func() {
			if r := recover(); r != nil {
				e.err = fmt.Errorf("internal error compiling the policies: %v", r)
			}
		}()
		e.err = e.compile(ctx, opts)
	}()
	return e
}

// Wait waits until the policies are compiled and returns the error of
// loading or compiling them, if any.
func (e *Engine) Wait() error {
	<-e.ready
	return e.err
}

func (e *Engine) compile(ctx context.Context, opts Options) error {
	e.combine, e.userRules, e.limits = opts.Combine, map[string]bool{}, opts.Limits.withDefaults()
	e.batchAfter, e.batchObjects = defaultBatchAfter, defaultBatchObjects
	caps := sandboxCapabilities()
	embedded, err := loadEmbedded()
	if err != nil {
		return err
	}
	lib := embedded.lib
	if e.python, err = pythonRuntimesTerm(templates.Embedded()); err != nil {
		return err
	}
	if !opts.NoBuiltin {
		rules := embedded.rules
		if e.rules, err = rulesOf(rules); err != nil {
			return err
		}
		if e.batch, err = prepareBatch(ctx, caps, lib, rules); err != nil {
			return fmt.Errorf("embedded policies: %w", err)
		}
	}
	if len(opts.UserDirs) > 0 {
		user, _, err := loadModulesVersion(nil, opts.UserDirs, false, opts.RegoVersion)
		if err != nil {
			return err
		}
		if len(user) == 0 {
			return fmt.Errorf("no .rego policies in %s", strings.Join(opts.UserDirs, ", "))
		}
		var allow []string
		if opts.Trace != nil {
			allow = printBuiltins
		}
		if err := checkSandbox(user, allow...); err != nil {
			return err
		}
		if e.reserved, err = reservedIDs(e.rules, opts.NoBuiltin); err != nil {
			return err
		}
		if err := checkReservedIDs(user, e.reserved); err != nil {
			return err
		}
		query, rules := userQuery(user)
		if query == "" {
			return fmt.Errorf("no deny, warn or violation rules in %s", strings.Join(opts.UserDirs, ", "))
		}
		for _, r := range rules {
			e.userRules[r.ID] = true
			e.rules = append(e.rules, r)
		}
		e.userFiles, e.pkgFiles = policyFiles(user)
		var extra []func(*rego.Rego)
		if opts.Trace != nil {
			caps = sandboxCapabilities(printBuiltins...)
			extra = append(extra, rego.EnablePrintStatements(true), rego.PrintHook(&printHook{w: opts.Trace}))
		}
		if err := checkResultRules(user); err != nil {
			return err
		}
		q, err := prepare(ctx, query, caps, extra, lib, user)
		if err != nil {
			return resultRuleError(err, user)
		}
		e.user = q
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })
	return nil
}

// prepare prepares the user policies' query. Stack traces cost nothing
// until an evaluation fails, and then locate where (Engine.where).
func prepare(ctx context.Context, query string, caps *ast.Capabilities, extra []func(*rego.Rego), sets ...map[string]*ast.Module) (*rego.PreparedEvalQuery, error) {
	opts := []func(*rego.Rego){
		rego.Query(query),
		rego.Capabilities(caps),
		rego.EnablePrintStatements(false),
		rego.StrictBuiltinErrors(false),
		rego.StackTraces(true),
	}
	opts = append(opts, extra...)
	for _, set := range sets {
		for _, name := range sortedModuleNames(set) {
			opts = append(opts, rego.ParsedModule(set[name]))
		}
	}
	q, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		return nil, compileError(err)
	}
	return &q, nil
}

// compileError flattens OPA's compile errors into one line each.
func compileError(err error) error {
	var errs ast.Errors
	if errors.As(err, &errs) {
		lines := make([]string, 0, len(errs))
		for _, e := range errs {
			where := ""
			if e.Location != nil {
				where = fmt.Sprintf("%s:%d: ", e.Location.File, e.Location.Row)
			}
			lines = append(lines, where+e.Message)
		}
		return errors.New(strings.Join(lines, "\n"))
	}
	return err
}

// userQuery builds one query over every deny/warn/violation rule (and their
// deny_<name> forms) of the user's packages, as conftest finds them.
func userQuery(mods map[string]*ast.Module) (string, []finding.Rule) {
	type entry struct{ pkg, rule string }
	seen := map[entry]bool{}
	var entries []entry
	ruleIDs := map[string]finding.Severity{}
	meta := map[string]*ast.Annotations{} // a package's METADATA, if any
	for _, name := range sortedModuleNames(mods) {
		m := mods[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		for _, a := range m.Annotations {
			if a.Scope == "package" && meta[pkg] == nil {
				meta[pkg] = a
			}
		}
		for _, r := range m.Rules {
			rn := r.Head.Name.String()
			if rn == "" && len(r.Head.Reference) > 0 {
				rn = r.Head.Reference[0].String()
			}
			sev, ok := userSeverity(rn)
			if !ok {
				continue
			}
			en := entry{pkg, rn}
			if !seen[en] {
				seen[en] = true
				entries = append(entries, en)
			}
			if old, ok := ruleIDs[pkg]; !ok || old == finding.Warn {
				ruleIDs[pkg] = sev
			}
		}
	}
	if len(entries) == 0 {
		return "", nil
	}
	parts := make([]string, len(entries))
	for i, en := range entries {
		parts[i] = fmt.Sprintf("[{\"package\": %q, \"rule\": %q, \"result\": r} | some r in data.%s.%s]", en.pkg, en.rule, en.pkg, en.rule)
	}
	var rules []finding.Rule
	for id, sev := range ruleIDs {
		rules = append(rules, userRule(id, sev, meta[id]))
	}
	return "x := array.concat(" + nestConcat(parts) + ")", rules
}

// resultRuleMsg says how fluxtf, as conftest, reads deny, warn and
// violation rules.
const resultRuleMsg = "fluxtf, as conftest, reads deny, warn and violation rules as sets of messages (strings or objects with msg): write `%s contains msg if { … }`"

// checkResultRules refuses, at its line, a deny/warn/violation rule that
// cannot hold findings: a function (deny(x)), or a single value that is
// a string, number, boolean or null (deny := "no"). The query over them
// failed with OPA's error about its own variables, at no file (":1:
// undefined ref: data.main.deny[__localq0__]").
func checkResultRules(modules map[string]*ast.Module) error {
	var msgs []string
	for _, rr := range resultRules(modules) {
		r := rr.rule
		why := ""
		switch {
		case len(r.Head.Args) > 0:
			why = "is a function"
		case r.Head.RuleKind() == ast.SingleValue && r.Head.Value != nil && len(r.Head.Reference) <= 1:
			switch r.Head.Value.Value.(type) {
			case ast.String, ast.Number, ast.Boolean, ast.Null:
				why = "is a single " + ast.ValueName(r.Head.Value.Value)
			}
		}
		if why != "" {
			msgs = append(msgs, fmt.Sprintf("%s: %s.%s %s; "+resultRuleMsg, locate(rr.module, r.Location), rr.pkg, rr.name, why, rr.name))
		}
	}
	if len(msgs) > 0 {
		return errors.New(strings.Join(slices.Compact(msgs), "\n"))
	}
	return nil
}

// resultRule is a deny, warn or violation rule of a user module: the
// module's name, its package (no "data.") and the rule's name.
type resultRule struct {
	module, pkg, name string
	rule              *ast.Rule
}

// resultRules returns the deny, warn and violation rules of modules, in
// the modules' sorted order.
func resultRules(modules map[string]*ast.Module) []resultRule {
	var out []resultRule
	for _, name := range sortedModuleNames(modules) {
		m := modules[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		for _, r := range m.Rules {
			rn := r.Head.Name.String()
			if rn == "" && len(r.Head.Reference) > 0 {
				rn = r.Head.Reference[0].String()
			}
			if _, ok := userSeverity(rn); ok {
				out = append(out, resultRule{module: name, pkg: pkg, name: rn, rule: r})
			}
		}
	}
	return out
}

// resultRuleError places the errors of the user query (they name no
// file) at the first deny/warn/violation rule they are about, with how
// such a rule is written; other errors are returned as they are.
func resultRuleError(err error, modules map[string]*ast.Module) error {
	lines := strings.Split(err.Error(), "\n")
	rules := resultRules(modules)
	changed := false
	for i, line := range lines {
		if !strings.HasPrefix(line, ":") {
			continue
		}
		msg := strings.TrimLeft(strings.TrimLeft(line, ":0123456789"), " ")
		for _, rr := range rules {
			ref := "data." + rr.pkg + "." + rr.name
			if strings.Contains(msg, ref+"[") || strings.HasSuffix(msg, ref) || strings.Contains(msg, ref+" ") {
				lines[i] = fmt.Sprintf("%s: %s.%s cannot hold findings (%s); "+resultRuleMsg, locate(rr.module, rr.rule.Location), rr.pkg, rr.name, msg, rr.name)
				changed = true
				break
			}
		}
	}
	if !changed {
		return err
	}
	return errors.New(strings.Join(lines, "\n"))
}

// userRule describes a user package's rule: its title, description and
// custom.fix from the package's METADATA block (as fluxtf's own rules
// have), else generic text.
func userRule(id string, sev finding.Severity, a *ast.Annotations) finding.Rule {
	r := finding.Rule{ID: id, Severity: sev, Title: "User policy " + id, Rationale: "A policy from the --policy folder.", Fix: "See the policy's message.", Source: "user"}
	if a == nil {
		return r
	}
	if t := strings.TrimSpace(a.Title); t != "" {
		r.Title = t
	}
	if d := strings.TrimSpace(a.Description); d != "" {
		r.Rationale = d
	}
	if f, _ := a.Custom["fix"].(string); strings.TrimSpace(f) != "" {
		r.Fix = strings.TrimSpace(f)
	}
	return r
}

// Rules lists every rule the engine runs, its own and the --policy ones
// (their METADATA when they have it), sorted by id.
func (e *Engine) Rules() ([]finding.Rule, error) {
	if err := e.Wait(); err != nil {
		return nil, err
	}
	return append([]finding.Rule(nil), e.rules...), nil
}

func nestConcat(parts []string) string {
	if len(parts) == 1 {
		return parts[0] + ", []"
	}
	acc := parts[0]
	for _, p := range parts[1:] {
		acc = "array.concat(" + acc + ", " + p + ")"
	}
	return acc + ", []"
}

func userSeverity(rule string) (finding.Severity, bool) {
	for _, p := range []struct {
		prefix string
		sev    finding.Severity
	}{{"deny", finding.Deny}, {"violation", finding.Deny}, {"warn", finding.Warn}} {
		if rule == p.prefix || strings.HasPrefix(rule, p.prefix+"_") {
			return p.sev, true
		}
	}
	return "", false
}

// Input is one run's documents.
type Input struct {
	Docs []*manifest.Doc
	// Baseline holds the baseline documents; nil means no baseline.
	Baseline []*manifest.Doc
	// RepositoryURL is the normalised URL of the repository being checked,
	// when known.
	RepositoryURL string
	// Accounts maps each tier to its AWS account aliases (a trailing *
	// matches a prefix), from the specs folder; nil means the defaults of
	// account-by-tier.
	Accounts map[string][]string
	// Now decides whether waivers have expired.
	Now time.Time
	// MaxWaiverDays is how many days after Now a waiver may expire
	// (0: DefaultMaxWaiverDays).
	MaxWaiverDays int
	// Extra are findings made before evaluation (schema checks); waivers
	// apply to them too.
	Extra []finding.Finding
	// python is the Python runtime table the engine passes (nil: the
	// rules' own copy)
	python *ast.Term
	// EKSVersions is the EKS release calendar the rules eks-standard-support
	// and eks-extended-support read (context.eksVersions, with Now as
	// context.today); nil leaves both rules silent. The CLI passes the
	// templates' calendar (templates/eks-versions.yaml).
	EKSVersions *templates.EKSVersions
	// SpecsDir is the specs folder of the generated objects, when known:
	// the findings of a spec waiver are reported at its line there.
	SpecsDir string
	// Live is what the cluster says (--live FILE): input.live, which
	// live-unapplied compares the objects with; nil leaves it silent.
	Live *live.Set
	// live is Live as the rules read it
	live *ast.Term
}

// Evaluate runs every policy over the input and returns the findings,
// located and with waivers applied, and the rules that ran. It reads
// nothing: package pipeline reads the documents and the baseline
// (internal/runinput) and words the report's notes.
func (e *Engine) Evaluate(ctx context.Context, in Input) (*finding.Report, error) {
	if err := e.Wait(); err != nil {
		return nil, err
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	rep := &finding.Report{Rules: append([]finding.Rule(nil), e.rules...), Objects: len(in.Docs)}
	rep.Findings = append(rep.Findings, in.Extra...)
	cur, err := convertDocs(in.Docs)
	if err != nil {
		return nil, err
	}
	var base *converted
	var deny, warn []any
	if in.Baseline != nil && e.batch != nil {
		if base, err = convertDocs(in.Baseline); err != nil {
			return nil, err
		}
	}
	if e.batch != nil {
		in.python = e.python
		if in.Live != nil {
			if in.live, err = liveValue(in.Live); err != nil {
				return nil, err
			}
		}
		if deny, warn, err = e.evalBuiltin(ctx, in, cur, base); err != nil {
			return nil, fmt.Errorf("evaluate policies: %w", err)
		}
		collectAfterEval(len(in.Docs) + len(in.Baseline))
	}
	// the index that locates the findings is made once the rules have
	// run: not alive beside their values (28 MiB at 10,000 environments)
	idx := newDocIndex(in.Docs)
	rep.Findings = append(rep.Findings, idx.findings(deny, warn)...)
	if e.user != nil {
		found, err := e.evalUserBounded(ctx, in.Docs, cur, idx)
		if err != nil {
			return nil, err
		}
		rep.Findings = append(rep.Findings, found...)
	}
	known := map[string]bool{}
	for _, r := range e.rules {
		known[r.ID] = true
	}
	for _, f := range rep.Findings {
		known[f.Rule] = true // user policies name their rules in results
	}
	applyWaivers(rep, idx, in.Now, in.MaxWaiverDays, in.SpecsDir, func(id string) bool { return known[id] })
	rep.Sort()
	return rep, nil
}

// evalBuiltin evaluates the embedded rules over the documents (cur) and
// the baseline (base, nil for none): in batches of environments when the
// input is large enough and can be split (batches.go), on up to
// Engine.workers goroutines at once, else at once.
func (e *Engine) evalBuiltin(ctx context.Context, in Input, cur, base *converted) (deny, warn []any, err error) {
	// the values of the whole input (and its facts, input.facts) are made
	// only for an evaluation at once: in batches, each batch's are made for
	// it (batchInputOf)
	whole := func() ast.Value { return builtinInput(in, cur, base) }
	workers := e.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := e.batchSize(len(in.Docs)+len(in.Baseline), workers)
	if size == 0 {
		return e.batch.eval(ctx, whole())
	}
	parts, ok := partition(in.Docs, in.Baseline, cur, base, size)
	if !ok || parts.n < 2 {
		return e.batch.eval(ctx, whole())
	}
	// What reading the input left (its parse trees, the converter's
	// tables) is garbage now, yet sets the collector's goal, twice the heap
	// it marked last: collecting once sets it from what the batches keep
	// (the input), which is what bounds the peak of a large run. At 10,000
	// environments, without it, the goal set by the reading was the run's
	// peak RSS.
	runtime.GC()
	input := func(i int, scope factScope) ast.Value { return batchInputOf(in, cur, base, parts, i, scope) }
	deny, warn, ok, err = e.batch.evalBatches(ctx, parts.n, input, base != nil, workers)
	if err != nil || ok {
		return deny, warn, err
	}
	return e.batch.eval(ctx, whole())
}

// batchSize is how many objects a batch holds when evalBuiltin evaluates
// an input of objects on workers goroutines: from batchAfter objects,
// batchObjects, or an eighth of that on two goroutines (a sixteenth on
// four...: the batches run beside each other, and in check beside the
// render, so that a quarter of batchObjects is evaluated at once); else
// 0 (at once). At 10,000 environments on 2 CPUs, batches of 4,000
// objects kept the peak RSS within a tenth of the one-batch-at-a-time
// run's, 8,000 did not; 2,000 (mem10k) took validate's from 889-911 to
// 753-808 MiB for the same allocations (+0.4% bytes, -0.6% objects).
func (e *Engine) batchSize(objects, workers int) int {
	switch {
	case objects < e.batchAfter:
		return 0
	case workers <= 1:
		return e.batchObjects
	}
	return max(1, e.batchObjects/(4*workers))
}

// batchInputOf is the input of batch i of parts: its files and baseline
// files, with the run's context and the facts of scope. Their values are
// made for it (one materializer for both, so that a baseline document
// that shares a current one's value, ShareBaseline, shares the value
// made), and are garbage once the batch's evaluation is done.
func batchInputOf(in Input, cur, base *converted, parts batches, i int, scope factScope) ast.Value {
	m := newMaterializer()
	files := cur.batchFiles(m, parts.cur, i)
	var baseFiles *ast.Array
	if base != nil {
		baseFiles = base.batchFiles(m, parts.base, i)
	}
	return inputOf(in, files, baseFiles, cur.hints, scope)
}

// gcAfterObjects is how many objects make Evaluate collect the garbage
// once the embedded rules have run (collectAfterEval).
const gcAfterObjects = 5000

// collectAfterEval collects the garbage once the embedded rules have run
// over a large input (objects of the manifests and the baseline, at least
// gcAfterObjects). The evaluation's working values (the facts the rule
// library derives for every object, the rules' caches) are then most of
// the heap, and garbage; the collector's goal, set from them while they
// were alive, is twice their size, so what follows (locating the
// findings, waivers, the report, and in check the output) would grow the
// heap to it before any collection. Collecting now sets the goal from
// what is left. At 10,000 environments this keeps the peak RSS of a
// check about 0.5 GiB lower, for one collection. Below gcAfterObjects it
// is not worth its time: runtime.GC returns only when the whole heap is
// marked, and the report waits for it; the 1,000-file corpus of
// docs/benchmarks.md (2,000 objects, a heap of some 50 MiB) spent tens of
// milliseconds there to save a few MiB (TestEvaluateSmallRunCollectsNothing).
func collectAfterEval(objects int) {
	if objects >= gcAfterObjects {
		runtime.GC()
	}
}

// builtinInput is the embedded rules' input (docs/policies.md): the files,
// the baseline (base, nil for none) and the context, every value made.
func builtinInput(in Input, cur, base *converted) ast.Object {
	var baseFiles *ast.Array
	if base != nil {
		baseFiles = base.filesOf(base.terms())
	}
	return inputOf(in, cur.filesOf(cur.terms()), baseFiles, cur.hints, allFacts)
}

// inputOf is builtinInput of the files and baseline files given (nil:
// no baseline), with the context of the run (h: the hints of all its
// documents, also when the files are a batch of them).
func inputOf(in Input, files, baseFiles *ast.Array, h *hints, scope factScope) ast.Object {
	input := ast.NewObject(ast.Item(ast.InternedTerm("files"), ast.NewTerm(files)))
	if baseFiles != nil {
		input.Insert(ast.InternedTerm("baseline"), ast.NewTerm(baseFiles))
	}
	if in.live != nil {
		input.Insert(ast.InternedTerm("live"), in.live)
	}
	if facts := engineFacts(files, baseFiles, scope); facts != nil {
		input.Insert(ast.InternedTerm("facts"), facts)
	}
	cx := ast.NewObject()
	if in.RepositoryURL != "" {
		cx.Insert(ast.InternedTerm("repositoryURL"), ast.StringTerm(in.RepositoryURL))
	}
	if !h.credential {
		cx.Insert(ast.InternedTerm("noCredentialHint"), ast.InternedTerm(true))
	}
	if len(in.Accounts) > 0 {
		accounts := ast.NewObject()
		for tier, aliases := range in.Accounts {
			terms := make([]*ast.Term, len(aliases))
			for i, a := range aliases {
				terms[i] = ast.StringTerm(a)
			}
			accounts.Insert(ast.StringTerm(tier), ast.ArrayTerm(terms...))
		}
		cx.Insert(ast.InternedTerm("accounts"), ast.NewTerm(accounts))
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	cx.Insert(ast.InternedTerm("today"), ast.StringTerm(now.UTC().Format(time.DateOnly)))
	if in.python != nil {
		cx.Insert(ast.InternedTerm("pythonRuntimes"), in.python)
	}
	if in.EKSVersions != nil {
		cx.Insert(ast.InternedTerm("eksVersions"), ast.NewTerm(calendarValue(in.EKSVersions)))
	}
	keys := h.sortedListKeys()
	terms := make([]*ast.Term, len(keys))
	for i, k := range keys {
		terms[i] = ast.StringTerm(k)
	}
	cx.Insert(ast.InternedTerm("keysInLists"), ast.ArrayTerm(terms...))
	if cx.Len() > 0 {
		input.Insert(ast.InternedTerm("context"), ast.NewTerm(cx))
	}
	return input
}

// calendarValue is the EKS release calendar as the rules read it:
// version -> {release, endOfStandardSupport, endOfExtendedSupport}.
func calendarValue(c *templates.EKSVersions) ast.Value {
	obj := ast.NewObject()
	for _, v := range c.Versions {
		obj.Insert(ast.StringTerm(v.Version), ast.ObjectTerm(
			ast.Item(ast.StringTerm("release"), ast.StringTerm(v.Release)),
			ast.Item(ast.StringTerm("endOfStandardSupport"), ast.StringTerm(v.EndOfStandardSupport)),
			ast.Item(ast.StringTerm("endOfExtendedSupport"), ast.StringTerm(v.EndOfExtendedSupport)),
		))
	}
	return obj
}

func (e *Engine) evalUser(ctx context.Context, docs []*manifest.Doc, cur *converted, idx *docIndex) ([]finding.Finding, error) {
	var out []finding.Finding
	var of []*manifest.Doc // the document of each finding, to locate
	collect := func(rs rego.ResultSet, doc *manifest.Doc) error {
		if len(rs) != 1 {
			return nil
		}
		list, _ := rs[0].Bindings["x"].([]any)
		for _, item := range list {
			m, _ := item.(map[string]any)
			pkg, _ := m["package"].(string)
			rule, _ := m["rule"].(string)
			sev, _ := userSeverity(rule)
			f, d := idx.resolve(m["result"], sev, pkg, doc)
			if err := userIDError(e.pkgFiles[pkg], pkg, f.Rule, e.reserved); err != nil {
				return err
			}
			out, of = append(out, f), append(of, d)
		}
		return nil
	}
	terms := cur.terms()
	if e.combine {
		rs, err := e.user.Eval(ctx, rego.EvalParsedInput(cur.filesOf(terms)))
		if err != nil {
			return nil, fmt.Errorf("evaluate user policies: %w", err)
		}
		if err := collect(rs, nil); err != nil {
			return nil, err
		}
		return locateFindings(out, of), nil
	}
	for i, d := range docs {
		rs, err := e.user.Eval(ctx, rego.EvalParsedInput(terms[i].Value))
		if err != nil {
			return nil, fmt.Errorf("evaluate user policies on %s: %w", d.File, err)
		}
		if err := collect(rs, d); err != nil {
			return nil, err
		}
	}
	return locateFindings(out, of), nil
}

// converted is documents as the policies' input, their values kept
// compact (lazy.go) until an evaluation makes them (terms, batchFiles).
type converted struct {
	// docs are the documents' values, in order.
	docs []ref
	// hints: what the documents' strings and keys say (see hints).
	hints *hints
	// starts: the index in docs of the first document of each entry of
	// the files ([{path, contents}], the documents grouped by file in
	// order; contents is the object, or a list for several), and paths
	// the path of each
	starts []int
	paths  []string
}

// convertDocs assembles the policies' input from the documents: their
// Values when Load converted them (manifest.Options.Convert), else their
// Objects, converted here (by OPA's ast.InterfaceToValue under
// FLUXTF_SLOW: internal/fastpath).
func convertDocs(docs []*manifest.Doc) (*converted, error) {
	// on every CPU, each converting a run of documents and sharing the
	// parts they repeat
	objs := make([]ref, len(docs))
	errs := make([]error, len(docs))
	chunks := min(runtime.GOMAXPROCS(0), max(1, len(docs)/64))
	chunkHints := make([]*hints, chunks)
	fast := fastpath.Enabled(fastpath.Convert) // else OPA's own conversion (FLUXTF_SLOW)
	parallel.For(chunks, func(k int) {
		c := newConverter()
		chunkHints[k] = c.hints
		seen := map[*hints]bool{}
		for i := k * len(docs) / chunks; i < (k+1)*len(docs)/chunks; i++ {
			if iv, ok := docs[i].Value.(*inputValue); ok { // converted as it was read
				objs[i] = iv.r
				if iv.hints != nil && !seen[iv.hints] {
					seen[iv.hints] = true
					chunkHints[k].merge(iv.hints)
				}
				continue
			}
			var n node
			var err error
			if fast {
				n, err = c.node(docs[i].Object)
				fastpath.Hit(fastpath.Convert)
			} else {
				var v ast.Value
				if v, err = referenceValue(docs[i].Object, c.hints); err == nil {
					n = c.add(ast.NewTerm(v))
				}
			}
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", docs[i].File, err)
				continue
			}
			objs[i] = c.ref(n)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var starts []int
	var paths []string
	for i := 0; i < len(docs); {
		starts, paths = append(starts, i), append(paths, docs[i].File)
		j := i
		for j < len(docs) && docs[j].File == docs[i].File {
			j++
		}
		i = j
	}
	all := newHints()
	for _, h := range chunkHints {
		all.merge(h)
	}
	return &converted{docs: objs, hints: all, starts: starts, paths: paths}, nil
}

// terms makes the values of every document, on a goroutine per dag (per
// goroutine of the Load that converted them), each distinct value of a
// dag once.
func (c *converted) terms() []*ast.Term {
	out := make([]*ast.Term, len(c.docs))
	var dags []*dag
	of := map[*dag][]int{}
	for i, r := range c.docs {
		if _, ok := of[r.d]; !ok {
			dags = append(dags, r.d)
		}
		of[r.d] = append(of[r.d], i)
	}
	parallel.For(len(dags), func(k int) {
		m := newDagMaterializer(dags[k])
		for _, i := range of[dags[k]] {
			out[i] = m.term(c.docs[i])
		}
	})
	return out
}

// entry is entry e of the files: {path, contents}, with the values of its
// documents vals.
func (c *converted) entry(e int, vals []*ast.Term) *ast.Term {
	contents := vals[0]
	if len(vals) > 1 {
		contents = ast.ArrayTerm(vals...)
	}
	return ast.ObjectTerm(
		ast.Item(ast.InternedTerm("path"), ast.StringTerm(c.paths[e])),
		ast.Item(ast.InternedTerm("contents"), contents),
	)
}

// end is the index in docs after the last document of entry e.
func (c *converted) end(e int) int {
	if e+1 < len(c.starts) {
		return c.starts[e+1]
	}
	return len(c.docs)
}

// filesOf is the files of every entry, with the documents' values terms
// (terms), on every CPU over runs of entries.
func (c *converted) filesOf(terms []*ast.Term) *ast.Array {
	return c.filesOfRuns(terms, min(runtime.GOMAXPROCS(0), max(1, len(c.starts)/factChunk)))
}

// filesOfRuns is filesOf over runs runs of entries (TestFilesOfAnyRuns).
func (c *converted) filesOfRuns(terms []*ast.Term, runs int) *ast.Array {
	entries := make([]*ast.Term, len(c.starts))
	parallel.For(runs, func(k int) {
		for e := k * len(entries) / runs; e < (k+1)*len(entries)/runs; e++ {
			s := c.starts[e]
			entries[e] = c.entry(e, slices.Clip(terms[s:c.end(e)])) // no append can reach the next file
		}
	})
	return ast.NewArray(entries...)
}

// batchFiles is the files of the entries whose batch (in batchOf, by
// entry) is i, their values made by m.
func (c *converted) batchFiles(m *materializer, batchOf []int, i int) *ast.Array {
	var entries []*ast.Term
	for e, b := range batchOf {
		if b != i {
			continue
		}
		vals := make([]*ast.Term, 0, c.end(e)-c.starts[e])
		for _, r := range c.docs[c.starts[e]:c.end(e)] {
			vals = append(vals, m.term(r))
		}
		entries = append(entries, c.entry(e, vals))
	}
	return ast.NewArray(entries...)
}

// printHook writes the user policies' print() output for --trace, one
// line per call, escaped like every text fluxtf did not write.
type printHook struct {
	mu sync.Mutex
	w  io.Writer
}

func (h *printHook) Print(c print.Context, msg string) error {
	where := "print"
	if c.Location != nil {
		where = fmt.Sprintf("%s:%d", c.Location.File, c.Location.Row)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintf(h.w, "%s: %s\n", safetext.Line(where), safetext.Commands(safetext.Line(msg)))
	return err
}
