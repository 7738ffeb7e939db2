package generator

import (
	"encoding/json"
	"slices"
	"strconv"
)

// varJSON is json.Marshal(v) for a Terraform variable's value (vars):
// the same bytes, written without reflection for the values variables
// hold (strings, booleans, integers, lists and maps of them) when every
// string is printable ASCII that encoding/json writes as it is (no quote,
// backslash or HTML character to escape). Anything else goes to
// encoding/json. TestVarJSONIsEncodingJSON and FuzzVarJSON hold the two
// to the same bytes.
func varJSON(v any) ([]byte, error) {
	if b, ok := appendVarJSON(make([]byte, 0, 32), v, 0); ok {
		return b, nil
	}
	return json.Marshal(v)
}

// maxVarDepth bounds the nesting appendVarJSON follows.
const maxVarDepth = 100

// appendVarJSON appends the JSON of v, or reports false.
func appendVarJSON(b []byte, v any, depth int) ([]byte, bool) {
	if depth > maxVarDepth {
		return nil, false
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case string:
		return appendVarString(b, x)
	case bool:
		return strconv.AppendBool(b, x), true
	case int:
		return strconv.AppendInt(b, int64(x), 10), true
	case int64:
		return strconv.AppendInt(b, x, 10), true
	case []string:
		if x == nil {
			return append(b, "null"...), true
		}
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendVarString(b, s); !ok {
				return nil, false
			}
		}
		return append(b, ']'), true
	case []any:
		if x == nil {
			return append(b, "null"...), true
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendVarJSON(b, e, depth+1); !ok {
				return nil, false
			}
		}
		return append(b, ']'), true
	case map[string]string:
		if x == nil {
			return append(b, "null"...), true
		}
		b = append(b, '{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendVarString(b, k); !ok {
				return nil, false
			}
			b = append(b, ':')
			if b, ok = appendVarString(b, x[k]); !ok {
				return nil, false
			}
		}
		return append(b, '}'), true
	case map[string]any:
		if x == nil {
			return append(b, "null"...), true
		}
		b = append(b, '{')
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendVarString(b, k); !ok {
				return nil, false
			}
			b = append(b, ':')
			if b, ok = appendVarJSON(b, x[k], depth+1); !ok {
				return nil, false
			}
		}
		return append(b, '}'), true
	}
	return nil, false
}

// appendVarString appends s quoted, when encoding/json writes it as it
// is: printable ASCII but '"', '\\', '<', '>' and '&'.
func appendVarString(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return nil, false
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}
