package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmbeddedStacks(t *testing.T) {
	t.Parallel()
	set := Embedded()
	eks, err := set.Stack("jeppesen-eks")
	if err != nil {
		t.Fatal(err)
	}
	ocm, err := set.Stack("ocm-client")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		st       *Stack
		families string
		aws      bool
		azure    bool
		takes    []string
		refuses  []string
	}{
		{name: "jeppesen-eks", st: eks, families: "common,eks", aws: true, takes: []string{"cluster", "terraform.runnerAccess"}, refuses: []string{"functionApp"}},
		{name: "ocm-client", st: ocm, families: "common,ocm-client", aws: true, azure: true, takes: []string{"functionApp"}, refuses: []string{"cluster", "terraform.runnerAccess", "targets[].clusterName"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.st.FamiliesValue(); got != tc.families {
				t.Errorf("families %q, want %q", got, tc.families)
			}
			if tc.st.Deploys(TargetAWS) != tc.aws || tc.st.Deploys(TargetAzure) != tc.azure {
				t.Errorf("target kinds %v", tc.st.TargetKinds())
			}
			for _, f := range tc.takes {
				if !tc.st.TakesField(f) {
					t.Errorf("does not take %s", f)
				}
			}
			for _, f := range tc.refuses {
				if tc.st.TakesField(f) {
					t.Errorf("takes %s", f)
				}
			}
			if !tc.st.HasBase() || tc.st.SourceURL == "" || tc.st.SourcePrefix != tc.name {
				t.Errorf("base %v, sourceURL %q, prefix %q", tc.st.HasBase(), tc.st.SourceURL, tc.st.SourcePrefix)
			}
		})
	}
}

// TestStackModelChecks: a catalogue's model fields are checked with the
// line of the mistake; a catalogue without them keeps the old EKS shape.
func TestStackModelChecks(t *testing.T) {
	t.Parallel()
	const head = "apiVersion: fluxtf/v1alpha1\nkind: Stack\nname: s\nsourcePrefix: s\n"
	for _, tc := range []struct {
		name, body, want string
	}{
		{name: "target kind", body: "targets: [aws, gcp]\nbase: {name: b, path: ./b}\ncomponents: []\n", want: `stacks/s.yaml:5:16: targets[1]: must be aws or azure, got "gcp"`},
		{name: "family", body: "policies: [common, k8s]\nbase: {name: b, path: ./b}\ncomponents: []\n", want: `policies[1]: unknown policy family "k8s"`},
		{name: "spec field", body: "spec: {required: [clusters]}\nbase: {name: b, path: ./b}\ncomponents: []\n", want: `spec.required[0]: "clusters" is not a stack-specific spec field`},
		{name: "reads without base", body: "components: [{name: c, path: ./c, reads: [x]}]\n", want: `components[0].reads[0]: the stack has no base module whose outputs "x" could be`},
		{name: "no base is fine", body: "spec: {}\ncomponents: [{name: c, path: ./c}]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "stacks"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "stacks", "s.yaml"), []byte(head+tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			set, err := WithOverrides(dir)
			if err != nil {
				t.Fatal(err)
			}
			st, err := set.Stack("s")
			switch {
			case tc.want == "" && err != nil:
				t.Fatal(err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want %q", err, tc.want)
			case tc.want == "" && (st.HasBase() || st.TakesField("cluster") || st.FamiliesValue() != "common"):
				t.Errorf("base %v, cluster %v, families %q", st.HasBase(), st.TakesField("cluster"), st.FamiliesValue())
			}
		})
	}
}
