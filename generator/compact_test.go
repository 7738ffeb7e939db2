package generator

import (
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/contract"
)

// TestBuildFilesOnlyKeepsNoSpecTree: with FilesOnly (and SumsOnly, as
// check renders) each environment keeps no merged spec tree, only the
// positions of its keys in the user's files, and finds every generated
// field's origin where the environment loaded with its tree does.
func TestBuildFilesOnlyKeepsNoSpecTree(t *testing.T) {
	t.Parallel()
	lo := LoadOptions{SpecsDir: filepath.Join("..", "fixtures", "environments")}
	for _, sumsOnly := range []bool{false, true} {
		outs, err := Build(Options{LoadOptions: lo, All: true, FilesOnly: !sumsOnly, SumsOnly: sumsOnly})
		if err != nil {
			t.Fatal(err)
		}
		compared, atLine := 0, 0
		for _, o := range outs {
			if o.Env.Tree != nil {
				t.Fatalf("%s: the merged spec tree is kept", o.Env.File)
			}
			env := o.Env.Env.Name
			full, err := Load(lo, env)
			if err != nil {
				t.Fatal(err)
			}
			objs, err := Expand(full)
			if err != nil {
				t.Fatal(err)
			}
			for _, obj := range objs {
				fields := []string{"metadata", "metadata.name", "spec.url", "spec.ref.tag", "spec.ref.branch", "spec.backendConfig", "spec.approvePlan", "spec.interval",
					`metadata.annotations["` + contract.AnnotationMigration + `"]`, `metadata.annotations["` + contract.AnnotationMigrationGuide + `"]`,
					`metadata.annotations["` + contract.WaiverPrefix + `x"]`}
				if tf, ok := obj.Object.(*infrav1.Terraform); ok {
					for i := range tf.Spec.Vars {
						fields = append(fields, "spec.vars["+strconv.Itoa(i)+"].value")
					}
				}
				for _, f := range fields {
					want, wok := full.Origin(obj.Path, f)
					got, gok := o.Env.Origin(obj.Path, f)
					if gok != wok || !reflect.DeepEqual(got, want) {
						t.Errorf("%s %s %s: origin %+v, %v; with the tree %+v, %v", env, obj.Path, f, got, gok, want, wok)
					}
					compared++
					if got.Pos.Line > 1 {
						atLine++
					}
				}
			}
		}
		if compared < 100 || atLine < 50 {
			t.Fatalf("only %d origins compared, %d at a spec line", compared, atLine)
		}
	}
}
