package kubemeta

import (
	"strings"
	"testing"

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
