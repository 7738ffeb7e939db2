package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
)

// The fuzzers feed arbitrary bytes to `fluxtf validate`'s reading: as a
// manifest file (Load, then Check), and as the kustomization.yaml of a
// folder (Load builds it).
//
//	go test ./internal/manifest -run '^$' -fuzz '^FuzzLoad$' -fuzztime 60s

// fuzzDir is one folder per fuzz worker process, emptied for each input.
func fuzzDir(f *testing.F) string {
	dir, err := os.MkdirTemp("", "fluxtf-fuzz-")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func resetDir(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkPlaced asserts that every error names one of the files, with a
// message of one line, at a line inside it where it has one, and that no
// error is a recovered panic.
func checkPlaced(t *testing.T, errs yamlx.ErrorList, files map[string][]byte) {
	t.Helper()
	for _, e := range errs {
		data, ok := files[filepath.Base(e.Pos.File)]
		if !ok {
			t.Fatalf("error in an unknown file: %q", e)
		}
		if e.Msg == "" || strings.Contains(e.Error(), "\n") {
			t.Fatalf("error message empty or of several lines: %q", e)
		}
		if strings.Contains(e.Msg, "internal error") {
			t.Fatalf("a panic was recovered: %q", e)
		}
		if lines := yamlLineCount(data); e.Pos.Line > lines+1 {
			t.Fatalf("error at line %d of a %d-line file: %q", e.Pos.Line, lines, e)
		}
	}
}

func loadAndCheck(t *testing.T, paths []string, files map[string][]byte) *Set {
	t.Helper()
	set, err := Load(paths, Options{})
	if err != nil {
		l := yamlx.AsList(err)
		if len(l) == 0 {
			t.Fatalf("error without a place: %v", err)
		}
		checkPlaced(t, l, files)
		return nil
	}
	for _, d := range set.Docs {
		if _, ok := files[filepath.Base(d.File)]; !ok || d.Line < 1 || d.Kind == "" || d.APIVersion == "" {
			t.Fatalf("document %s %s at %s:%d", d.Kind, d.Name, d.File, d.Line)
		}
	}
	errs, problems := set.Check()
	checkPlaced(t, errs, files)
	for _, p := range problems {
		if _, ok := files[filepath.Base(p.File)]; !ok || p.Line < 1 || p.Message == "" {
			t.Fatalf("finding %q at %s:%d", p.Message, p.File, p.Line)
		}
	}
	return set
}

var manifestSeeds = []string{
	"",
	"---\n---\n",
	"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
	"apiVersion: v1\nkind: ConfigMap\n---\n- 1\n",
	"kind: X\n",
	"apiVersion: [1]\nkind: X\n",
	"apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: g}\nspec: {url: 'ssh://x/y', interval: 1m, ref: {tag: v1}, bogus: 1}\n",
	"apiVersion: infra.contrib.fluxcd.io/v1alpha1\nkind: Terraform\nmetadata: {name: t}\nspec: {path: ., sourceRef: {kind: GitRepository, name: g}, interval: 1m, enableInventory: true}\n",
	"apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: GitRepository\nmetadata: {name: g}\nspec: {url: 'ssh://x/y', interval: 1m}\n",
	"a: &a [*a, *a]\nb: &b [*a, *a]\n",
	"apiVersion: v1\nkind: X\nx: \"\\u0085\"\n\xef\xbb\xbf",
}

// FuzzLoad reads arbitrary bytes as a manifest file, then checks it.
func FuzzLoad(f *testing.F) {
	for _, s := range manifestSeeds {
		f.Add([]byte(s))
	}
	for _, p := range []string{
		"../../fixtures/clusters/prod/digx-prod-eu-eu-west-1/eks.yaml",
		"../../fixtures/clusters/dev/gitrepository.yaml",
		"../../fixtures/clusters/uat/digx-uat-eu-west-1/karpenter.yaml",
		"testdata/check/v1alpha1.yaml",
		"testdata/check/wrong-type.yaml",
		"testdata/load/multidoc/objects.yaml",
	} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		files := map[string][]byte{"m.yaml": data}
		resetDir(t, dir, files)
		loadAndCheck(t, []string{filepath.Join(dir, "m.yaml")}, files)
	})
}

// FuzzLoadKustomization builds a folder whose kustomization.yaml is
// arbitrary bytes and lists (or not) its one manifest.
func FuzzLoadKustomization(f *testing.F) {
	for _, s := range []string{
		"resources: [a.yaml]\n",
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n",
		"resources: [a.yaml]\nnamePrefix: p-\ncommonLabels: {x: y}\n",
		"resources: [missing.yaml]\n",
		"resources: [https://example.com/x.yaml]\n",
		"resources: [../outside]\n",
		"resources: [a.yaml]\npatches: [{patch: '[{\"op\": \"add\", \"path\": \"/spec/x\", \"value\": 1}]', target: {kind: Terraform}}]\n",
		"resources: [a.yaml, a.yaml]\n",
		"- a.yaml\n",
		"",
	} {
		f.Add([]byte(s))
	}
	manifest, err := os.ReadFile("../../fixtures/clusters/uat/digx-uat-eu-west-1/efs.yaml")
	if err != nil {
		f.Fatal(err)
	}
	dir := fuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		files := map[string][]byte{"kustomization.yaml": data, "a.yaml": manifest}
		resetDir(t, dir, files)
		loadAndCheck(t, []string{dir}, files)
	})
}

// yamlLineCount is an upper bound of the lines YAML sees in data: LF, CR,
// NEL, LS and PS all end a line.
func yamlLineCount(data []byte) int {
	n := 1
	for _, r := range string(data) {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}
