package policies

// Benchmarks of what `fluxtf validate` costs end to end on a synthetic set
// read from disk (bench/fleet: the environments bench/compare.sh renders),
// phase by phase: reading the files (manifest.Load as Validate calls it:
// each document parsed, strictly decoded and schema-checked, and converted
// into the policies' input on the goroutine that read it), the policies
// (Engine.Evaluate: assembling the input and OPA's evaluation), and the
// whole Engine.Validate. The Rego-only benchmarks are BenchmarkEvaluate in
// eval_bench_test.go.
//
//	go test ./policies/ -run '^$' -bench BenchmarkValidate -benchmem

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/bench/corpus"
	"github.com/digx/fluxtf/bench/cpuclock"
	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/manifest"
)

// vbCorpus renders a synthetic fleet of envs environments in memory and
// writes, like bench/compare.sh, either one file of two documents per
// environment (its GitRepository and first base Terraform: "pairs") or
// every rendered file ("rendered", kustomizations included).
func vbCorpus(b *testing.B, envs int, shape string) string {
	b.Helper()
	tmp := b.TempDir()
	specs := filepath.Join(tmp, "environments")
	if err := fleet.Write(specs, envs, 1); err != nil {
		b.Fatal(err)
	}
	outs, err := generator.Build(generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, All: true})
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(tmp, "corpus")
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, o := range outs {
		env := o.Env.Env.Name
		if shape == "rendered" {
			for _, f := range o.Files {
				write(f.Path, f.Data)
			}
			continue
		}
		data, err := corpus.Pair(o)
		if err != nil {
			b.Fatal(err)
		}
		write(env+".yaml", data)
	}
	return dir
}

// BenchmarkValidate: pairs/files=N is N files of 2 documents (N
// environments); rendered/envs=N is the whole rendered output of N
// environments (12 files each on average, read through their
// kustomizations).
func BenchmarkValidate(b *testing.B) {
	ctx := context.Background()
	engine, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		shape string
		n     int
	}{{"pairs", 100}, {"pairs", 1000}, {"rendered", 100}} {
		label := "files"
		if c.shape == "rendered" {
			label = "envs"
		}
		b.Run(fmt.Sprintf("%s/%s=%d", c.shape, label, c.n), func(b *testing.B) {
			dir := vbCorpus(b, c.n, c.shape)
			load := func(b *testing.B) *manifest.Set {
				set, err := manifest.Load([]string{dir}, manifest.Options{Convert: NewInputConverter})
				if err != nil {
					b.Fatal(err)
				}
				return set
			}
			docs := len(load(b).Docs)
			b.Run("load", func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuclock.Now()
				for b.Loop() {
					load(b)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*docs), "ns/doc")
				cpuclock.Report(b, cpu)
			})
			b.Run("evaluate", func(b *testing.B) {
				set := load(b)
				if errs, problems := set.Check(); len(errs)+len(problems) > 0 {
					b.Fatal(errs, problems)
				}
				in := Input{Docs: set.Docs, Now: benchNow}
				b.ReportAllocs()
				cpu := cpuclock.Now()
				for b.Loop() {
					rep, err := engine.Evaluate(ctx, in)
					if err != nil {
						b.Fatal(err)
					}
					if rep.Failed() {
						b.Fatalf("deny findings on the synthetic fleet: %v", rep.Findings[0])
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*docs), "ns/doc")
				cpuclock.Report(b, cpu)
			})
			b.Run("all", func(b *testing.B) {
				b.ReportAllocs()
				cpu := cpuclock.Now()
				for b.Loop() {
					rep, err := engine.Validate(ctx, ValidateOptions{Paths: []string{dir}, Now: benchNow})
					if err != nil {
						b.Fatal(err)
					}
					if rep.Failed() {
						b.Fatalf("deny findings on the synthetic fleet: %v", rep.Findings[0])
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*docs), "ns/doc")
				cpuclock.Report(b, cpu)
			})
		})
	}
}
