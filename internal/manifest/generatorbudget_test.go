package manifest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

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
