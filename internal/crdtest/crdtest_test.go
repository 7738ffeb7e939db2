package crdtest_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/crdtest"
)

func TestSplitYAMLDocuments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "single", in: "a: 1\n", want: []string{"a: 1\n"}},
		{name: "leading separator and comment-only document", in: "# c\n---\na: 1\n---\n# only a comment\n---\nb: 2",
			want: []string{"a: 1", "b: 2"}},
		{name: "separator with comment and trailing spaces", in: "a: 1\n--- # next\nb: 2\n---  \nc: 3\n",
			want: []string{"a: 1", "b: 2", "c: 3\n"}},
		{name: "dashes inside a block scalar are content", in: "a: |\n  ---x\n  y\n",
			want: []string{"a: |\n  ---x\n  y\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			docs, err := crdtest.SplitYAMLDocuments([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range docs {
				got = append(got, string(d))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestToJSONSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		schema  string
		valid   []string
		invalid []string
	}{
		{name: "int-or-string", schema: `{"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}], "pattern": "^[0-9]+m?$"}`,
			valid: []string{`1`, `"5m"`}, invalid: []string{`true`, `"x"`, `1.5`}},
		{name: "nullable", schema: `{"type": "string", "nullable": true}`, valid: []string{`null`, `"a"`}, invalid: []string{`1`}},
		{name: "closed object", schema: `{"type": "object", "properties": {"a": {"type": "string"}}}`,
			valid: []string{`{"a": "x"}`, `{}`}, invalid: []string{`{"b": 1}`}},
		{name: "preserve unknown fields", schema: `{"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}}`,
			valid: []string{`{"b": 1}`}, invalid: []string{`{"a": 1}`}},
		{name: "int32 bounds", schema: `{"type": "integer", "format": "int32"}`,
			valid: []string{`2147483647`, `-2147483648`}, invalid: []string{`2147483648`}},
		{name: "x-kubernetes extensions dropped", schema: `{"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set", "x-kubernetes-validations": [{"rule": "false"}]}`,
			valid: []string{`["a", "a"]`}, invalid: []string{`[1]`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var s map[string]any
			dec := json.NewDecoder(strings.NewReader(tc.schema))
			dec.UseNumber()
			if err := dec.Decode(&s); err != nil {
				t.Fatal(err)
			}
			sch, err := crdtest.CompileJSONSchema("test.json", crdtest.ToJSONSchema(s))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range tc.valid {
				if err := crdtest.ValidateJSON(sch, []byte(v)); err != nil {
					t.Errorf("%s rejected: %v", v, err)
				}
			}
			for _, v := range tc.invalid {
				if err := crdtest.ValidateJSON(sch, []byte(v)); err == nil {
					t.Errorf("%s accepted", v)
				}
			}
		})
	}
}
