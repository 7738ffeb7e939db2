package generator

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
)

// TestSpecErrors loads each spec of testdata/specerrors/<case>/uat.yaml
// and compares the error with want.txt (file names relative to
// testdata/specerrors; -update rewrites it): every error of the spec in
// one run, sorted by line, at most MaxSpecErrors and a count of the rest.
func TestSpecErrors(t *testing.T) {
	t.Parallel()
	root := filepath.Join("testdata", "specerrors")
	ents, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load(LoadOptions{SpecsDir: filepath.Join(root, name)}, "uat")
			if err == nil {
				t.Fatal("the spec loaded; want errors")
			}
			got := strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "") + "\n"
			wantFile := filepath.Join(root, name, "want.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestSecretsRenderAsSecretKeyRef renders testdata/secrets: the spec's
// cluster.secrets and components.<name>.secrets become vars read from the
// Secret key (valueFrom.secretKeyRef), sorted among the inline vars, with
// no value in the output.
func TestSecretsRenderAsSecretKeyRef(t *testing.T) {
	t.Parallel()
	outs, err := Build(Options{LoadOptions: LoadOptions{SpecsDir: filepath.Join("testdata", "secrets")}, Envs: []string{"uat"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{ // object -> var, Secret, key
		"uat-digx-uat-eu-west-1-eks":    {"db_password", "eks-db", "password"},
		"uat-digx-uat-eu-west-1-argocd": {"notifications_token", "argocd-notifications", "token"},
	}
	found := 0
	for _, o := range outs[0].Object {
		tf, ok := o.Object.(*infrav1.Terraform)
		if !ok {
			continue
		}
		w, ok := want[tf.Name]
		if !ok {
			continue
		}
		names := make([]string, len(tf.Spec.Vars))
		for i, v := range tf.Spec.Vars {
			names[i] = v.Name
			if v.Name != w[0] {
				continue
			}
			found++
			switch {
			case v.Value != nil:
				t.Errorf("%s: %s has an inline value", tf.Name, v.Name)
			case v.ValueFrom == nil || v.ValueFrom.SecretKeyRef == nil:
				t.Errorf("%s: %s has no valueFrom.secretKeyRef", tf.Name, v.Name)
			case v.ValueFrom.SecretKeyRef.Name != w[1] || v.ValueFrom.SecretKeyRef.Key != w[2]:
				t.Errorf("%s: %s reads %s/%s, want %s/%s", tf.Name, v.Name, v.ValueFrom.SecretKeyRef.Name, v.ValueFrom.SecretKeyRef.Key, w[1], w[2])
			}
		}
		if !sort.StringsAreSorted(names) {
			t.Errorf("%s: vars not sorted: %v", tf.Name, names)
		}
		if errs := tf.Validate(); len(errs) > 0 {
			t.Errorf("%s: %v", tf.Name, errs)
		}
	}
	if found != len(want) {
		t.Errorf("found %d secret vars, want %d", found, len(want))
	}
}
