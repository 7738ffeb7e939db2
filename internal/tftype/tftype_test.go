package tftype

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseAndString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, err string
	}{
		{name: "primitive", in: "string", want: "string"},
		{name: "list", in: " list( string ) ", want: "list(string)"},
		{name: "nested", in: "map(object({b = optional(map(string)), a = number}))", want: "map(object({a = number, b = optional(map(string))}))"},
		{name: "tuple", in: "tuple([string, bool])", want: "tuple([string, bool])"},
		{name: "unknown", in: "strin", err: `unknown type "strin"`},
		{name: "optional outside object", in: "optional(string)", err: "only for object attributes"},
		{name: "trailing", in: "list(string))", err: "unexpected"},
		{name: "unclosed", in: "list(string", err: "expected ')'"},
		{name: "empty", in: "", err: "expected a type"},
		{name: "duplicate attribute", in: "object({a = string, a = bool})", err: "declared twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse(%q) error %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, typ, value, err string
	}{
		{name: "string", typ: "string", value: `"a"`},
		{name: "number as string", typ: "string", value: `1`},
		{name: "list is no string", typ: "string", value: `["a"]`, err: "string required, got a list"},
		{name: "numeric string as number", typ: "number", value: `"1.5"`},
		{name: "word as number", typ: "number", value: `"x"`, err: "number required"},
		{name: "bool string", typ: "bool", value: `"true"`},
		{name: "bool word", typ: "bool", value: `"yes"`, err: "bool required"},
		// what tf-controller hands over for a list output read through varsFrom
		{name: "json text is no list", typ: "list(string)", value: `"[\"subnet-a\"]"`, err: `list(string) required, got the string`},
		{name: "list", typ: "list(string)", value: `["a", 1]`},
		{name: "list element", typ: "list(bool)", value: `[true, "no"]`, err: "element 1: bool required"},
		{name: "map", typ: "map(number)", value: `{"a": 1}`},
		{name: "object", typ: "object({a = number, b = optional(string)})", value: `{"a": 1, "extra": true}`},
		{name: "object missing", typ: "object({a = number})", value: `{}`, err: `attribute "a" is required`},
		{name: "tuple length", typ: "tuple([string])", value: `["a", "b"]`, err: "requires 1 elements"},
		{name: "null", typ: "list(string)", value: `null`},
		{name: "any", typ: "any", value: `{"a": [1]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			typ, err := Parse(tc.typ)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal([]byte(tc.value), &v); err != nil {
				t.Fatal(err)
			}
			err = typ.Check(v)
			if tc.err == "" && err != nil {
				t.Errorf("Check(%s) = %v, want nil", tc.value, err)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("Check(%s) = %v, want %q", tc.value, err, tc.err)
			}
		})
	}
}

func TestPlaceholderHCL(t *testing.T) {
	t.Parallel()
	typ, err := Parse("object({ids = list(string), n = number, m = map(bool), s = set(string)})")
	if err != nil {
		t.Fatal(err)
	}
	want := `{ ids = tolist(["placeholder-ids"]), m = tomap({ "key" = true }), n = 1, s = toset(["placeholder-s"]) }`
	if got := typ.PlaceholderHCL("x"); got != want {
		t.Errorf("PlaceholderHCL = %s, want %s", got, want)
	}
}
