package manifest

import (
	"testing"

	"github.com/digx/fluxtf/internal/racedetect"
	"github.com/digx/fluxtf/internal/yamlx"
)

// TestObjectDocSharesCommonText: the apiVersion, kind and namespace that
// fluxtf writes are the constants, not a copy per document; others, and
// the name, are copies (of the same text).
func TestObjectDocSharesCommonText(t *testing.T) {
	cases := []struct{ src, apiVersion, kind, name, namespace string }{
		{"apiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata:\n  name: a-eks\n  namespace: flux-system\n",
			"infra.contrib.fluxcd.io/v1alpha2", "Terraform", "a-eks", "flux-system"},
		{"apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: jeppesen-eks-a\n  namespace: flux-system\n",
			"source.toolkit.fluxcd.io/v1", "GitRepository", "jeppesen-eks-a", "flux-system"},
		{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: apps\n", "v1", "ConfigMap", "c", "apps"},
		{"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n", "v1", "Namespace", "n", ""},
	}
	none := func(*yamlx.Node) (any, error) { return nil, nil }
	for _, c := range cases {
		docs, err := yamlx.Parse("f.yaml", []byte(c.src), yamlx.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		d, yerr := objectDoc("f.yaml", docs[0], none)
		if yerr != nil {
			t.Fatal(yerr)
		}
		if d.APIVersion != c.apiVersion || d.Kind != c.kind || d.Name != c.name || d.Namespace != c.namespace {
			t.Errorf("%q: got %q %q %q %q", c.src, d.APIVersion, d.Kind, d.Name, d.Namespace)
		}
	}
	if racedetect.Enabled {
		return // allocation counts are not counted under the race detector
	}
	docs, err := yamlx.Parse("f.yaml", []byte(cases[0].src), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	// the Doc and a copy of its name
	if got := testing.AllocsPerRun(100, func() { _, _ = objectDoc("f.yaml", docs[0], none) }); got > 2 {
		t.Errorf("wrapping a rendered Terraform took %v allocations, want at most 2", got)
	}
}
