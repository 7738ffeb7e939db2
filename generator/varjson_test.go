package generator

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
)

// TestVarJSONIsEncodingJSON: varJSON writes what json.Marshal writes, on
// its own path for the values it knows and through encoding/json for the
// others.
func TestVarJSONIsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    any
		fast bool
	}{
		{nil, true}, {"eu-west-1", true}, {"", true}, {true, true}, {false, true}, {-42, true}, {int64(1) << 62, true},
		{[]string{"a", "b"}, true}, {[]string(nil), true}, {[]string{}, true},
		{[]any{1, "x", nil, []any{}, map[string]any{}}, true}, {[]any(nil), true},
		{map[string]string{"b": "1", "a": "2", "A": "3", "a10": "", "a9": "x"}, true}, {map[string]string(nil), true},
		{map[string]any{"system": map[string]any{"min_size": 2, "instance_types": []string{"m5.large"}, "labels": map[string]string{"k": "v"}}}, true},
		{map[string]any(nil), true},
		{"a<b", false}, {"a&b", false}, {"x>", false}, {`q"`, false}, {`b\`, false}, {"tab\t", false}, {"é", false}, {"\x7f", false}, {"a\xffb", false},
		{1.5, false}, {uint(3), false}, {[]int{1}, false}, {map[string]int{"a": 1}, false},
		{map[string]any{"a": []any{1.0}}, false}, {map[string]string{"a<": "b"}, false}, {[]string{"\u2028"}, false},
	} {
		want, werr := json.Marshal(tc.v)
		got, gerr := varJSON(tc.v)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Errorf("varJSON(%#v) = %s, %v; want %s, %v", tc.v, got, gerr, want, werr)
		}
		if _, fast := appendVarJSON(nil, tc.v, 0); fast != tc.fast {
			t.Errorf("varJSON(%#v) on its own path: %v, want %v", tc.v, fast, tc.fast)
		}
	}
}

// FuzzVarJSON: varJSON is json.Marshal for any value read from YAML.
func FuzzVarJSON(f *testing.F) {
	for _, s := range []string{"a: 1\n", "a: [x, 1, true, ~, {b: c}]\n", "a: {b: 'x<y', c: 1.5}\n", "a: \"\\u2028\"\n", "a: [[[]]]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := yamlx.Parse("fuzz.yaml", data, yamlx.Limits{MaxBytes: 16 << 10, MaxDepth: 16, MaxAliasNodes: 200})
		if err != nil || len(docs) == 0 || docs[0].Root == nil {
			return
		}
		v := docs[0].Root.ToAny()
		want, werr := json.Marshal(v)
		got, gerr := varJSON(v)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("varJSON = %s, %v; want %s, %v", got, gerr, want, werr)
		}
	})
}
