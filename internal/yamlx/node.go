package yamlx

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the shape of a Node.
type Kind uint8

// Node kinds.
const (
	ScalarNode Kind = iota + 1
	MappingNode
	SequenceNode
)

func (k Kind) String() string {
	switch k {
	case ScalarNode:
		return "scalar"
	case MappingNode:
		return "mapping"
	case SequenceNode:
		return "sequence"
	}
	return "unknown"
}

// Scalar tags, in their short form.
const (
	TagStr       = "!!str"
	TagInt       = "!!int"
	TagFloat     = "!!float"
	TagBool      = "!!bool"
	TagNull      = "!!null"
	TagTimestamp = "!!timestamp"
	TagBinary    = "!!binary"
	TagMap       = "!!map"
	TagSeq       = "!!seq"
)

// Pos is a place in a file; Line and Column count from 1.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String returns "file:line:column", leaving out what is unknown (zero):
// "file:line", "file", "line:column", "line", or "" for the zero Pos.
func (p Pos) String() string {
	var where string
	switch {
	case p.Line == 0:
	case p.Column == 0:
		where = strconv.Itoa(p.Line)
	default:
		where = strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
	}
	switch {
	case p.File == "":
		return where
	case where == "":
		return p.File
	}
	return p.File + ":" + where
}

// Node is one YAML value with the place it was written. Mapping nodes hold
// keys and values alternately in Content.
type Node struct {
	Kind    Kind
	Tag     string // resolved short tag such as !!str or !!int
	Value   string // scalars only
	Quoted  bool   // the scalar was written quoted or as a block scalar
	Pos     Pos
	Content []*Node
}

// IsNull reports whether n is absent or an explicit null.
func (n *Node) IsNull() bool {
	return n == nil || (n.Kind == ScalarNode && n.Tag == TagNull)
}

// Get returns the value node of key in a mapping, or nil.
func (n *Node) Get(key string) *Node {
	_, v := n.entry(key)
	return v
}

func (n *Node) entry(key string) (k, v *Node) {
	if n == nil || n.Kind != MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i], n.Content[i+1]
		}
	}
	return nil, nil
}

// Keys returns the keys of a mapping in document order.
func (n *Node) Keys() []string {
	if n == nil || n.Kind != MappingNode {
		return nil
	}
	keys := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

// String returns a scalar's value, or "" for anything else.
func (n *Node) String() string {
	if n == nil || n.Kind != ScalarNode || n.Tag == TagNull {
		return ""
	}
	return n.Value
}

// Lookup finds the node at a field path in the form Kubernetes uses
// (k8s.io/apimachinery field.Path): "spec.vars[0].name",
// "metadata.labels[fluxtf.io/tier]". A key segment written in brackets
// indexes a sequence when it is a number and a mapping otherwise. When the
// path leads further than the document goes, Lookup returns the deepest node
// it reached and false, so a finding about a missing field can still point
// at its parent.
func (n *Node) Lookup(path string) (*Node, bool) {
	if n == nil {
		return nil, false // an empty document holds nothing, not even its root
	}
	cur := n
	for _, seg := range splitPath(path) {
		next := cur.step(seg)
		if next == nil {
			return cur, false
		}
		cur = next
	}
	return cur, true
}

// KeyPos is like Lookup but, for a mapping entry, returns the position of
// the key rather than of its value, which is where an editor should jump.
func (n *Node) KeyPos(path string) (Pos, bool) {
	segs := splitPath(path)
	cur := n
	for i, seg := range segs {
		if i == len(segs)-1 && cur != nil && cur.Kind == MappingNode {
			if k, _ := cur.entry(seg); k != nil {
				return k.Pos, true
			}
		}
		next := cur.step(seg)
		if next == nil {
			if cur == nil {
				return Pos{}, false
			}
			return cur.Pos, false
		}
		cur = next
	}
	if cur == nil {
		return Pos{}, false
	}
	return cur.Pos, true
}

func (n *Node) step(seg string) *Node {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case MappingNode:
		return n.Get(seg)
	case SequenceNode:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil
		}
		return n.Content[i]
	}
	return nil
}

// splitPath splits "a.b[0].c[x.y/z]" into [a b 0 c x.y/z].
func splitPath(p string) []string {
	var segs []string
	for len(p) > 0 {
		switch p[0] {
		case '.':
			p = p[1:]
		case '[':
			// ["key"]: a key quoted as Go quotes strings (see joinKey)
			if q, err := strconv.QuotedPrefix(p[1:]); err == nil && strings.HasPrefix(p[1+len(q):], "]") {
				if key, err := strconv.Unquote(q); err == nil {
					segs = append(segs, key)
					p = p[1+len(q)+1:]
					continue
				}
			}
			end := strings.IndexByte(p, ']')
			if end < 0 {
				segs = append(segs, p[1:])
				return segs
			}
			segs = append(segs, p[1:end])
			p = p[end+1:]
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				segs = append(segs, p)
				return segs
			}
			segs = append(segs, p[:end])
			p = p[end:]
		}
	}
	return segs
}

// ToAny converts a tree into plain Go values as encoding/json would produce
// them, except that integers stay int64: map[string]any, []any, string,
// int64, float64, bool and nil. Mapping keys are stringified.
func (n *Node) ToAny() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = n.Content[i+1].ToAny()
		}
		return m
	case SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = c.ToAny()
		}
		return s
	}
	v, _ := scalarValue(n)
	return v
}

// scalarValue interprets a scalar by its tag.
func scalarValue(n *Node) (any, error) {
	switch n.Tag {
	case TagNull:
		return nil, nil
	case TagBool:
		b, err := parseBool(n.Value)
		return b, err
	case TagInt:
		i, err := parseInt(n.Value)
		if err != nil {
			// beyond int64, as encoding/json would read it
			if f, ferr := parseFloat(n.Value); ferr == nil {
				return f, nil
			}
		}
		return i, err
	case TagFloat:
		return parseFloat(n.Value)
	}
	return n.Value, nil
}

func parseBool(s string) (bool, error) {
	switch s {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", s)
}

func parseInt(s string) (int64, error) {
	neg, u, err := parseIntParts(s)
	if err != nil {
		return 0, err
	}
	if neg {
		if u > 1<<63 {
			return 0, fmt.Errorf("%q is out of range", s)
		}
		return -int64(u), nil //nolint:gosec // range checked above
	}
	if u > 1<<63-1 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return int64(u), nil
}

// parseIntParts reads an integer the way go-yaml v3 resolves !!int:
// underscores ignored, an optional sign, then 0x, 0o or 0b (in either case)
// for hexadecimal, octal or binary, a bare leading 0 for octal (YAML 1.1,
// which go-yaml and kubectl still follow: 0644 is 420), else decimal.
func parseIntParts(s string) (neg bool, u uint64, err error) {
	plain := strings.ReplaceAll(s, "_", "")
	switch {
	case strings.HasPrefix(plain, "-"):
		neg, plain = true, plain[1:]
	case strings.HasPrefix(plain, "+"):
		plain = plain[1:]
	}
	base := 10
	if len(plain) > 1 && plain[0] == '0' {
		switch plain[1] {
		case 'x', 'X':
			base, plain = 16, plain[2:]
		case 'o', 'O':
			base, plain = 8, plain[2:]
		case 'b', 'B':
			base, plain = 2, plain[2:]
		default:
			base, plain = 8, plain[1:]
		}
	}
	if plain == "" || plain[0] == '+' || plain[0] == '-' {
		return false, 0, fmt.Errorf("%q is not an integer", s)
	}
	u, err = strconv.ParseUint(plain, base, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return false, 0, fmt.Errorf("%q is out of range", s)
		}
		return false, 0, fmt.Errorf("%q is not an integer", s)
	}
	return neg, u, nil
}

func parseFloat(s string) (float64, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	switch {
	case strings.HasPrefix(strings.TrimLeft(strings.ToLower(s), "+-"), ".inf"),
		strings.ToLower(s) == ".nan",
		err == nil && (math.IsInf(f, 0) || math.IsNaN(f)),
		errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0):
		return 0, fmt.Errorf("%q is not a finite number", s)
	case err != nil:
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}
