package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// TestGoreleaserConfig holds .goreleaser.yaml to what a release promises:
// fluxtf for linux and darwin on amd64 and arm64, a checksums file, and
// the version stamped through -ldflags into a variable of package main
// that fluxtf version prints (TestBuildVersion). goreleaser itself is not
// run: nothing is downloaded at test time.
func TestGoreleaserConfig(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
		Archives []struct {
			Formats []string `yaml:"formats"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if cfg.Version != 2 {
		t.Errorf("version: %d, want 2 (goreleaser v2)", cfg.Version)
	}
	if len(cfg.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(cfg.Builds))
	}
	b := cfg.Builds[0]
	if b.Main != "./cmd/fluxtf" || b.Binary != "fluxtf" {
		t.Errorf("build main %q binary %q, want ./cmd/fluxtf and fluxtf", b.Main, b.Binary)
	}
	for _, want := range [][2][]string{{b.Goos, {"darwin", "linux"}}, {b.Goarch, {"amd64", "arm64"}}} {
		got := slices.Sorted(slices.Values(want[0]))
		if !slices.Equal(got, want[1]) {
			t.Errorf("targets %v, want %v", got, want[1])
		}
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("env %v: want CGO_ENABLED=0, static binaries", b.Env)
	}
	if len(cfg.Archives) == 0 || cfg.Checksum.NameTemplate == "" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("archives %+v, checksum %+v: want archives and a sha256 checksums file", cfg.Archives, cfg.Checksum)
	}

	// the stamped variable exists in package main, as a string
	stamp := regexp.MustCompile(`-X main\.([A-Za-z_][A-Za-z0-9_]*)=v\{\{ *\.Version *\}\}`)
	var vars []string
	for _, l := range b.Ldflags {
		for _, m := range stamp.FindAllStringSubmatch(l, -1) {
			vars = append(vars, m[1])
		}
	}
	if len(vars) != 1 {
		t.Fatalf("ldflags %q: want one -X main.<var>=v{{ .Version }}", b.Ldflags)
	}
	if !hasStringVar(t, ".", vars[0]) {
		t.Errorf("ldflags stamp main.%s, which is not a string variable of package main", vars[0])
	}
}

// hasStringVar reports whether the Go package in dir declares a
// package-level string variable name (-X sets only those).
func hasStringVar(t *testing.T, dir, name string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if file.Name.Name != "main" {
			continue
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != name {
						continue
					}
					if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "string" {
						return true
					}
					if vs.Type == nil && i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// TestMakeTestInstalls: on a machine without the tools, make test installs
// only what the tests run, saying so, and no linter.
func TestMakeTestInstalls(t *testing.T) {
	t.Parallel()
	makeBin := tool(t, "make", "apt-get install make")
	empty := t.TempDir()
	code, out := command(t, repoRoot, cleanEnv(), makeBin, "-n", "test", "TOOLS="+empty)
	if code != 0 {
		t.Fatalf("make -n test exited %d:\n%s", code, out)
	}
	for _, want := range []string{"installing conftest", "installing actionlint", "go test -timeout 30m ./..."} {
		if !strings.Contains(out, want) {
			t.Errorf("make test does not say %q:\n%s", want, out)
		}
	}
	for _, linter := range []string{"golangci-lint", "deadcode"} {
		if strings.Contains(out, linter) {
			t.Errorf("make test installs %s, which only make lint runs:\n%s", linter, out)
		}
	}
}

// pinRE finds the fluxtf pins of the README: a pre-commit rev and an
// action reference.
var (
	readmeRevRE  = regexp.MustCompile(`(?m)^\s*rev:\s*(\S+)`)
	readmeUsesRE = regexp.MustCompile(`(?m)^\s*- uses: digx/fluxtf@(\S+)`)
)

// TestReadmePins: the README's pre-commit snippet and workflow pin a
// fluxtf revision that exists (no tag that was never made), at which the
// hook and the action inputs they use exist; the workflow carries the
// fork-safe upload-sarif expression of this repository's examples.yml.
// The pinned commit must be in the clone (CI checks out full history).
func TestReadmePins(t *testing.T) {
	t.Parallel()
	env := cleanEnv()
	hooksBlock, workflow := readmeBlock(t, "repos:"), readmeBlock(t, "name: fluxtf")
	var pins []string
	for _, m := range readmeRevRE.FindAllStringSubmatch(hooksBlock, -1) {
		pins = append(pins, m[1])
	}
	for _, m := range readmeUsesRE.FindAllStringSubmatch(workflow, -1) {
		pins = append(pins, m[1])
	}
	if len(pins) != 2 {
		t.Fatalf("README: want one pre-commit rev and one digx/fluxtf action, found %q", pins)
	}
	for _, pin := range pins {
		// a commit or a tag of this repository, never a branch
		if code, out := command(t, repoRoot, env, "git", "rev-parse", "--verify", "--quiet", "--end-of-options", pin+"^{commit}"); code != 0 {
			t.Errorf("README pins fluxtf at %q, which is no commit or tag of this repository:\n%s", pin, out)
			continue
		}
		if code, _ := command(t, repoRoot, env, "git", "show-ref", "--quiet", "--heads", pin); code == 0 {
			t.Errorf("README pins fluxtf at the branch %q, which moves; pin a commit or a release tag", pin)
		}
	}
	if t.Failed() {
		return
	}

	// what the snippets use exists at the pin
	hooks := mustRun(t, repoRoot, env, "git", "show", pins[0]+":.pre-commit-hooks.yaml")
	for _, m := range regexp.MustCompile(`(?m)^\s*- id: (\S+)`).FindAllStringSubmatch(hooksBlock, -1) {
		if !strings.Contains(hooks, "- id: "+m[1]+"\n") {
			t.Errorf("README's pre-commit snippet uses the hook %s, which %s does not publish", m[1], pins[0])
		}
	}
	var action actionMeta
	if err := yaml.Unmarshal([]byte(mustRun(t, repoRoot, env, "git", "show", pins[1]+":action.yml")), &action); err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(workflow), &wf); err != nil {
		t.Fatal(err)
	}
	var with map[string]string
	for _, j := range wf.Jobs {
		for _, st := range j.Steps {
			if strings.HasPrefix(st.Uses, "digx/fluxtf@") {
				with = st.With
			}
		}
	}
	for in := range with {
		if _, ok := action.Inputs[in]; !ok {
			t.Errorf("README's workflow passes the input %s, which action.yml at %s does not have", in, pins[1])
		}
	}
	examples, err := os.ReadFile(filepath.Join(repoRoot, ".github", "workflows", "examples.yml"))
	if err != nil {
		t.Fatal(err)
	}
	sarif := regexp.MustCompile(`(?m)^\s*upload-sarif: (.+)$`).FindStringSubmatch(string(examples))
	if sarif == nil || with["upload-sarif"] != sarif[1] {
		t.Errorf("README's workflow: upload-sarif %q, want the fork-safe expression of examples.yml %q", with["upload-sarif"], sarif)
	}
}

// TestInstallFromClone runs the README's install commands as written,
// the clone's URL pointing at a snapshot of this checkout, offline: the
// fluxtf it installs knows the commit it was built from (fluxtf version),
// and fluxtf init pins that commit in the hook, the workflow and the
// Makefile.
func TestInstallFromClone(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH")
	}
	tmp := t.TempDir()
	// named like the repository, so that the clone is the folder fluxtf
	snap := filepath.Join(tmp, "src", "fluxtf")
	if err := os.MkdirAll(snap, 0o755); err != nil {
		t.Fatal(err)
	}
	snapshot(t, snap)
	sha := strings.TrimSpace(mustRun(t, snap, cleanEnv(), "git", "rev-parse", "HEAD"))
	block := readmeBlock(t, "git clone https://github.com/digx/fluxtf")
	script := strings.Replace(block, "https://github.com/digx/fluxtf", snap, 1)
	work, gobin := filepath.Join(tmp, "work"), filepath.Join(tmp, "bin")
	for _, d := range []string{work, gobin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := cleanEnv(
		"GOBIN="+gobin,
		"GOMODCACHE="+goEnv(t, "GOMODCACHE"),
		"GOCACHE="+goEnv(t, "GOCACHE"),
		"GOFLAGS=-mod=mod", // and not the machine's -buildvcs=false
		"GOPROXY=off",
		"GOTOOLCHAIN=local",
	)
	start := time.Now()
	mustRun(t, work, env, "sh", "-ec", script)
	t.Logf("README install commands: %s", time.Since(start).Round(100*time.Millisecond))
	fluxtf := filepath.Join(gobin, "fluxtf")
	out := mustRun(t, work, env, fluxtf, "version")
	if !strings.Contains(out, sha[:12]) || !strings.Contains(out, "commit "+sha) {
		t.Fatalf("fluxtf version after the README's install: %q, want the commit %s", out, sha)
	}
	repo := filepath.Join(tmp, "repo")
	code, initOut := command(t, work, env, fluxtf, "init", repo)
	if code != 0 || strings.Contains(initOut, "note:") {
		t.Fatalf("fluxtf init: exit %d, want 0 and no note:\n%s", code, initOut)
	}
	for file, want := range map[string]string{
		".pre-commit-config.yaml":      "    rev: " + sha + "\n",
		".github/workflows/fluxtf.yml": "      - uses: digx/fluxtf@" + sha + "\n",
		"Makefile":                     "FLUXTF_VERSION ?= " + sha + "\n",
	} {
		b, err := os.ReadFile(filepath.Join(repo, filepath.FromSlash(file)))
		if err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s does not pin the commit fluxtf was built from (%q): %v\n%s", file, want, err, b)
		}
	}
}
