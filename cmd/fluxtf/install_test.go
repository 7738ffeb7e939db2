package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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
	for _, want := range []string{"installing conftest", "installing actionlint", "go test ./..."} {
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
