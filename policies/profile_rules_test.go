//go:build unix

package policies

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/templates"
)

// TestProfileRules times the embedded rules' evaluation as the batch runs
// it, one part at a time on one goroutine: each library value of
// sharedQuery in its order (what it adds over the values before it), then
// each rule package's query over those values. For each part it prints
// the CPU time (after a garbage collection, with the cache the batch
// uses), OPA's evaluation steps (one per expression evaluated, a measure
// that does not depend on the machine's load), the bytes it allocated
// (what it adds to the collector's work) and, for a rule
// package, the library values it computed itself (not shared). Without
// FLUXTF_PROFILE_RULES it runs on 40 documents of the fleet corpus, so the
// harness itself is exercised by every test run; set it to profile:
//
//	FLUXTF_PROFILE_RULES=2000 go test ./policies/ -run TestProfileRules -v          # fleet corpus, documents
//	FLUXTF_PROFILE_RULES=/tmp/out go test ./policies/ -run TestProfileRules -v      # a folder (a rendered fleet)
//
// FLUXTF_PROFILE_PKG=<package>,lib.<value> prints, under OPA's profiler,
// the costliest expressions of those rule packages, and of those library
// values computed from scratch (lib.all_facts);
// FLUXTF_PROFILE_BASELINE=1 adds the set as its own baseline;
// FLUXTF_PROFILE_NOW=2026-12-07 evaluates on that day (not benchNow's),
// with the embedded EKS calendar, as the CLI does;
// FLUXTF_PROFILE_CPU=<file> instead writes a Go CPU profile of one
// evaluation of the batch (as the engine runs it) to that file.
func TestProfileRules(t *testing.T) {
	arg := os.Getenv("FLUXTF_PROFILE_RULES")
	if arg == "" {
		arg = "40" // a smoke run of the harness
	}
	ctx := context.Background()
	e := newEngine(t, Options{})
	var docs []*manifest.Doc
	if n, err := strconv.Atoi(arg); err == nil {
		docs = benchCorpus(t, "fleet", n)
	} else {
		set, err := manifest.Load([]string{arg}, manifest.Options{Convert: NewInputConverter})
		if err != nil {
			t.Fatal(err)
		}
		docs = set.Docs
	}
	cur, err := convertDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Docs: docs, Now: benchNow, RepositoryURL: benchRepositoryURL}
	if s := os.Getenv("FLUXTF_PROFILE_NOW"); s != "" {
		// the rules that read the date find what they find on that day,
		// with the CLI's EKS calendar
		if in.Now, err = time.Parse(time.DateOnly, s); err != nil {
			t.Fatal(err)
		}
		if in.EKSVersions, err = templates.Embedded().EKSVersions(); err != nil {
			t.Fatal(err)
		}
	}
	var base *converted
	if os.Getenv("FLUXTF_PROFILE_BASELINE") != "" {
		in.Baseline, base = docs, cur
	}
	input := builtinInput(in, cur, base)
	if out := os.Getenv("FLUXTF_PROFILE_CPU"); out != "" {
		// a Go CPU profile of the batch's evaluation (go tool pprof)
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, _, err := e.batch.eval(ctx, input); err != nil { // warm up
			t.Fatal(err)
		}
		cpu0 := cpuTime(t)
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		_, _, err = e.batch.eval(ctx, input)
		pprof.StopCPUProfile()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("batch evaluation: %v CPU; profile in %s", cpuTime(t)-cpu0, out)
		return
	}

	type row struct {
		name   string
		cpu    time.Duration
		steps  int
		alloc  uint64 // bytes allocated
		extras []string
	}
	var rows []row
	// measure evaluates q twice: once timed with the cache timed, once
	// counting steps (a tracer slows the evaluation down) with counted
	// (a collection first, so that the part is not charged the garbage
	// collection of what the parts before it left: the heap of a fleet is
	// large, and its marking would otherwise fall on whichever part
	// happens to run when the collector starts; the bytes a part
	// allocates tell what it adds to the collector's work)
	measure := func(name string, q *rego.PreparedEvalQuery, timed, counted topdown.VirtualCache) row {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		cpu0 := cpuTime(t)
		if _, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(timed)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := row{name: name, cpu: cpuTime(t) - cpu0}
		runtime.ReadMemStats(&m1)
		r.alloc = m1.TotalAlloc - m0.TotalAlloc
		sc := &stepCounter{}
		if _, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(counted), rego.EvalQueryTracer(sc)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r.steps = sc.n
		return r
	}

	// the shared values, one after the other, each over the ones before
	shared := topdown.NewVirtualCache()
	for _, m := range regexp.MustCompile(`data\.fluxtf\.lib\.(\w+)`).FindAllStringSubmatch(sharedQuery, -1) {
		q, err := e.batch.prep(fmt.Sprintf("x := count(data.fluxtf.lib.%s)", m[1]))
		if err != nil {
			t.Fatal(err)
		}
		// the timed run fills a copy of the cache, the counted one the cache itself
		r := measure("lib."+m[1], q, &sharedCache{shared: shared, own: topdown.NewVirtualCache()}, shared)
		rows = append(rows, r)
		if slices.Contains(strings.Split(os.Getenv("FLUXTF_PROFILE_PKG"), ","), "lib."+m[1]) {
			prof := profiler.New()
			if _, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(topdown.NewVirtualCache()), rego.EvalQueryTracer(prof)); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, s := range prof.ReportTopNResults(40, []string{"num_eval", "total_time_ns", "file", "line"}) {
				fmt.Fprintf(&b, "%12v %10d %10d  %s:%d\n", time.Duration(s.ExprTimeNs), s.NumEval, s.NumRedo, s.Location.File, s.Location.Row)
			}
			t.Logf("lib.%s:\n%s", m[1], b.String())
		}
	}
	sharedRows := len(rows)

	// the rule packages, each over the shared values
	mods, _, err := loadModules(Embedded, []string{"rules"}, false)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var pkgs []ast.Ref
	for _, m := range mods {
		if p := m.Package.Path; !seen[p.String()] {
			seen[p.String()] = true
			pkgs = append(pkgs, p)
		}
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Compare(pkgs[j]) < 0 })
	for _, p := range pkgs {
		q, err := e.batch.prep(ruleQuery(p))
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(strings.Split(os.Getenv("FLUXTF_PROFILE_PKG"), ","), strings.TrimPrefix(p.String(), "data.fluxtf.rules.")) {
			// that package's expressions under OPA's profiler
			prof := profiler.New()
			if _, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalVirtualCache(&sharedCache{shared: shared, own: topdown.NewVirtualCache()}), rego.EvalQueryTracer(prof)); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, s := range prof.ReportTopNResults(40, []string{"num_eval", "total_time_ns", "file", "line"}) {
				fmt.Fprintf(&b, "%12v %10d %10d  %s:%d\n", time.Duration(s.ExprTimeNs), s.NumEval, s.NumRedo, s.Location.File, s.Location.Row)
			}
			t.Logf("%s:\n%s", p, b.String())
		}
		// the timed run with a plain cache (recordingCache writes out every
		// key put, and a function call's key holds its arguments: whole
		// facts, whole lists of them), the counted one recording
		own := &recordingCache{VirtualCache: topdown.NewVirtualCache()}
		r := measure(strings.TrimPrefix(p.String(), "data.fluxtf.rules."), q,
			&sharedCache{shared: shared, own: topdown.NewVirtualCache()}, &sharedCache{shared: shared, own: own})
		counts := map[string]int{}
		for _, s := range own.put {
			if name, ok := strings.CutPrefix(s, "data.fluxtf.lib."); ok {
				name, _, _ = strings.Cut(name, "[")
				if counts[name]++; counts[name] == 1 {
					r.extras = append(r.extras, name)
				}
			}
		}
		for i, name := range r.extras {
			if counts[name] > 1 {
				r.extras[i] = fmt.Sprintf("%s[%d]", name, counts[name])
			}
		}
		rows = append(rows, r)
	}

	var total time.Duration
	var steps int
	var alloc uint64
	for _, r := range rows {
		total += r.cpu
		steps += r.steps
		alloc += r.alloc
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d documents: %v CPU, %d steps, %d MB allocated in all\n", len(docs), total, steps, alloc>>20)
	for i, part := range [][]row{rows[:sharedRows], rows[sharedRows:]} {
		part = append([]row(nil), part...)
		if i == 1 {
			sort.SliceStable(part, func(i, j int) bool { return part[i].steps > part[j].steps })
		}
		for _, r := range part {
			fmt.Fprintf(&b, "%-40s %10.1f ms %5.1f%% %10d steps %5.1f%% %6d MB  %s\n", r.name,
				float64(r.cpu.Microseconds())/1000, 100*float64(r.cpu)/float64(total),
				r.steps, 100*float64(r.steps)/float64(steps), r.alloc>>20, strings.Join(r.extras, " "))
		}
		b.WriteString("\n")
	}
	t.Log(b.String())
}
