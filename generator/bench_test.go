package generator_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/bench/cpuclock"
	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/generator"
)

// fleetSpecs writes a synthetic fleet of n environments (bench/fleet).
func fleetSpecs(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "environments")
	if err := fleet.Write(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoad reads, merges, decodes and checks one environment
// (generator.Load, what `render --env E` does first), for each of the
// examples in turn.
func BenchmarkLoad(b *testing.B) {
	specs := filepath.Join("..", "fixtures", "environments")
	names, err := generator.ListEnvironments(specs)
	if err != nil {
		b.Fatal(err)
	}
	opts := generator.LoadOptions{SpecsDir: specs}
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range names {
			if _, err := generator.Load(opts, name); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(names)), "ns/env")
}

// BenchmarkLoadAll loads every spec of a 100-environment fleet
// (generator.LoadAll: defaults.yaml, tier defaults and the catalogue are
// read once for all).
func BenchmarkLoadAll(b *testing.B) {
	opts := generator.LoadOptions{SpecsDir: fleetSpecs(b, 100)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := generator.LoadAll(opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/env")
}

// BenchmarkBuild renders N environments in memory: load, expand and
// marshal (generator.Build, what `render --all` does before writing).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			opts := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: fleetSpecs(b, n)}, All: true}
			b.ReportAllocs()
			files := 0
			cpu := cpuclock.Now()
			for b.Loop() {
				outs, err := generator.Build(opts)
				if err != nil {
					b.Fatal(err)
				}
				files = 0
				for _, o := range outs {
					files += len(o.Files)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/env")
			b.ReportMetric(float64(files), "files")
			cpuclock.Report(b, cpu)
		})
	}
}

// BenchmarkRender is `render --all` of 100 environments into an output
// root that is already up to date (the common case: compare and write
// nothing), and into an empty one (every file created).
func BenchmarkRender(b *testing.B) {
	specs := fleetSpecs(b, 100)
	b.Run("unchanged", func(b *testing.B) {
		out := filepath.Join(b.TempDir(), "clusters")
		opts := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, OutDir: out, All: true}
		if _, err := generator.Render(opts); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			res, err := generator.Render(opts)
			if err != nil {
				b.Fatal(err)
			}
			if res.Drift() {
				b.Fatal("drift on an unchanged render")
			}
		}
	})
	b.Run("create", func(b *testing.B) {
		tmp := b.TempDir()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			out := filepath.Join(tmp, fmt.Sprint(i))
			opts := generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, OutDir: out, All: true}
			if _, err := generator.Render(opts); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			_ = os.RemoveAll(out)
			b.StartTimer()
		}
	})
}
