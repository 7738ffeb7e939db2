package generator

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// jsonToYAML writes after prefix the YAML that go-yaml v2 writes for JSON
// text written by encoding/json, as marshal's reference path makes it:
// the text decoded (numbers typed by yamlNumber), status and
// metadata.creationTimestamp left out, every mapping in go-yaml's key
// order (yamlKeys), in block style. It works on the text itself: the
// mappings and sequences are spans of it in one node slice, each value a
// substring of one copy of the text, so nothing is allocated per value;
// the decoded tree of interfaces (yaml.MapSlice, []any, boxed strings) it
// replaces was 40% of a render's marshalling and a fifth of its
// allocations. It reports false on anything it does not expect (a string
// go-yaml would quote or fold, an escape it cannot judge, a repeated key),
// and the caller then takes go-yaml's encoder.
func jsonToYAML(prefix string, data []byte, size int) ([]byte, bool) {
	if len(data) == 0 {
		return nil, false
	}
	p := parsers.Get().(*jsonParser)
	defer p.release()
	// the values are substrings of data, which the caller hands over and
	// never changes (the text json.Marshal returned): no copy of it
	p.text = unsafe.String(&data[0], len(data))
	root, ok := p.value()
	if !ok {
		return nil, false
	}
	p.space()
	if p.pos != len(p.text) || p.nodes[root].kind != '{' {
		return nil, false
	}
	e := &emitter{b: append(make([]byte, 0, max(size, len(prefix))), prefix...)}
	if !p.mapping(e, root, 0, false, "status", true) {
		return nil, false
	}
	return e.b, true
}

// jsonNode is one JSON value: a scalar's text (a string decoded, a
// number's digits) or the span of an object's members or an array's
// elements in jsonParser.kids.
type jsonNode struct {
	kind     byte // '{' object, '[' array, '"' string, '0' number, 't', 'f', 'n'
	text     string
	first, n int32
}

// jsonMember is an object's member (key and value) or an array's element
// (no key).
type jsonMember struct {
	key  string
	node int32
	// plain says key is written as it is (a struct field's name that
	// stringStyle writes plain, fieldPlan.plainKey): mapping need not
	// judge it again for every object
	plain bool
}

type jsonParser struct {
	text   string
	pos    int
	nodes  []jsonNode
	kids   []jsonMember
	stack  []jsonMember // the members of the objects and arrays being read
	sorter byKeyLess
	// zeroStatus tells typedToYAML's fromStruct that the struct it meets
	// is the document, whose zero status it need not build
	zeroStatus bool
	// strict makes value refuse what encoding/json refuses as JSON
	// (json.Valid) that it otherwise reads: numbers not in JSON's grammar
	// and nesting past maxStrictDepth (typedToYAML's reading of a
	// Marshaler's output, which encoding/json checks)
	strict bool
	depth  int
}

// maxStrictDepth bounds the nesting of JSON read strictly: encoding/json
// refuses past 10,000 levels; deeper than this is left to it.
const maxStrictDepth = 1000

// parsers keeps jsonParsers for reuse: their slices, grown to the size of
// an object, were most of what jsonToYAML allocated.
var parsers = sync.Pool{New: func() any { return new(jsonParser) }}

// release empties p, dropping its references to the text, and gives it
// back to parsers.
func (p *jsonParser) release() {
	clear(p.nodes)
	clear(p.kids)
	clear(p.stack[:cap(p.stack)])
	*p = jsonParser{nodes: p.nodes[:0], kids: p.kids[:0], stack: p.stack[:0]}
	parsers.Put(p)
}

func (p *jsonParser) space() {
	for p.pos < len(p.text) {
		switch p.text[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) add(n jsonNode) (int32, bool) {
	p.nodes = append(p.nodes, n)
	return int32(len(p.nodes) - 1), true
}

func (p *jsonParser) value() (int32, bool) {
	p.space()
	if p.pos >= len(p.text) {
		return 0, false
	}
	switch c := p.text[p.pos]; {
	case c == '{' || c == '[':
		if p.strict {
			if p.depth++; p.depth > maxStrictDepth {
				return 0, false
			}
			defer func() { p.depth-- }()
		}
		if c == '{' {
			return p.object()
		}
		return p.array()
	case c == '"':
		s, ok := p.string()
		if !ok {
			return 0, false
		}
		return p.add(jsonNode{kind: '"', text: s})
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		p.pos++
		for p.pos < len(p.text) {
			c := p.text[p.pos]
			if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
				p.pos++
				continue
			}
			break
		}
		if p.strict && !validNumber(p.text[start:p.pos]) {
			return 0, false
		}
		return p.add(jsonNode{kind: '0', text: p.text[start:p.pos]})
	}
	return 0, false
}

// validNumber reports whether s is a number in JSON's grammar
// (encoding/json's isValidNumber).
func validNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		if s = s[1:]; s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			if s = s[1:]; s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}

func (p *jsonParser) literal(word string) (int32, bool) {
	if !strings.HasPrefix(p.text[p.pos:], word) {
		return 0, false
	}
	p.pos += len(word)
	return p.add(jsonNode{kind: word[0]})
}

// string reads a JSON string; one with escapes goes through encoding/json.
func (p *jsonParser) string() (string, bool) {
	start := p.pos
	p.pos++ // the opening quote
	escaped := false
	for p.pos < len(p.text) {
		switch c := p.text[p.pos]; {
		case c == '\\':
			escaped = true
			p.pos += 2
			continue
		case c == '"':
			p.pos++
			if !escaped {
				return p.text[start+1 : p.pos-1], true
			}
			var s string
			if json.Unmarshal([]byte(p.text[start:p.pos]), &s) != nil {
				return "", false
			}
			return s, true
		case c < 0x20:
			return "", false
		}
		p.pos++
	}
	return "", false
}

// close turns the members read since start into the kids of a new node.
func (p *jsonParser) close(kind byte, start int) (int32, bool) {
	first := len(p.kids)
	p.kids = append(p.kids, p.stack[start:]...)
	n := len(p.stack) - start
	p.stack = p.stack[:start]
	return p.add(jsonNode{kind: kind, first: int32(first), n: int32(n)})
}

func (p *jsonParser) object() (int32, bool) {
	p.pos++ // {
	start := len(p.stack)
	p.space()
	if p.pos < len(p.text) && p.text[p.pos] == '}' {
		p.pos++
		return p.close('{', start)
	}
	for {
		p.space()
		if p.pos >= len(p.text) || p.text[p.pos] != '"' {
			return 0, false
		}
		k, ok := p.string()
		if !ok {
			return 0, false
		}
		p.space()
		if p.pos >= len(p.text) || p.text[p.pos] != ':' {
			return 0, false
		}
		p.pos++
		v, ok := p.value()
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{key: k, node: v})
		p.space()
		if p.pos >= len(p.text) {
			return 0, false
		}
		switch p.text[p.pos] {
		case ',':
			p.pos++
			continue
		case '}':
			p.pos++
			if !p.sortMembers(p.stack[start:]) {
				return 0, false
			}
			return p.close('{', start)
		}
		return 0, false
	}
}

// sortMembers puts the members of an object in the order yamlKeys gives,
// without a map: encoding/json writes a struct's fields in their order and
// a map's keys in byte order. It reports false for a repeated key
// (encoding/json writes none; the caller then takes the long way, where
// the last one wins).
func (p *jsonParser) sortMembers(ms []jsonMember) bool {
	byteOrder := func(a, b jsonMember) int { return strings.Compare(a.key, b.key) }
	if !slices.IsSortedFunc(ms, byteOrder) {
		slices.SortFunc(ms, byteOrder)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i-1].key == ms[i].key {
			return false
		}
	}
	// the same stable sort as yamlKeys' sort.SliceStable (sort.Stable is
	// the same algorithm): keyLess is not a total order, so another stable
	// sort could order some keys differently
	// (through the parser's sorter: a slice made an interface would be
	// allocated for each object)
	p.sorter.ms = ms
	sort.Stable(&p.sorter)
	p.sorter.ms = nil
	return true
}

// byKeyLess sorts members by keyLess.
type byKeyLess struct{ ms []jsonMember }

func (b *byKeyLess) Len() int           { return len(b.ms) }
func (b *byKeyLess) Less(i, j int) bool { return keyLess(b.ms[i].key, b.ms[j].key) }
func (b *byKeyLess) Swap(i, j int)      { b.ms[i], b.ms[j] = b.ms[j], b.ms[i] }

func (p *jsonParser) array() (int32, bool) {
	p.pos++ // [
	start := len(p.stack)
	p.space()
	if p.pos < len(p.text) && p.text[p.pos] == ']' {
		p.pos++
		return p.close('[', start)
	}
	for {
		v, ok := p.value()
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, jsonMember{node: v})
		p.space()
		if p.pos >= len(p.text) {
			return 0, false
		}
		switch p.text[p.pos] {
		case ',':
			p.pos++
			continue
		case ']':
			p.pos++
			return p.close('[', start)
		}
		return 0, false
	}
}

// mapping writes the object n, whose first line starts where the cursor
// is (after "- " when inline) at column indent, leaving out the member
// named skip; root says n is the document, whose metadata leaves out
// creationTimestamp.
func (p *jsonParser) mapping(e *emitter, n int32, indent int, inline bool, skip string, root bool) bool {
	node := p.nodes[n]
	members := p.kids[node.first : node.first+node.n]
	if p.count(n, skip) == 0 {
		e.b = append(e.b, "{}\n"...)
		return true
	}
	written := 0
	for _, m := range members {
		if skip != "" && m.key == skip {
			continue
		}
		if written > 0 || !inline {
			e.indent(indent)
		}
		written++
		if m.plain {
			e.b = append(e.b, m.key...)
		} else if len(m.key) > 128 || !e.str(m.key, false) {
			return false
		}
		e.b = append(e.b, ':')
		c := p.nodes[m.node]
		switch c.kind {
		case '{':
			childSkip := ""
			if root && m.key == "metadata" {
				childSkip = "creationTimestamp"
			}
			if p.count(m.node, childSkip) == 0 {
				e.b = append(e.b, " {}\n"...)
				continue
			}
			e.b = append(e.b, '\n')
			if !p.mapping(e, m.node, indent+2, false, childSkip, false) {
				return false
			}
		case '[':
			if c.n == 0 {
				e.b = append(e.b, " []\n"...)
				continue
			}
			e.b = append(e.b, '\n')
			if !p.sequence(e, m.node, indent, false) { // go-yaml does not indent a list under a key
				return false
			}
		default:
			if c.kind == '"' && literalStyle(c.text) {
				e.literal(c.text, indent+2)
				continue
			}
			e.b = append(e.b, ' ')
			if !p.scalar(e, c) {
				return false
			}
			e.b = append(e.b, '\n')
		}
	}
	return true
}

// count is the number of members of object n other than skip.
func (p *jsonParser) count(n int32, skip string) int {
	node := p.nodes[n]
	c := int(node.n)
	if skip != "" {
		for _, m := range p.kids[node.first : node.first+node.n] {
			if m.key == skip {
				c--
			}
		}
	}
	return c
}

// sequence writes the non-empty array n, its items at column indent;
// inline says the first item starts where the cursor is (after its
// parent's "- ").
func (p *jsonParser) sequence(e *emitter, n int32, indent int, inline bool) bool {
	node := p.nodes[n]
	for i, m := range p.kids[node.first : node.first+node.n] {
		if i > 0 || !inline {
			e.indent(indent)
		}
		e.b = append(e.b, "- "...)
		c := p.nodes[m.node]
		switch c.kind {
		case '{':
			if !p.mapping(e, m.node, indent+2, true, "", false) {
				return false
			}
		case '[':
			if c.n == 0 {
				e.b = append(e.b, "[]\n"...)
				continue
			}
			if !p.sequence(e, m.node, indent+2, true) {
				return false
			}
		default:
			if !p.scalar(e, c) {
				return false
			}
			e.b = append(e.b, '\n')
		}
	}
	return true
}

// scalar writes a scalar node as go-yaml v2 would, or reports false.
func (p *jsonParser) scalar(e *emitter, c jsonNode) bool {
	switch c.kind {
	case '"':
		return e.str(c.text, true)
	case '0':
		return e.scalar(yamlNumber(json.Number(c.text)), true)
	case 't':
		return e.scalar(true, true)
	case 'f':
		return e.scalar(false, true)
	case 'n':
		return e.scalar(nil, true)
	}
	return false
}
