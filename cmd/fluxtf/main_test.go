package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/digx/fluxtf/internal/gittest"
	"github.com/digx/fluxtf/internal/textdiff"
	"github.com/digx/fluxtf/templates"
)

var update = flag.Bool("update", false, "rewrite golden output (fixtures/clusters and script expectations)")

// repoRoot is the repository root, two folders up from this package.
var repoRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Clean(filepath.Join(wd, "..", ".."))
}()

func TestMain(m *testing.M) {
	if os.Getenv("FLUXTF_TEST_AS_CLI") == "1" {
		os.Exit(cliMain())
	}
	if os.Getenv(memLimitProbeEnv) == "1" {
		// TestMemoryLimit: the limit a CLI process ran its command under
		code := cliMain()
		fmt.Fprintln(os.Stderr, debug.SetMemoryLimit(-1))
		os.Exit(code)
	}
	if os.Getenv(gcPercentProbeEnv) == "1" {
		// TestGCPercent: the GOGC a CLI process ended its command with
		code := cliMain()
		fmt.Fprintln(os.Stderr, debug.SetGCPercent(-1))
		os.Exit(code)
	}
	// Every run in these tests, in-process or not, checks waivers and the
	// EKS support dates against one fixed day, not the wall clock.
	if os.Getenv(nowEnv) == "" {
		_ = os.Setenv(nowEnv, testNow)
	}
	testscript.Main(m, map[string]func(){
		"fluxtf": func() { os.Exit(cliMain()) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repoRoot)
			env.Setenv(nowEnv, testNow)
			for k, v := range gittest.Env() {
				env.Setenv(k, v)
			}
			return nil
		},
	})
}

// testNow is the day the tests' runs take as today ($FLUXTF_NOW): the
// EKS support rules and waiver expiry give the same findings whatever day
// the tests run.
const testNow = "2026-06-01"

// runCLI runs the command in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestMakeRenderCoversEveryStack: `make render` (no ENV) renders every
// environment of the example specs into the golden folder, and the golden
// output holds objects of every embedded stack (jeppesen-eks and
// ocm-client), each of its own policy families, so TestRenderGolden holds
// both stacks' output to the generator.
func TestMakeRenderCoversEveryStack(t *testing.T) {
	t.Parallel()
	mk, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nSPECS ?= fixtures/environments\n",
		"\nOUT   ?= fixtures/clusters\n",
		"\n\t$(BIN) render $(if $(ENV),--env $(ENV),--all) --specs $(SPECS) --out $(OUT)\n",
	} {
		if !bytes.Contains(mk, []byte(want)) {
			t.Errorf("Makefile: no %q: make render no longer renders every example environment into the golden folder", strings.TrimSpace(want))
		}
	}
	set := templates.Embedded()
	golden := readTree(t, filepath.Join(repoRoot, "fixtures", "clusters"))
	for _, name := range set.StackNames() {
		st, err := set.Stack(name)
		if err != nil {
			t.Fatal(err)
		}
		stackLabel := []byte("fluxtf.io/stack: " + name + "\n")
		families := []byte("fluxtf.io/policies: " + st.FamiliesValue() + "\n")
		var files, gits, tfs int
		for _, data := range golden {
			if !bytes.Contains(data, stackLabel) {
				continue
			}
			files++
			if !bytes.Contains(data, families) {
				t.Errorf("a golden object of stack %s lacks %s", name, families)
			}
			switch {
			case bytes.Contains(data, []byte("\nkind: GitRepository\n")):
				gits++
			case bytes.Contains(data, []byte("\nkind: Terraform\n")):
				tfs++
			}
		}
		// one GitRepository per tier, and Terraforms beside them
		if gits < 3 || tfs < 3 {
			t.Errorf("golden output (fixtures/clusters) of stack %s: %d GitRepositories and %d Terraforms in %d files; want an environment per tier", name, gits, tfs, files)
		}
	}
}

// TestRenderGolden renders the example specs and compares every file with
// fixtures/clusters, the committed golden output. Run with -update to
// rewrite it.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	specs := filepath.Join(repoRoot, "fixtures", "environments")
	golden := filepath.Join(repoRoot, "fixtures", "clusters")
	out := golden
	if !*update {
		out = t.TempDir()
	}
	code, _, stderr := runCLI(t, "render", "--all", "--specs", specs, "--out", out)
	if code != 0 {
		t.Fatalf("render exited %d: %s", code, stderr)
	}
	if *update {
		return
	}
	got, want := readTree(t, out), readTree(t, golden)
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: in the golden output but not rendered", name)
		case !bytes.Equal(g, w):
			t.Errorf("%s: differs from the golden output; run go test ./cmd/fluxtf -run TestRenderGolden -update and review the diff:\n%s", name, textdiff.Unified("golden/"+name, "rendered/"+name, string(w), string(g)))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: rendered but missing from the golden output (fixtures/clusters)", name)
		}
	}
	for name, data := range got {
		if !strings.HasPrefix(string(data), "# Code generated by fluxtf. DO NOT EDIT.\n") {
			t.Errorf("%s: no generated-code header", name)
		}
	}
}
