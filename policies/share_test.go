package policies

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestSameValue: a baseline document shares a current one's value only
// when a rule could not tell them apart, not merely when OPA holds them
// equal (1 and 1.0).
func TestSameValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{name: "equal objects", a: `{"a": [1, "x", null, true], "b": {"c": 2.5}}`, b: `{"b": {"c": 2.5}, "a": [1, "x", null, true]}`, want: true},
		{name: "number written apart", a: `{"replicas": 1}`, b: `{"replicas": 1.0}`},
		{name: "string and number", a: `["1"]`, b: `[1]`},
		{name: "null and false", a: `[null]`, b: `[false]`},
		{name: "array order", a: `[1, 2]`, b: `[2, 1]`},
		{name: "array length", a: `[1, 2]`, b: `[1, 2, 2]`},
		{name: "extra key", a: `{"a": 1}`, b: `{"a": 1, "b": 1}`},
		{name: "other key", a: `{"a": 1}`, b: `{"b": 1}`},
		{name: "nested change", a: `{"a": {"b": ["x"]}}`, b: `{"a": {"b": ["y"]}}`},
		{name: "non-string key", a: `{1: "a"}`, b: `{1: "a"}`},
		{name: "sets", a: `{"a": {1}}`, b: `{"a": {1}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := ast.MustParseTerm(tt.a).Value, ast.MustParseTerm(tt.b).Value
			if got := sameValue(a, b); got != tt.want {
				t.Errorf("sameValue(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := sameValue(b, a); got != tt.want {
				t.Errorf("sameValue(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
			}
		})
	}
}
