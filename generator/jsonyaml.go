package generator

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

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
	var out yaml.MapSlice
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
		out = append(out, yaml.MapItem{Key: k, Value: v})
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
			return out, sortItems(out)
		}
		return nil, false
	}
}

// sortItems puts the items of a mapping (string keys) in the order
// yamlKeys gives, without a map: encoding/json writes a struct's fields
// in their order and a map's keys in byte order. It reports false for a
// repeated key (encoding/json writes none; the caller then takes the
// long way, where the last one wins).
func sortItems(items yaml.MapSlice) bool {
	byteOrder := func(a, b yaml.MapItem) int { return strings.Compare(a.Key.(string), b.Key.(string)) }
	if !slices.IsSortedFunc(items, byteOrder) {
		slices.SortFunc(items, byteOrder)
	}
	for i := 1; i < len(items); i++ {
		if items[i-1].Key == items[i].Key {
			return false
		}
	}
	// the same sort as yamlKeys: keyLess is not a total order, so another
	// stable sort could order some keys differently
	sort.SliceStable(items, func(i, j int) bool { return keyLess(items[i].Key.(string), items[j].Key.(string)) })
	return true
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
