package releasediff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// tree reads a rendered output root from disk, by path below it.
func tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// render renders a specs folder in memory.
func render(t *testing.T, specs string) map[string][]byte {
	t.Helper()
	outs, err := generator.Build(generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: specs}, OutDir: t.TempDir(), All: true, FilesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, o := range outs {
		for _, f := range o.Files {
			out[f.Path] = f.Data
		}
	}
	return out
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./releasediff -update):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestCompareGolden compares the committed example output
// (fixtures/clusters) with the example specs after a change of every
// kind: prod's tag, uat's Kubernetes minor and Karpenter, dev's OS and a
// component added, prod's EFS removed.
func TestCompareGolden(t *testing.T) {
	t.Parallel()
	before := tree(t, filepath.Join("..", "fixtures", "clusters"))
	tests := []struct {
		name  string
		specs string
	}{
		{name: "change", specs: filepath.Join("testdata", "change")},
		{name: "unchanged", specs: filepath.Join("..", "fixtures", "environments")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			changes, err := Compare(before, render(t, tc.specs), templates.Embedded())
			if err != nil {
				t.Fatal(err)
			}
			var text, js, md bytes.Buffer
			if err := WriteText(&text, changes); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&js, changes); err != nil {
				t.Fatal(err)
			}
			if err := WriteMarkdown(&md, changes); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", tc.name+".txt"), text.Bytes())
			golden(t, filepath.Join("testdata", tc.name+".md"), md.Bytes())
			golden(t, filepath.Join("testdata", tc.name+".json"), js.Bytes())
		})
	}
}

// TestComputeBaselineDir compares the specs with a folder of rendered
// manifests (check's --baseline DIR) instead of a git commit: the same
// changes as the golden comparison.
func TestComputeBaselineDir(t *testing.T) {
	t.Parallel()
	changes, err := Compute(Options{
		Render:      generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join("testdata", "change")}, OutDir: filepath.Join(t.TempDir(), "clusters")},
		BaselineDir: filepath.Join("..", "fixtures", "clusters"),
	})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := WriteText(&text, changes); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "change.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if text.String() != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", text.String(), want)
	}
}

// TestWriteMarkdownNoBaseline is the one line of a summary without a
// baseline.
func TestWriteMarkdownNoBaseline(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteMarkdownNoBaseline(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "no baseline") {
		t.Errorf("got %q, want one line saying there is no baseline", got)
	}
}
