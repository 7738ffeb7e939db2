package generator

import (
	"encoding/json"

	yaml "go.yaml.in/yaml/v2"
)

// jsonToYAMLValue parses JSON text written by encoding/json straight into
// what yamlValue makes of json.Decoder's result: mappings as yaml.MapSlice
// in go-yaml's key order, numbers typed by yamlNumber. It reports false on
// anything it does not expect (the caller then takes the long way): the
// decoder and the generic map it fills were a third of a render's time.
func jsonToYAMLValue(data []byte) (any, bool) {
	d := &jsonDec{data: data}
	v, ok := d.value()
	if !ok {
		return nil, false
	}
	d.space()
	return v, d.pos == len(d.data)
}

type jsonDec struct {
	data []byte
	pos  int
}

func (d *jsonDec) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *jsonDec) value() (any, bool) {
	d.space()
	if d.pos >= len(d.data) {
		return nil, false
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		return d.string()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := d.pos
		d.pos++
		for d.pos < len(d.data) {
			c := d.data[d.pos]
			if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
				d.pos++
				continue
			}
			break
		}
		return yamlNumber(json.Number(d.data[start:d.pos])), true
	}
	return nil, false
}

func (d *jsonDec) literal(word string) bool {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return false
	}
	d.pos += len(word)
	return true
}

// string reads a JSON string; one with escapes goes through encoding/json.
func (d *jsonDec) string() (any, bool) {
	start := d.pos
	d.pos++ // the opening quote
	escaped := false
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c == '\\':
			escaped = true
			d.pos += 2
			continue
		case c == '"':
			d.pos++
			if !escaped {
				return string(d.data[start+1 : d.pos-1]), true
			}
			var s string
			if json.Unmarshal(d.data[start:d.pos], &s) != nil {
				return nil, false
			}
			return s, true
		case c < 0x20:
			return nil, false
		}
		d.pos++
	}
	return nil, false
}

func (d *jsonDec) object() (any, bool) {
	d.pos++ // {
	m := map[string]any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return yaml.MapSlice{}, true
	}
	for {
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, false
		}
		k, ok := d.string()
		if !ok {
			return nil, false
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, false
		}
		d.pos++
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		m[k.(string)] = v // a repeated key: the last wins, as in encoding/json
		d.space()
		if d.pos >= len(d.data) {
			return nil, false
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
			continue
		case '}':
			d.pos++
			keys := yamlKeys(m)
			out := make(yaml.MapSlice, len(keys))
			for i, k := range keys {
				out[i] = yaml.MapItem{Key: k, Value: m[k]}
			}
			return out, true
		}
		return nil, false
	}
}

func (d *jsonDec) array() (any, bool) {
	d.pos++ // [
	out := []any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return out, true
	}
	for {
		v, ok := d.value()
		if !ok {
			return nil, false
		}
		out = append(out, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, false
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
			continue
		case ']':
			d.pos++
			return out, true
		}
		return nil, false
	}
}
