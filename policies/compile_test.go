package policies

import (
	"reflect"
	"slices"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/bench/cpuclock"
)

// TestParseEmbeddedIsLoadModules holds parseEmbedded, which parses the
// embedded files on every CPU, to OPA's loader (loadModules): the same
// module names, and modules equal field for field (reflect.DeepEqual:
// locations, comments, annotations and the parser's unexported fields
// included), for the library and the rules.
func TestParseEmbeddedIsLoadModules(t *testing.T) {
	t.Parallel()
	got, err := parseEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir string
		got map[string]*ast.Module
	}{
		{dir: "lib", got: got.lib},
		{dir: "rules", got: got.rules},
	} {
		want, _, err := loadModules(Embedded, []string{tc.dir}, false)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := sortedModuleNames(tc.got), sortedModuleNames(want); !slices.Equal(g, w) || len(w) == 0 {
			t.Fatalf("%s: parsed %v, the loader %v", tc.dir, g, w)
		}
		for name, m := range want {
			if !reflect.DeepEqual(tc.got[name], m) {
				t.Errorf("%s parses differently from the loader's:\n%s\nloader:\n%s", name, tc.got[name], m)
			}
		}
	}
}

// TestEmbeddedCompileSkipsUnusedRewrites holds the compile fast path's
// stage list to what it claims: compiling the embedded policies without
// the unusedRewriteStages (beside the checkOnlyStages, as prepareBatch
// does) leaves every module, down to its locations and the compiler's
// unexported marks, and the rewritten variables identical
// (reflect.DeepEqual) to the compilation with them, so the evaluation
// cannot tell. A rule that starts to call print, use a template string,
// rego.metadata or with, or whose body the safety check would reorder,
// fails it: write the rule as the compiler would rewrite it, or take the
// stage off the list.
func TestEmbeddedCompileSkipsUnusedRewrites(t *testing.T) {
	t.Parallel()
	compile := func(skip []ast.StageID) *ast.Compiler {
		t.Helper()
		mods, err := parseEmbedded() // compiling rewrites the modules: a parse each
		if err != nil {
			t.Fatal(err)
		}
		c, err := compileSkipping(sandboxCapabilities(), mods.lib, mods.rules, skip)
		if err != nil {
			t.Fatalf("skipping %v: %v", skip, err)
		}
		return c
	}
	want := compile(checkOnlyStages())
	got := compile(append(checkOnlyStages(), unusedRewriteStages()...))
	if len(got.Modules) != len(want.Modules) || len(want.Modules) == 0 {
		t.Fatalf("%d modules compiled without the unused rewrites, %d with them", len(got.Modules), len(want.Modules))
	}
	for name, m := range want.Modules {
		if !reflect.DeepEqual(got.Modules[name], m) {
			t.Errorf("%s compiles differently without the stages %v:\n%s\nwith them:\n%s", name, unusedRewriteStages(), got.Modules[name], m)
		}
	}
	if !reflect.DeepEqual(got.RewrittenVars, want.RewrittenVars) {
		t.Errorf("rewritten variables differ without the stages %v:\n%v\nwith them:\n%v", unusedRewriteStages(), got.RewrittenVars, want.RewrittenVars)
	}
	for _, s := range unusedRewriteStages() {
		if !slices.Contains(ast.AllStages(), s) || slices.Contains(checkOnlyStages(), s) {
			t.Errorf("stage %s is not one of OPA's, or is already a check-only stage", s)
		}
	}
}

// BenchmarkCompileEmbedded: reading and compiling the embedded policies
// (what policies.Start does before prepareBatch's queries), the compile
// fast path against its reference (OPA's loader, and the compilation
// with the unusedRewriteStages).
func BenchmarkCompileEmbedded(b *testing.B) {
	for _, c := range []struct {
		name string
		load func() (parsedEmbedded, error)
		skip []ast.StageID
	}{
		{name: "reference", load: func() (parsedEmbedded, error) {
			lib, _, err := loadModules(Embedded, []string{"lib"}, false)
			if err != nil {
				return parsedEmbedded{}, err
			}
			rules, _, err := loadModules(Embedded, []string{"rules"}, false)
			return parsedEmbedded{lib: lib, rules: rules}, err
		}, skip: checkOnlyStages()},
		{name: "fast", load: parseEmbedded, skip: append(checkOnlyStages(), unusedRewriteStages()...)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuclock.Now()
			for b.Loop() {
				mods, err := c.load()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := compileSkipping(sandboxCapabilities(), mods.lib, mods.rules, c.skip); err != nil {
					b.Fatal(err)
				}
			}
			cpuclock.Report(b, cpu)
		})
	}
}
