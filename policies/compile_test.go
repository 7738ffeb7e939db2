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

// BenchmarkCompileEmbedded: reading and compiling the embedded policies
// (what policies.Start does before prepareBatch's queries), the compile
// fast path (parseEmbedded) against its reference (OPA's loader).
func BenchmarkCompileEmbedded(b *testing.B) {
	for _, c := range []struct {
		name string
		load func() (parsedEmbedded, error)
	}{
		{name: "reference", load: loadEmbeddedReference},
		{name: "fast", load: parseEmbedded},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuclock.Now()
			for b.Loop() {
				mods, err := c.load()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := embeddedCompiler(sandboxCapabilities(), mods.lib, mods.rules, false); err != nil {
					b.Fatal(err)
				}
			}
			cpuclock.Report(b, cpu)
		})
	}
}
