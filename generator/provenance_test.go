package generator

import (
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	infrav1 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/bench/fleet"
)

// TestOrigin: fields of generated objects trace back to the spec line a
// user edits, in the environment's spec or defaults.yaml, and fall back to
// the part of the spec that made the object.
func TestOrigin(t *testing.T) {
	t.Parallel()
	specs := filepath.Join("..", "fixtures", "environments")
	l, err := Load(LoadOptions{SpecsDir: specs}, "uat")
	if err != nil {
		t.Fatal(err)
	}
	eks := "digx-uat-eu-west-1/eks.yaml"
	varIndex := func(objPath, name string) string {
		objs, err := Expand(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			if o.Path != objPath {
				continue
			}
			for i, v := range terraformVars(o.Object) {
				if v == name {
					return "spec.vars[" + itoa(i) + "].value"
				}
			}
		}
		t.Fatalf("%s has no var %s", objPath, name)
		return ""
	}
	uat := filepath.Join(specs, "uat.yaml")
	for _, tc := range []struct {
		name, objPath, field string
		wantFile             string
		wantLine             int
		wantField            string
	}{
		{name: "kubernetes version", objPath: eks, field: varIndex(eks, "kubernetes_version"), wantFile: uat, wantLine: 13, wantField: "cluster.kubernetesVersion"},
		{name: "os", objPath: eks, field: varIndex(eks, "os"), wantFile: uat, wantLine: 14, wantField: "cluster.os"},
		{name: "component version", objPath: "digx-uat-eu-west-1/karpenter.yaml", field: varIndex("digx-uat-eu-west-1/karpenter.yaml", "karpenter_version"), wantFile: uat, wantLine: 17, wantField: "components.karpenter.version"},
		{name: "component object", objPath: "digx-uat-eu-west-1/karpenter.yaml", field: "metadata", wantFile: uat, wantLine: 16, wantField: "components.karpenter"},
		{name: "source tag", objPath: "gitrepository.yaml", field: "spec.ref.tag", wantFile: uat, wantLine: 7, wantField: "source.tag"},
		{name: "account id", objPath: eks, field: varIndex(eks, "account_id"), wantFile: uat, wantLine: 10, wantField: "targets[0].accountId"},
		{name: "node groups from defaults.yaml", objPath: eks, field: varIndex(eks, "node_groups"), wantFile: filepath.Join(specs, DefaultsFile), wantField: "cluster.nodeGroups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := l.Origin(tc.objPath, tc.field)
			if !ok {
				t.Fatalf("no origin for %s %s", tc.objPath, tc.field)
			}
			if o.Pos.File != tc.wantFile || (tc.wantLine != 0 && o.Pos.Line != tc.wantLine) || o.Field != tc.wantField {
				t.Errorf("Origin(%s, %s) = %s:%d %s, want %s:%d %s", tc.objPath, tc.field, o.Pos.File, o.Pos.Line, o.Field, tc.wantFile, tc.wantLine, tc.wantField)
			}
		})
	}
	if _, ok := l.Origin("nowhere/eks.yaml", "metadata"); ok {
		t.Error("an object the environment does not render has an origin")
	}
}

func TestSpeak(t *testing.T) {
	t.Parallel()
	o := Origin{Words: map[string]string{
		"kubernetes_version":  "cluster.kubernetesVersion",
		"fluxtf.io/migration": "components.karpenter.migration",
		"os":                  "cluster.os",
	}}
	for _, tc := range []struct{ in, want string }{
		{in: `set kubernetes_version to "1.30" first`, want: `set cluster.kubernetesVersion to "1.30" first`},
		{in: "then set the annotation fluxtf.io/migration on this Terraform", want: "then set components.karpenter.migration"},
		{in: "add `fluxtf.io/migration`", want: "add components.karpenter.migration"},
		{in: "fluxtf.io/migration-guide stays", want: "fluxtf.io/migration-guide stays"},
		{in: "sets os to CUSTOM; cos and os_type stay", want: "sets cluster.os to CUSTOM; cos and os_type stay"},
	} {
		if got := o.Speak(tc.in); got != tc.want {
			t.Errorf("Speak(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func terraformVars(obj any) []string {
	tf, ok := obj.(*infrav1.Terraform)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range tf.Spec.Vars {
		out = append(out, v.Name)
	}
	return out
}

// TestSpeakCompilesOnlyWhatItRewrites: an origin has a word for every
// variable and annotation of its object, a message names one or two; the
// others cost nothing. Before, Speak compiled an expression per word for
// every finding, on a fleet most of a check's allocations after the
// policies'. (Not parallel: it counts allocations.)
func TestSpeakCompilesOnlyWhatItRewrites(t *testing.T) {
	words := map[string]string{"kubernetes_version": "cluster.kubernetesVersion"}
	for i := range 40 {
		words["var_"+itoa(i)] = "targets[0].vars.var_" + itoa(i)
	}
	o := Origin{Words: words}
	msg := `set kubernetes_version to "1.30" first`
	if got, want := o.Speak(msg), `set cluster.kubernetesVersion to "1.30" first`; got != want {
		t.Fatalf("Speak(%q) = %q, want %q", msg, got, want)
	}
	one := testing.AllocsPerRun(10, func() {
		_ = (Origin{Words: map[string]string{"kubernetes_version": "cluster.kubernetesVersion"}}).Speak(msg)
	})
	all := testing.AllocsPerRun(10, func() { _ = o.Speak(msg) })
	// the other 40 words: at most a few allocations in all (the sorted
	// list of words), never an expression each
	if all > one+10 {
		t.Errorf("Speak with 40 words the message does not name allocates %.0f times, with only the word it names %.0f", all, one)
	}
}

// TestExpandOneMatchesExpand: the single object Origin builds (expand with
// a path) is the object Expand builds there, for every object of the
// examples and of a synthetic fleet; a path no object has builds nothing.
func TestExpandOneMatchesExpand(t *testing.T) {
	t.Parallel()
	fleetDir := filepath.Join(t.TempDir(), "environments")
	if err := fleet.Write(fleetDir, 30, 3); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, specs := range []string{filepath.Join("..", "fixtures", "environments"), fleetDir} {
		envs, err := ListEnvironments(specs)
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range envs {
			l, err := Load(LoadOptions{SpecsDir: specs}, env)
			if err != nil {
				t.Fatal(err)
			}
			all, err := Expand(l)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range all {
				got, err := expand(l, want.Path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0].Path != want.Path || !reflect.DeepEqual(got[0].Object, want.Object) {
					t.Fatalf("%s %s: expand gives %d objects, not Expand's", env, want.Path, len(got))
				}
				n++
			}
			if got, _ := expand(l, "nothing/here.yaml", nil); len(got) != 0 {
				t.Fatalf("%s: expand of a path without an object gives %d objects", env, len(got))
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d objects compared", n)
	}
}
