//go:build unix

package policies

// Benchmarks of the embedded policies' evaluation: the documents are built
// in memory (no YAML reading, no schema checks). BenchmarkEvaluate calls
// Engine.Evaluate (the conversion of the objects to OPA's input value, the
// evaluation, locating the findings); BenchmarkEvaluateQuery runs the
// prepared query alone on an input converted once, OPA's share.
//
//	go test ./policies/ -run '^$' -bench BenchmarkEvaluate -benchmem -count=5
//
// For a Go CPU profile of one size:
//
//	go test ./policies/ -run '^$' -bench 'BenchmarkEvaluateQuery/pairs/docs=2000$' \
//	    -cpuprofile /tmp/cpu.out && go tool pprof -top /tmp/cpu.out
//
// Besides ns/op (wall time) each benchmark reports µs/doc (wall) and
// cpu-µs/doc, the process's CPU time (user and system, GC included) per
// document and evaluation: on a shared machine, wall time counts the time
// other processes hold the cores, CPU time does not. Compare medians of
// -count=5 runs (benchstat).
//
// To see which Rego expressions cost the time, TestProfileEvaluate runs
// one evaluation under OPA's profiler (github.com/open-policy-agent/opa/v1/profiler)
// and prints the top expressions by time and by number of evaluations,
// then the time per file:
//
//	FLUXTF_PROFILE=2000 go test ./policies/ -run TestProfileEvaluate -v
//
// FLUXTF_PROFILE is the number of documents; FLUXTF_PROFILE_CORPUS picks
// the corpus (pairs, the default, or fleet); FLUXTF_PROFILE_BASELINE=1
// adds the set as its own baseline; FLUXTF_PROFILE_TOP is the number of
// rows (30). The profiler attributes to an expression the time until the
// next expression starts (garbage collection included), so a call's time
// shows on the call's first expressions as well as on the line that called
// it: read it for the hot lines and their evaluation counts rather than as
// exclusive time.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/internal/manifest"
)

// benchTiers are the environments of fixtures/clusters, one per tier.
var benchTiers = []string{"dev", "uat", "prod"}

var (
	benchOnce    sync.Once
	benchByTier  map[string][]*manifest.Doc
	benchLoadErr error
)

// benchFixtures loads fixtures/clusters/<tier> once.
func benchFixtures(tb testing.TB) map[string][]*manifest.Doc {
	tb.Helper()
	benchOnce.Do(func() {
		benchByTier = map[string][]*manifest.Doc{}
		for _, t := range benchTiers {
			set, err := manifest.Load([]string{filepath.Join("..", "fixtures", "clusters", t)}, manifest.Options{})
			if err != nil {
				benchLoadErr = err
				return
			}
			benchByTier[t] = set.Docs
		}
	})
	if benchLoadErr != nil {
		tb.Fatal(benchLoadErr)
	}
	return benchByTier
}

// renamed copies a fixture object into environment env: the tier's
// GitRepository jeppesen-eks-<tier> becomes jeppesen-eks-<env>, the
// <tier>-<target>-<component> Terraforms (and their dependsOn, varsFrom
// and output Secrets) <env>-<target>-<component>, and the environment label
// env. Tier, stack, account and target labels are kept, so the copies
// validate as cleanly as the fixtures do.
func renamed(tb testing.TB, obj map[string]any, tier, env string) map[string]any {
	tb.Helper()
	raw, err := json.Marshal(obj)
	if err != nil {
		tb.Fatal(err)
	}
	s := strings.NewReplacer(
		`"jeppesen-eks-`+tier+`"`, `"jeppesen-eks-`+env+`"`,
		`"`+tier+`-digx-`, `"`+env+`-digx-`,
		`"fluxtf.io/environment":"`+tier+`"`, `"fluxtf.io/environment":"`+env+`"`,
		// state keys: the s3 key and the kubernetes secret suffix
		`jeppesen-eks/`+tier+`/`, `jeppesen-eks/`+env+`/`,
		`"jeppesen-eks-`+tier+`-`, `"jeppesen-eks-`+env+`-`,
	).Replace(string(raw))
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func benchDoc(file string, index int, obj map[string]any) *manifest.Doc {
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	meta, _ := obj["metadata"].(map[string]any)
	return &manifest.Doc{
		File: file, Index: index, Object: obj, Line: 1,
		APIVersion: str(obj, "apiVersion"), Kind: str(obj, "kind"),
		Name: str(meta, "name"), Namespace: str(meta, "namespace"),
	}
}

// pairsCorpus: n/2 files, each holding a uat GitRepository and its base
// (eks) Terraform, renamed into environments e0000, e0001, …
func pairsCorpus(tb testing.TB, n int) []*manifest.Doc {
	tb.Helper()
	var git, eks map[string]any
	for _, d := range benchFixtures(tb)["uat"] {
		switch {
		case d.Kind == "GitRepository":
			git = d.Object
		case d.Kind == "Terraform" && strings.HasSuffix(d.Name, "-eks"):
			eks = d.Object
		}
	}
	if git == nil || eks == nil {
		tb.Fatal("fixtures/clusters/uat has no GitRepository or eks Terraform")
	}
	docs := make([]*manifest.Doc, 0, n)
	for i := 0; len(docs) < n; i++ {
		env := fmt.Sprintf("e%04d", i)
		file := fmt.Sprintf("clusters/%s.yaml", env)
		docs = append(docs, benchDoc(file, 0, renamed(tb, git, "uat", env)))
		if len(docs) < n {
			docs = append(docs, benchDoc(file, 1, renamed(tb, eks, "uat", env)))
		}
	}
	return docs
}

// fleetCorpus: whole environments of fixtures/clusters (a GitRepository and
// every component's Terraform per target), dev, uat and prod in turn,
// renamed into environments e0000, e0001, … until there are at least n
// documents (so that no reference is cut off).
func fleetCorpus(tb testing.TB, n int) []*manifest.Doc {
	tb.Helper()
	fx := benchFixtures(tb)
	var docs []*manifest.Doc
	for i := 0; len(docs) < n; i++ {
		tier := benchTiers[i%len(benchTiers)]
		env := fmt.Sprintf("e%04d", i)
		for _, d := range fx[tier] {
			rel := strings.TrimPrefix(filepath.ToSlash(d.File), "../fixtures/clusters/"+tier+"/")
			docs = append(docs, benchDoc("clusters/"+env+"/"+rel, d.Index, renamed(tb, d.Object, tier, env)))
		}
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].File < docs[j].File })
	return docs
}

func benchCorpus(tb testing.TB, name string, n int) []*manifest.Doc {
	switch name {
	case "pairs":
		return pairsCorpus(tb, n)
	case "fleet":
		return fleetCorpus(tb, n)
	}
	tb.Fatalf("unknown corpus %q (pairs or fleet)", name)
	return nil
}

var benchNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// benchCases are the corpora the benchmarks evaluate: pairs (a
// GitRepository and a base Terraform per file, the shape of the pre-commit
// budget) and fleet (whole rendered environments), without and with a
// baseline (the set itself, so that the baseline rules do their look-ups).
var benchCases = []struct {
	corpus   string
	n        int
	baseline bool
}{
	{"pairs", 2000, false},
	{"pairs", 20000, false},
	{"fleet", 2000, false},
	{"fleet", 20000, false},
	{"fleet", 2000, true},
}

func benchName(corpus string, n int, baseline bool) string {
	name := fmt.Sprintf("%s/docs=%d", corpus, n)
	if baseline {
		name += "/baseline"
	}
	return name
}

// BenchmarkEvaluate measures Engine.Evaluate on in-memory documents (the
// conversion of the objects to OPA's input value, the evaluation of the
// embedded rules, locating the findings and the waivers). It reports
// µs/doc and cpu-µs/doc; every corpus must validate without a finding.
func BenchmarkEvaluate(b *testing.B) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range benchCases {
		b.Run(benchName(c.corpus, c.n, c.baseline), func(b *testing.B) {
			docs := benchCorpus(b, c.corpus, c.n)
			in := Input{Docs: docs, Now: benchNow, RepositoryURL: benchRepositoryURL}
			if c.baseline {
				in.Baseline = docs
			}
			rep, err := e.Evaluate(context.Background(), in)
			if err != nil {
				b.Fatal(err)
			}
			if len(rep.Findings) != 0 {
				b.Fatalf("%d findings on the corpus, want none; first: %s %s", len(rep.Findings), rep.Findings[0].Rule, rep.Findings[0].Message)
			}
			cpu0 := cpuTime(b)
			for b.Loop() {
				if _, err := e.Evaluate(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
			reportPerDoc(b, cpuTime(b)-cpu0, len(docs))
		})
	}
}

// BenchmarkEvaluateQuery measures the evaluation of the embedded rules
// alone: the prepared query on an input value built once, so that the time
// is OPA's (BenchmarkEvaluate less the conversion of the objects).
func BenchmarkEvaluateQuery(b *testing.B) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	one := oneQuery(b, e)
	for _, c := range benchCases {
		b.Run(benchName(c.corpus, c.n, c.baseline), func(b *testing.B) {
			docs := benchCorpus(b, c.corpus, c.n)
			input := benchInput(b, docs, c.baseline)
			rs, err := one.Eval(context.Background(), rego.EvalParsedInput(input))
			if err != nil {
				b.Fatal(err)
			}
			if x, _ := rs[0].Bindings["x"].(map[string]any); len(rs) != 1 || len(x["deny"].([]any))+len(x["warn"].([]any)) != 0 {
				b.Fatalf("findings on the corpus, want none: %v", rs)
			}
			cpu0 := cpuTime(b)
			for b.Loop() {
				if _, err := one.Eval(context.Background(), rego.EvalParsedInput(input)); err != nil {
					b.Fatal(err)
				}
			}
			reportPerDoc(b, cpuTime(b)-cpu0, len(docs))
		})
	}
}

const benchRepositoryURL = "github.com/digx/fluxtf-fixtures"

// benchInput is the builtin query's input for docs, as Evaluate builds it
// (with the set itself as the baseline when baseline is set).
func benchInput(tb testing.TB, docs []*manifest.Doc, baseline bool) ast.Value {
	tb.Helper()
	cur, err := convertDocs(docs)
	if err != nil {
		tb.Fatal(err)
	}
	in := Input{Docs: docs, RepositoryURL: benchRepositoryURL}
	var base *converted
	if baseline {
		in.Baseline, base = docs, cur
	}
	return builtinInput(in, cur, base)
}

func reportPerDoc(b *testing.B, cpu time.Duration, docs int) {
	perDoc := float64(b.N) * float64(docs)
	b.ReportMetric(float64(b.Elapsed().Microseconds())/perDoc, "µs/doc")
	b.ReportMetric(float64(cpu.Microseconds())/perDoc, "cpu-µs/doc")
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestProfileEvaluate runs one evaluation of the embedded rules under
// OPA's profiler and prints the hot expressions, on FLUXTF_PROFILE
// documents (see the top of this file); without it on 40, so the harness
// itself is exercised by every test run.
func TestProfileEvaluate(t *testing.T) {
	size := os.Getenv("FLUXTF_PROFILE")
	if size == "" {
		size = "40" // a smoke run of the harness
	}
	n, err := strconv.Atoi(size)
	if err != nil || n <= 0 {
		t.Fatalf("FLUXTF_PROFILE=%q: want a number of documents", size)
	}
	corpus := os.Getenv("FLUXTF_PROFILE_CORPUS")
	if corpus == "" {
		corpus = "pairs"
	}
	top := 30
	if s := os.Getenv("FLUXTF_PROFILE_TOP"); s != "" {
		if top, err = strconv.Atoi(s); err != nil {
			t.Fatalf("FLUXTF_PROFILE_TOP=%q: %v", s, err)
		}
	}
	e := newEngine(t, Options{})
	docs := benchCorpus(t, corpus, n)
	input := benchInput(t, docs, os.Getenv("FLUXTF_PROFILE_BASELINE") != "")
	p := profiler.New()
	start := time.Now()
	if _, err := oneQuery(t, e).Eval(context.Background(), rego.EvalParsedInput(input), rego.EvalQueryTracer(p)); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s, %d documents: %v under the profiler", corpus, len(docs), time.Since(start))
	show := func(title string, stats []profiler.ExprStats) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n%12s %10s %10s %6s  %s\n", title, "time", "evals", "redos", "gen", "location")
		for _, s := range stats {
			fmt.Fprintf(&b, "%12v %10d %10d %6d  %s:%d\n", time.Duration(s.ExprTimeNs), s.NumEval, s.NumRedo, s.NumGenExpr, s.Location.File, s.Location.Row)
		}
		t.Log(b.String())
	}
	show("by time", p.ReportTopNResults(top, []string{"total_time_ns", "num_eval", "file", "line"}))
	show("by evaluations", p.ReportTopNResults(top, []string{"num_eval", "total_time_ns", "file", "line"}))
	type fileTime struct {
		file string
		ns   int64
	}
	var perFile []fileTime
	evals := 0
	for f, fr := range p.ReportByFile().Files {
		var ns int64
		for _, s := range fr.Result {
			ns += s.ExprTimeNs
			evals += s.NumEval + s.NumRedo
		}
		perFile = append(perFile, fileTime{f, ns})
	}
	sort.Slice(perFile, func(i, j int) bool { return perFile[i].ns > perFile[j].ns })
	var b strings.Builder
	fmt.Fprintf(&b, "by file (%d expression evaluations and redos, %.1f per document)\n", evals, float64(evals)/float64(len(docs)))
	for _, f := range perFile {
		fmt.Fprintf(&b, "%12v  %s\n", time.Duration(f.ns), f.file)
	}
	t.Log(b.String())
}
