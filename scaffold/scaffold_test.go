package scaffold

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/templates"
)

// TestRev: a scaffold pins the release, else the commit fluxtf was built
// from, and falls back to main only when it knows neither.
func TestRev(t *testing.T) {
	t.Parallel()
	const commit = "b98ee68a715153c7f017e520e87603ac7858cc98"
	tests := []struct {
		name, version, revision, want string
	}{
		{name: "release", version: "v1.2.3", revision: commit, want: "v1.2.3"},
		{name: "release without commit", version: "v0.4.0", want: "v0.4.0"},
		{name: "clone build", version: "v0.0.0-20261125221900-b98ee68a7151", revision: commit, want: commit},
		{name: "commit only", version: commit, revision: commit, want: commit},
		{name: "stamped with a commit (the action at a pinned commit)", version: commit, want: commit},
		{name: "dirty clone build", version: commit + "-dirty", revision: commit, want: commit},
		{name: "pre-release from a clone", version: "v1.2.3-rc.1", revision: commit, want: commit},
		{name: "short commit is no pin for actions", version: "v0.0.0-20261125221900-0123456789ab", revision: "0123456789ab", want: "main"},
		{name: "pre-release", version: "v1.2.3-rc.1", want: "main"},
		{name: "build metadata", version: "v1.2.3+dirty", want: "main"},
		{name: "no v", version: "1.2.3", want: "main"},
		{name: "nothing known", version: "(devel)", want: "main"},
		{name: "empty", want: "main"},
	}
	for _, tt := range tests {
		if got := Rev(tt.version, tt.revision); got != tt.want {
			t.Errorf("%s: Rev(%q, %q) = %q, want %q", tt.name, tt.version, tt.revision, got, tt.want)
		}
	}
}

func paths(files []templates.File) []string {
	var p []string
	for _, f := range files {
		p = append(p, f.Path)
	}
	return p
}

func file(t *testing.T, files []templates.File, path string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == path {
			return f.Data
		}
	}
	t.Fatalf("no %s in %v", path, paths(files))
	return nil
}

// TestFiles checks the scaffold: every promised file, no placeholder
// left, rendered output with the generated-code header, the same bytes on
// every call, and specs the published JSON Schema accepts.
func TestFiles(t *testing.T) {
	t.Parallel()
	opts := Options{SourceURL: "https://github.com/acme/stack.git", Tag: "v5.1.0", Rev: "v1.2.3"}
	files, err := Files(opts)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Files(opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(files, again) {
		t.Error("Files is not deterministic")
	}
	for _, want := range []string{
		".github/workflows/fluxtf.yml", ".pre-commit-config.yaml", "Makefile",
		"environments/defaults.yaml", "environments/dev.yaml", "environments/uat.yaml", "environments/prod.yaml",
		"clusters/dev/kustomization.yaml", "clusters/uat/gitrepository.yaml", "clusters/prod/kustomization.yaml",
	} {
		file(t, files, want)
	}
	placeholder := regexp.MustCompile(`__[A-Z_]+__`)
	for _, f := range files {
		if m := placeholder.Find(f.Data); m != nil {
			t.Errorf("%s: placeholder %s left", f.Path, m)
		}
		if strings.HasPrefix(f.Path, OutDir+"/") && !generator.IsGenerated(f.Data) {
			t.Errorf("%s: rendered output without the generated-code header", f.Path)
		}
	}
	for _, want := range []struct{ path, text string }{
		{"environments/defaults.yaml", "  url: https://github.com/acme/stack.git\n"},
		{"environments/uat.yaml", "  tag: v5.1.0\n"},
		{"environments/prod.yaml", "  tag: v5.1.0\n"},
		{"environments/dev.yaml", "  branch: alpha\n"},
		{".pre-commit-config.yaml", "    rev: v1.2.3\n"},
		{".github/workflows/fluxtf.yml", "      - uses: digx/fluxtf@v1.2.3\n"},
		{"Makefile", "FLUXTF_VERSION ?= v1.2.3\n"},
		{"clusters/prod/gitrepository.yaml", "    tag: v5.1.0\n"},
	} {
		if !bytes.Contains(file(t, files, want.path), []byte(want.text)) {
			t.Errorf("%s lacks %q", want.path, want.text)
		}
	}
	if mk := file(t, files, "Makefile"); !bytes.Contains(mk, []byte("\n\t$(FLUXTF) render ")) {
		t.Error("Makefile recipes must start with a tab")
	}

	// the specs against the published schema, and the schema each
	// names exists in this repository at the same path
	schema := crdtest.MustCompileJSONSchema(t, generator.SchemaID, generator.EnvironmentSchema)
	ref := regexp.MustCompile(`(?m)^# yaml-language-server: \$schema=https://raw\.githubusercontent\.com/digx/fluxtf/v1\.2\.3/(\S+)$`)
	for _, f := range files {
		if !strings.HasPrefix(f.Path, SpecsDir+"/") {
			continue
		}
		m := ref.FindSubmatch(f.Data)
		if m == nil {
			t.Errorf("%s does not name its schema", f.Path)
		} else if _, err := os.Stat(filepath.Join("..", filepath.FromSlash(string(m[1])))); err != nil {
			t.Errorf("%s names the schema %s: %v", f.Path, m[1], err)
		}
		if f.Path == SpecsDir+"/"+generator.DefaultsFile {
			continue // not a whole environment
		}
		if err := validate(schema, f.Data); err != nil {
			t.Errorf("%s: %v", f.Path, err)
		}
	}
}

func validate(s *jsonschema.Schema, data []byte) error {
	docs, err := yamlx.Parse("spec.yaml", data, yamlx.DefaultLimits)
	if err != nil {
		return err
	}
	js, err := json.Marshal(docs[0].Root.ToAny())
	if err != nil {
		return err
	}
	return crdtest.ValidateJSON(s, js)
}

func TestOptionsRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{name: "scp-style url", opts: Options{SourceURL: "git@github.com:digx/infrastructure.git"}, want: "--source-url"},
		{name: "url with space", opts: Options{SourceURL: "https://example.com/a b"}, want: "--source-url"},
		{name: "url with comment", opts: Options{SourceURL: "https://example.com/a #b"}, want: "--source-url"},
		{name: "url with quote", opts: Options{SourceURL: `https://example.com/"a`}, want: "--source-url"},
		{name: "tag", opts: Options{Tag: "latest"}, want: "--tag"},
		{name: "short tag", opts: Options{Tag: "v4.2"}, want: "--tag"},
		{name: "rev option", opts: Options{Rev: "--upload-pack=x"}, want: "--rev"},
		{name: "rev dots", opts: Options{Rev: "a..b"}, want: "--rev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.opts.Dir = filepath.Join(t.TempDir(), "repo")
			_, err := Init(tt.opts)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Init() error = %v, want one about %s", err, tt.want)
			}
			if _, err := os.Stat(tt.opts.Dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was created", tt.opts.Dir)
			}
		})
	}
}

func TestInit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "repo")
	res, err := Init(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Created, paths(files)) || len(res.Overwritten) != 0 {
		t.Errorf("created %v, overwritten %v; want %v", res.Created, res.Overwritten, paths(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s: %v, or not the scaffold's bytes", f.Path, err)
		}
	}
	// rendering the written specs changes nothing
	r, err := generator.Render(generator.Options{
		LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join(dir, SpecsDir)},
		OutDir:      filepath.Join(dir, OutDir), All: true, Check: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Drift() {
		t.Error("the scaffold's output is not what its specs render to")
	}

	// again: everything exists, nothing is written
	mk := filepath.Join(dir, "Makefile")
	if err := os.WriteFile(mk, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Init(Options{Dir: dir})
	var exists *ExistsError
	if !errors.As(err, &exists) || !reflect.DeepEqual(exists.Files, paths(files)) {
		t.Fatalf("second Init: %v, want an ExistsError listing every file", err)
	}
	if !strings.Contains(err.Error(), "pass --force") || !strings.Contains(err.Error(), "\n  "+mk) {
		t.Errorf("error %q", err)
	}
	if b, _ := os.ReadFile(mk); string(b) != "mine\n" {
		t.Error("Makefile overwritten without Force")
	}
	res, err = Init(Options{Dir: dir, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 0 || !reflect.DeepEqual(res.Overwritten, paths(files)) {
		t.Errorf("with Force: created %v, overwritten %v", res.Created, res.Overwritten)
	}
	if b, _ := os.ReadFile(mk); string(b) == "mine\n" {
		t.Error("Makefile not overwritten with Force")
	}
}

// TestInitFailureRemovesWhatItCreated: when the output cannot be written
// (here a symlink in the output root, which fluxtf never writes through),
// the files Init created before are removed again.
func TestInitFailureRemovesWhatItCreated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, OutDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, OutDir, "uat")); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "symlink") {
		t.Fatalf("Init() error = %v, want one about the symlink", err)
	}
	for _, p := range []string{"Makefile", ".pre-commit-config.yaml", "environments/uat.yaml", ".github/workflows/fluxtf.yml"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", p, err)
		}
	}
}

// TestInitForceRefusesBeforeOverwriting: with Force, an output Init
// cannot write (a hand-written file where it renders one) is refused
// before any file is overwritten: a failure removes what Init created, but
// cannot bring back the user's Makefile or specs.
func TestInitForceRefusesBeforeOverwriting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := Init(Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	mine := map[string]string{
		"Makefile":                         "# my own targets\n",
		"environments/prod.yaml":           "# my prod spec, with the real account ids\n",
		OutDir + "/uat/kustomization.yaml": "kind: Kustomization # hand-written\n",
	}
	for p, data := range mine {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(dir, ".pre-commit-config.yaml")); err != nil {
		t.Fatal(err)
	}
	_, err := Init(Options{Dir: dir, Force: true})
	if err == nil || !strings.Contains(err.Error(), "not generated by fluxtf") {
		t.Fatalf("Init() error = %v, want one about the hand-written kustomization.yaml", err)
	}
	for p, data := range mine {
		if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))); string(got) != data {
			t.Errorf("%s was overwritten by a failed Init: %q", p, got)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, ".pre-commit-config.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".pre-commit-config.yaml left behind by a failed Init: %v", err)
	}
}

// TestTemplatesOverride: a templates folder replaces scaffold files and
// adds its own; a broken spec there is reported against the template.
func TestTemplatesOverride(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("init/README.md", "# Infrastructure of __SOURCE_URL__\n")
	embedded, err := Files(Options{})
	if err != nil {
		t.Fatal(err)
	}
	uat := strings.Replace(string(file(t, embedded, "environments/uat.yaml")), "eu-west-1", "eu-central-1", 1)
	write("init/environments/uat.yaml", uat)
	set, err := templates.WithOverrides(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(Options{Templates: set})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(file(t, files, "README.md")); got != "# Infrastructure of "+DefaultSourceURL+"\n" {
		t.Errorf("README.md = %q", got)
	}
	file(t, files, "clusters/uat/digx-uat-eu-central-1/eks.yaml")

	write("init/environments/uat.yaml", strings.Replace(uat, "kind: Environment", "kind: Environment\nflavour: vanilla", 1))
	_, err = Files(Options{Templates: set})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "init", "environments", "uat.yaml")+":") || !strings.Contains(err.Error(), "flavour") {
		t.Errorf("broken template: error %v, want one naming templates/init/environments/uat.yaml and the field", err)
	}

	write("init/clusters/extra.yaml", "x: 1\n")
	if _, err := Files(Options{Templates: set}); err == nil || !strings.Contains(err.Error(), "rendered from the specs") {
		t.Errorf("a template under clusters/: error %v", err)
	}
}

// TestInitRefusesLinkedFolders: a folder of the scaffold that is a
// symlink (environments -> elsewhere, clusters -> elsewhere) is refused
// before anything is written, naming the link; nothing reaches the link's
// target and nothing is left in the folder.
func TestInitRefusesLinkedFolders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		link string // folder of the scaffold replaced by a link
	}{
		{name: "specs", link: SpecsDir},
		{name: "output", link: OutDir},
		{name: "workflows", link: ".github"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, elsewhere := t.TempDir(), t.TempDir()
			link := filepath.Join(dir, tc.link)
			if err := os.Symlink(elsewhere, link); err != nil {
				t.Fatal(err)
			}
			_, err := Init(Options{Dir: dir})
			if err == nil || !strings.Contains(err.Error(), link+" is a symlink") {
				t.Fatalf("Init() error = %v, want one naming the symlink %s", err, link)
			}
			if ents, _ := os.ReadDir(elsewhere); len(ents) != 0 {
				t.Errorf("wrote through the link: %v", ents)
			}
			ents, _ := os.ReadDir(dir)
			if len(ents) != 1 || ents[0].Name() != tc.link {
				t.Errorf("left in the folder: %v, want only the link", ents)
			}
		})
	}
}
