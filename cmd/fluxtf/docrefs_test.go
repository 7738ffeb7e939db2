package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// otherToolFlags are the flags the pages give to tools other than fluxtf,
// by the tool.
var otherToolFlags = map[string]string{
	"--all-namespaces": "conftest",
	"--porcelain":      "git status",
	"--no-tags":        "git fetch",
	"--depth":          "git fetch",
	"--refetch":        "git fetch",
	"--no-filter":      "git fetch",
	"--filter":         "git clone",
	"--global":         "git config",
	"--add":            "git config",
	"--all-files":      "pre-commit try-repo",
	"--write":          "bench/compare.sh, bench/scale.sh",
	"--x":              "the --x/--no-x convention itself",
	"--no-x":           "the --x/--no-x convention itself",
}

var (
	docFlagRE = regexp.MustCompile(`(?:^|[\s\x60(\[|/])(--[a-z][a-z0-9-]*)`)
	docTestRE = regexp.MustCompile(`\b((?:Test|Fuzz|Benchmark)[A-Z]\w*)`)
	goTestRE  = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Z]\w*)\(`)
)

// TestDocsNameWhatExists: every flag the user and developer pages write
// (README.md, DEVELOPERS.md, docs/*.md) is a flag of a fluxtf command or of
// a tool they name (otherToolFlags), and every Go test, fuzzer or
// benchmark they name (the -update commands, the tests that hold a
// promise) is declared in the repository: a renamed flag or test fails
// here rather than leaving the pages stale.
func TestDocsNameWhatExists(t *testing.T) {
	t.Parallel()
	flags := map[string]bool{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		add := func(f *pflag.Flag) { flags["--"+f.Name] = true }
		c.Flags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root := newRootCmd(streams{out: io.Discard, err: io.Discard})
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	walk(root)
	if !flags["--baseline-ref"] || !flags["--out"] {
		t.Fatalf("the walk of the commands found too few flags: %v", flags)
	}

	tests := map[string]bool{}
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "testdata" || d.Name() == "fixtures") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range goTestRE.FindAllStringSubmatch(string(data), -1) {
			tests[m[1]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !tests["TestDocsNameWhatExists"] {
		t.Fatal("the walk of the repository found too few tests")
	}

	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join(repoRoot, "README.md"), filepath.Join(repoRoot, "DEVELOPERS.md"))
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(repoRoot, page)
		for i, line := range strings.Split(string(data), "\n") {
			for _, m := range docFlagRE.FindAllStringSubmatch(line, -1) {
				if f := m[1]; !flags[f] && otherToolFlags[f] == "" {
					t.Errorf("%s:%d: %s is no flag of any fluxtf command (nor of a tool the pages name)", rel, i+1, f)
				}
			}
			for _, m := range docTestRE.FindAllStringSubmatch(line, -1) {
				if !tests[m[1]] {
					t.Errorf("%s:%d: %s is no test, fuzzer or benchmark of the repository", rel, i+1, m[1])
				}
			}
		}
	}
}

// TestEveryFuzzerRunsInMakeFuzz: every Go fuzzer of the module is in the
// Makefile's FUZZ list, which `make fuzz` (and so CI) runs.
func TestEveryFuzzerRunsInMakeFuzz(t *testing.T) {
	t.Parallel()
	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`([\w/]+):(Fuzz\w+):\d+`).FindAllStringSubmatch(string(mk), -1) {
		listed[m[1]+":"+m[2]] = true
	}
	fuzzRE := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	err = filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != repoRoot && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pkg, _ := filepath.Rel(repoRoot, filepath.Dir(path))
		for _, m := range fuzzRE.FindAllStringSubmatch(string(src), -1) {
			if key := filepath.ToSlash(pkg) + ":" + m[1]; !listed[key] {
				t.Errorf("%s: fuzzer %s is not in the Makefile's FUZZ list (%s:<executions>)", path, m[1], key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
