package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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

// TestGeneratorFilesChargedByFactor: the files a configMapGenerator or
// secretGenerator reads (files, envs, env; also through a built-in
// ConfigMapGenerator config under generators) count GeneratorFactor times
// their size in the run's bytes, and the error says so; a patch file of
// the same size counts once.
func TestGeneratorFilesChargedByFactor(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := 0; b.Len() < 100_000; i++ {
		fmt.Fprintf(&b, "k%d=v\n", i)
	}
	data := b.String() // 100 KB: 600 KB as charged, over 500 KB
	for name, tt := range map[string]struct {
		kustomization string
		factor        int64
	}{
		"files":     {"configMapGenerator:\n- {name: g, files: [data.env]}\n", GeneratorFactor},
		"envs":      {"secretGenerator:\n- {name: g, envs: [data.env]}\n", GeneratorFactor},
		"config":    {"generators: [gen.yaml]\n", GeneratorFactor},
		"not a gen": {"resources: [cm.yaml]\nconfigurations: [data.env]\n", 1},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{
				"kustomization.yaml": tt.kustomization,
				"data.env":           data,
				"gen.yaml":           "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: g}\nenvs: [data.env]\n",
				"cm.yaml":            fmt.Sprintf(testCM, "cm"),
			})
			set, err := Load([]string{dir}, Options{Budget: NewBudget(500_000, 0)})
			var be *BudgetError
			switch {
			case tt.factor == 1:
				// configurations is read as a file of field specs; it fails
				// to parse, but its bytes count once, under the budget
				if errors.As(err, &be) {
					t.Errorf("over the budget: %v", err)
				}
			case !errors.As(err, &be) || !be.Generator || !strings.Contains(err.Error(), "counts 6 times its size"):
				t.Errorf("err %v (charge %+v), want over the budget of bytes, by a generator's file", err, set.Charge)
			}
		})
	}
}
