package manifest

import (
	"slices"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
)

// TestKustomizeNotesNameTheField: a deprecation warning of kustomize's
// names the file:line of the field in each kustomization file of the
// build that holds it, the one built first; a warning about a field no
// file holds, and any other line, names the kustomization built.
func TestKustomizeNotesNameTheField(t *testing.T) {
	t.Parallel()
	u := &kustUnit{file: "app/kustomization.yaml", kustRoots: map[string]*yamlx.Node{}}
	for file, data := range map[string]string{
		"app/kustomization.yaml":  "resources: [../base, ../comp]\nvars: []\n",
		"base/kustomization.yaml": "resources: [cm.yaml]\n\nvars: []\n",
		"comp/kustomization.yaml": "kind: Component\ncommonLabels: {a: b}\n",
	} {
		docs, err := yamlx.Parse(file, []byte(data), yamlx.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		u.kustRoots[file] = docs[0].Root
	}
	got := kustomizeNotes(u, []string{
		"Warning: 'vars' is deprecated. Please use 'replacements' instead.",
		"Warning: 'commonLabels' is deprecated. Please use 'labels' instead.",
		"Warning: 'imageTags' is deprecated. Please use 'images' instead.",
		"well-defined vars that were never replaced: X",
	})
	want := []string{
		"app/kustomization.yaml:2: kustomize, building app/kustomization.yaml: Warning: 'vars' is deprecated. Please use 'replacements' instead.",
		"base/kustomization.yaml:3: kustomize, building app/kustomization.yaml: Warning: 'vars' is deprecated. Please use 'replacements' instead.",
		"comp/kustomization.yaml:2: kustomize, building app/kustomization.yaml: Warning: 'commonLabels' is deprecated. Please use 'labels' instead.",
		"kustomize, building app/kustomization.yaml: Warning: 'imageTags' is deprecated. Please use 'images' instead.",
		"kustomize, building app/kustomization.yaml: well-defined vars that were never replaced: X",
	}
	if !slices.Equal(got, want) {
		t.Errorf("notes:\n%q\nwant:\n%q", got, want)
	}
}
