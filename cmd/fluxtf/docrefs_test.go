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
