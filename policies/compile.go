package policies

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/parallel"
)

// The compilation of the embedded policies is what the first evaluation
// of every run waits for (policies.Start runs it beside the reading of
// the manifests, which often ends first). Its fast path (fastpath.Compile;
// FLUXTF_SLOW=compile takes the reference, OPA's loader): parseEmbedded
// parses the files on every CPU, largest first, where OPA's loader parses
// one after another (TestParseEmbeddedIsLoadModules).
//
// Tried and not kept: skipping the compiler's rewriting stages that leave
// the embedded Rego unchanged (print calls, template strings,
// rego.metadata, with, the safety reordering). It saved about a sixth of
// the compilation (3% of validate's CPU on the 1,000-file corpus, nothing
// on the fleet: under DEVELOPERS.md's 5%), and a new rule whose body the
// compiler would reorder would have failed a test its author could not
// read.

// loadEmbedded reads the embedded library and rules: parseEmbedded, or
// under FLUXTF_SLOW OPA's loader (loadModules).
func loadEmbedded() (parsedEmbedded, error) {
	if fastpath.Enabled(fastpath.Compile) {
		fastpath.Hit(fastpath.Compile)
		return parseEmbedded()
	}
	return loadEmbeddedReference()
}

// loadEmbeddedReference reads the embedded library and rules with OPA's
// loader, one file after another: parseEmbedded's reference.
func loadEmbeddedReference() (parsedEmbedded, error) {
	lib, _, err := loadModules(Embedded, []string{"lib"}, false)
	if err != nil {
		return parsedEmbedded{}, err
	}
	rules, _, err := loadModules(Embedded, []string{"rules"}, false)
	if err != nil {
		return parsedEmbedded{}, err
	}
	return parsedEmbedded{lib: lib, rules: rules}, nil
}

// parsedEmbedded are the embedded library (lib/) and rules (rules/),
// without their tests, each keyed by its path as loadModules keys it.
type parsedEmbedded struct {
	lib, rules map[string]*ast.Module
}

// parseEmbedded parses the embedded library and rules as loadModules
// does (OPA's parser, Rego v1, annotations processed, the same module
// names), but every file on its own goroutine, on every CPU, largest
// first: OPA's loader parses one file after another, and the parse is
// about half of the compilation that the first evaluation waits for
// (policies.Start runs it beside the reading of the manifests, which
// often ends first). TestParseEmbeddedIsLoadModules holds the modules to
// the loader's.
func parseEmbedded() (parsedEmbedded, error) {
	type file struct {
		name string
		src  []byte
	}
	var files []file
	for _, dir := range []string{"lib", "rules"} {
		err := fs.WalkDir(Embedded, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(name, ".rego") || strings.HasSuffix(name, "_test.rego") {
				return err
			}
			src, err := fs.ReadFile(Embedded, name)
			files = append(files, file{name, src})
			return err
		})
		if err != nil {
			return parsedEmbedded{}, fmt.Errorf("load policies: %w", err)
		}
	}
	slices.SortStableFunc(files, func(a, b file) int { return cmp.Compare(len(b.src), len(a.src)) })
	mods := make([]*ast.Module, len(files))
	errs := make([]error, len(files))
	opts := ast.ParserOptions{ProcessAnnotation: true, RegoVersion: RegoV1.ast()}
	parallel.For(len(files), func(i int) {
		mods[i], errs[i] = ast.ParseModuleWithOpts(files[i].name, string(files[i].src), opts)
	})
	if err := errors.Join(errs...); err != nil {
		return parsedEmbedded{}, fmt.Errorf("load policies: %w", err)
	}
	out := parsedEmbedded{lib: map[string]*ast.Module{}, rules: map[string]*ast.Module{}}
	for i, f := range files {
		if strings.HasPrefix(f.name, "lib/") {
			out.lib[f.name] = mods[i]
		} else {
			out.rules[f.name] = mods[i]
		}
	}
	return out, nil
}
