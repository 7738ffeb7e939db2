package crdtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// Sample is one document of the upstream samples.
type Sample struct {
	// Name is the file, relative to samples/, and the document's index:
	// "tf-controller/basic.yaml#0".
	Name string
	// APIVersion is the document's apiVersion.
	APIVersion string
	// Data is the document's YAML.
	Data []byte
}

// Samples returns every document of the given kind in the upstream
// samples (UpstreamDir/samples, *.yaml and *.yml), in file order; a file
// or document that does not parse fails the test.
func Samples(tb testing.TB, kind string) []Sample {
	tb.Helper()
	root := filepath.Join(UpstreamDir(tb), "samples")
	var out []Sample
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		docs, err := SplitYAMLDocuments(data)
		if err != nil {
			tb.Errorf("%s: %v", path, err)
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		for i, doc := range docs {
			var head struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &head); err != nil {
				tb.Errorf("%s#%d: %v", rel, i, err)
				continue
			}
			if head.Kind == kind {
				out = append(out, Sample{Name: rel + "#" + strconv.Itoa(i), APIVersion: head.APIVersion, Data: doc})
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
