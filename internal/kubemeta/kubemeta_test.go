package kubemeta

import (
	"strings"
	"testing"

	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		apiVersion, kind string
		meta             metav1.ObjectMeta
		want             []string // the errors, in order
	}{
		{name: "valid", apiVersion: "a/v1", kind: "K", meta: metav1.ObjectMeta{Name: "x", Namespace: "ns"}},
		{name: "all missing", want: []string{`apiVersion: Required value: must be a/v1`, `kind: Required value: must be K`, `metadata.name: Required value: a manifest must have a name`}},
		{name: "others", apiVersion: "a/v2", kind: "L", meta: metav1.ObjectMeta{Name: "X_1", Namespace: "a.b"}, want: []string{
			`apiVersion: Unsupported value: "a/v2": supported values: "a/v1"`,
			`kind: Unsupported value: "L": supported values: "K"`,
			`metadata.name: Invalid value: "X_1": a lowercase RFC 1123 subdomain`,
			`metadata.namespace: Invalid value: "a.b": must not contain dots`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := append(ValidateTypeMeta(tc.apiVersion, tc.kind, "a/v1", "K"), ValidateObjectMeta(&tc.meta)...)
			if len(errs) != len(tc.want) {
				t.Fatalf("got %v, want %q", errs, tc.want)
			}
			for i, e := range errs {
				if !strings.HasPrefix(e.Error(), tc.want[i]) {
					t.Errorf("error %d: %q, want it to start with %q", i, e.Error(), tc.want[i])
				}
			}
		})
	}
}

// nameSeeds are names around the edges of the DNS-1123 rules.
var nameSeeds = []string{
	"", "a", "-", "a-", "-a", "a-b", "a.b", "a..b", ".a", "a.", "A", "a_b", "0", "9-9", "a.b-c.d", "é",
	"a\n", "\na", strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 253),
	strings.Repeat("a", 254), strings.Repeat("a.", 126) + "a", strings.Repeat("ab.", 84) + "a",
	"d001-digx-dev-eu-west-1-eks", "flux-system", "jeppesen-eks-d001",
}

// checkNameScans fails when a scan and the API server's expressions
// disagree on a name.
func checkNameScans(t *testing.T, name string) {
	t.Helper()
	if got, want := isDNS1123Subdomain(name), len(apivalidation.NameIsDNSSubdomain(name, false)) == 0; got != want {
		t.Errorf("isDNS1123Subdomain(%q) = %v, the API server's rule says %v", name, got, want)
	}
	if got, want := isDNS1123Label(name), len(apivalidation.ValidateNamespaceName(name, false)) == 0; got != want {
		t.Errorf("isDNS1123Label(%q) = %v, the API server's rule says %v", name, got, want)
	}
}

// TestNameScans holds the scans ValidateObjectMeta runs first to the
// API server's rules.
func TestNameScans(t *testing.T) {
	t.Parallel()
	for _, name := range nameSeeds {
		checkNameScans(t, name)
	}
}

// FuzzNameScans: the scans agree with the API server's rules on any name.
func FuzzNameScans(f *testing.F) {
	for _, name := range nameSeeds {
		f.Add(name)
	}
	f.Fuzz(checkNameScans)
}
