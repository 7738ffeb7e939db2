package yamlx

import "encoding/json"

// treeJSON returns json.Marshal of what anyValue makes of a mapping or a
// sequence (a Terraform variable's list or object value), written from
// the tree without building the maps and slices and without the
// encoder's reflection; ok is false for anything it does not shortcut,
// which takes that way (TestTreeJSONIsMarshal, FuzzTreeJSON): a scalar
// at the top, a scalar anyValue would report, a mapping whose keys are
// not in ascending byte order (json.Marshal sorts them; a mapping
// written unsorted is not reordered here) or repeat.
func treeJSON(n *Node) (raw []byte, ok bool) {
	return appendTreeJSON(nil, n)
}

// appendTreeJSON appends treeJSON(n) to b.
func appendTreeJSON(b []byte, n *Node) ([]byte, bool) {
	if n.Kind != MappingNode && n.Kind != SequenceNode {
		return nil, false
	}
	return appendJSONValue(b, n)
}

// appendJSONValue appends the JSON of any node of a tree treeJSON takes.
func appendJSONValue(b []byte, n *Node) ([]byte, bool) {
	switch n.Kind {
	case MappingNode:
		b = append(b, '{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if i > 0 {
				if n.Content[i-2].Value >= k {
					return nil, false
				}
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendJSONString(b, k); !ok {
				return nil, false
			}
			b = append(b, ':')
			if b, ok = appendJSONValue(b, n.Content[i+1]); !ok {
				return nil, false
			}
		}
		return append(b, '}'), true
	case SequenceNode:
		b = append(b, '[')
		for i, c := range n.Content {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendJSONValue(b, c); !ok {
				return nil, false
			}
		}
		return append(b, ']'), true
	}
	switch n.Tag {
	case TagNull:
		return append(b, "null"...), true
	case TagBool, TagInt:
		return appendBoolIntJSON(b, n)
	case TagFloat:
		f, err := parseFloat(n.Value)
		if err != nil {
			return nil, false
		}
		raw, err := json.Marshal(f)
		if err != nil {
			return nil, false
		}
		return append(b, raw...), true
	}
	return appendJSONString(b, n.Value)
}

// appendJSONString appends json.Marshal of s: quoted as it is when it is
// printable ASCII that needs no escape, else encoded by encoding/json.
func appendJSONString(b []byte, s string) ([]byte, bool) {
	if !plainJSONString(s) {
		raw, err := json.Marshal(s)
		if err != nil {
			return nil, false
		}
		return append(b, raw...), true
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}
