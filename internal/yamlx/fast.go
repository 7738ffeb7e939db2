package yamlx

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The fast path: a single-pass parser for the block YAML that Kubernetes
// manifests and fluxtf's own files are written in, building exactly the
// tree parseSlow builds from go-yaml's (same kinds, tags, values, quoting,
// positions, order). go-yaml's scanner, parser and composer, and the
// conversion of its nodes, were half of the time of `fluxtf validate` and
// most of its memory.
//
// It reads, line by line:
//   - "---" and "..." document markers (nothing but a comment after them),
//     and blank and comment lines anywhere;
//   - block mappings whose keys are plain or single-line quoted scalars,
//     followed by ": " or ":" at the end of the line;
//   - block sequences ("- x"), also nested on one line ("- - x"), compact
//     mappings in them ("- key: v"), and sequences under a key at the key's
//     own indentation;
//   - single-line plain, single-quoted and double-quoted scalars (with
//     go-yaml's escapes), a trailing " # comment", empty values (null);
//   - single-line flow sequences and mappings of such scalars, nested
//     ("[a, 'b', 1]", "{name: x, sizes: [1, 2]}", "{}"; fastflow.go).
//
//   - literal block scalars ("key: |") of non-blank lines indented alike
//     (literal explains which).
//
// Anything else it does not handle, and Parse hands the file to go-yaml:
// anchors, aliases, tags, merge keys, other block scalars, multi-line scalars,
// multi-line flow collections, flow mappings' keys without ": " and values, "?"
// keys, directives, scalar documents, tabs outside comments and quotes,
// CR, NEL, LS or PS line breaks, byte order marks, duplicate or null keys,
// keys over 1000 bytes, nesting near MaxDepth, and every kind of error, so
// that go-yaml's exact messages and places are kept. FuzzFastParse holds
// the two paths to the same trees.

// fastMaxDepth bounds the nesting the fast path follows whatever the limits.
const fastMaxDepth = 200

type lineKind uint8

const (
	lineContent lineKind = iota
	lineDocStart
	lineDocEnd
	lineEOF
)

type fastParser struct {
	src      string // the file; values are substrings of it
	file     string
	maxDepth int
	ascii    bool // src is all ASCII: columns are byte offsets

	// the current line: the first one not yet consumed that is neither
	// blank nor a comment
	kind lineKind
	ls   int // offset of its first byte
	le   int // offset of its line break (or len(src))
	ind  int // its indentation in spaces; -1 for a marker or the end
	line int // its number, from 1

	nodes     []Node  // unused nodes of the current block
	ptrs      []*Node // unused backing of Content slices
	nodeChunk int     // size of the next block of nodes
	ptrChunk  int     // size of the next backing block
	stack     []*Node // children of the collections being built
	arena     *Arena  // lends nodes and backings, or nil
}

var fastParsers = sync.Pool{New: func() any { return &fastParser{stack: make([]*Node, 0, 64)} }}

// parseFast is Parse for the subset above; ok is false when data holds
// anything else (then docs is nil and nothing is reported).
func parseFast(file string, data []byte, lim Limits, ascii bool, arena *Arena) (docs []Document, ok bool) {
	return parseFastText(file, string(data), lim, ascii, arena)
}

// parseFastText is parseFast of the file's text as a string, which the
// nodes' strings share.
func parseFastText(file, src string, lim Limits, ascii bool, arena *Arena) (docs []Document, ok bool) {
	p := fastParsers.Get().(*fastParser)
	p.arena = arena
	defer func() {
		if arena != nil { // the unused ends of the last blocks lent
			giveBack(arena.nodes, arena.nodeCur, len(p.nodes))
			giveBack(arena.ptrs, arena.ptrCur, len(p.ptrs))
		}
		clear(p.stack[:cap(p.stack)])
		*p = fastParser{stack: p.stack[:0]}
		fastParsers.Put(p)
	}()
	p.src = src
	p.file = file
	p.maxDepth = fastMaxDepth
	if lim.MaxDepth > 0 && lim.MaxDepth < p.maxDepth {
		p.maxDepth = lim.MaxDepth
	}
	p.ascii = ascii
	p.le = -1
	// about two nodes a line, and two more per item of a flow collection
	// (a spec's "- {name: system, minSize: 2}"), each but the roots some
	// collection's child; later blocks are allocated as needed
	p.nodeChunk = min(2*strings.Count(p.src, "\n")+2*strings.Count(p.src, ",")+strings.Count(p.src, "{")+strings.Count(p.src, "[")+4, 2048)
	p.ptrChunk = p.nodeChunk
	p.ptrs = make([]*Node, 0) // non-nil: an empty collection has non-nil Content

	if !p.advance() {
		return nil, false
	}
	first := true
	for {
		switch p.kind {
		case lineEOF:
			return docs, true
		case lineDocEnd: // "..." with no document before it
			return nil, false
		case lineDocStart:
			mark := p.line
			if !p.markerRest() || !p.advance() {
				return nil, false
			}
			if p.kind == lineContent {
				root, ok := p.node(p.ls+p.ind, 0, false)
				if !ok {
					return nil, false
				}
				docs = append(docs, Document{Index: len(docs), Root: root, Pos: root.Pos})
			} else {
				docs = append(docs, Document{Index: len(docs), Pos: Pos{File: file, Line: mark, Column: 1}})
			}
		case lineContent:
			if !first { // a document after the first needs "---"
				return nil, false
			}
			root, ok := p.node(p.ls+p.ind, 0, false)
			if !ok {
				return nil, false
			}
			docs = append(docs, Document{Index: len(docs), Root: root, Pos: root.Pos})
		}
		first = false
		switch p.kind {
		case lineContent: // less indented than the root
			return nil, false
		case lineDocEnd:
			if !p.markerRest() || !p.advance() || p.kind == lineContent || p.kind == lineDocEnd {
				return nil, false
			}
		}
	}
}

// advance moves to the next line that is neither blank nor a comment.
func (p *fastParser) advance() bool {
	pos := p.le + 1
	p.line++
	for {
		if pos >= len(p.src) {
			p.kind, p.ind, p.ls, p.le = lineEOF, -1, len(p.src), len(p.src)
			return true
		}
		le := len(p.src)
		if e := strings.IndexByte(p.src[pos:], '\n'); e >= 0 {
			le = pos + e
		}
		i := pos
		for i < le && p.src[i] == ' ' {
			i++
		}
		switch {
		case i == le || p.src[i] == '#':
			pos = le + 1
			p.line++
			continue
		case p.src[i] == '\t':
			return false
		}
		p.ls, p.le = pos, le
		p.kind, p.ind = lineContent, i-pos
		if i == pos && le-pos >= 3 && (le-pos == 3 || p.src[pos+3] == ' ' || p.src[pos+3] == '\t') {
			switch p.src[pos : pos+3] {
			case "---":
				p.kind, p.ind = lineDocStart, -1
			case "...":
				p.kind, p.ind = lineDocEnd, -1
			}
		}
		return true
	}
}

// markerRest checks that a document marker line holds nothing more than a
// comment.
func (p *fastParser) markerRest() bool {
	i := p.ls + 3
	for i < p.le && p.src[i] == ' ' {
		i++
	}
	return i == p.le || p.src[i] == '#'
}

// endLine checks that the current line holds nothing after offset i but
// spaces and a comment, and moves to the next line.
func (p *fastParser) endLine(i int) bool {
	j := i
	for j < p.le && p.src[j] == ' ' {
		j++
	}
	if j < p.le && (p.src[j] != '#' || j == i) {
		return false
	}
	return p.advance()
}

// col is the column (from 1) of offset off of the current line.
func (p *fastParser) col(off int) int {
	if p.ascii {
		return off - p.ls + 1
	}
	return utf8.RuneCountInString(p.src[p.ls:off]) + 1
}

// blankz reports whether offset i of the current line is a space, a tab or
// the end of the line.
func (p *fastParser) blankz(i int) bool {
	return i >= p.le || p.src[i] == ' ' || p.src[i] == '\t'
}

// isEntry reports whether offset i of the current line starts a block
// sequence entry.
func (p *fastParser) isEntry(i int) bool {
	return i < p.le && p.src[i] == '-' && p.blankz(i+1)
}

func (p *fastParser) newNode() *Node {
	if len(p.nodes) == 0 {
		if p.arena != nil {
			p.nodes = lend(&p.arena.nodes, &p.arena.nodeCur, p.nodeChunk)
		} else {
			p.nodes = make([]Node, p.nodeChunk)
		}
		p.nodeChunk = 256
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	return n
}

func (p *fastParser) scalar(tag, value string, quoted bool, line, col int) *Node {
	n := p.newNode()
	n.Kind, n.Tag, n.Value, n.Quoted = ScalarNode, tag, value, quoted
	n.Pos = Pos{File: p.file, Line: line, Column: col}
	return n
}

func (p *fastParser) collection(kind Kind, tag string, line, col int) *Node {
	n := p.newNode()
	n.Kind, n.Tag = kind, tag
	n.Pos = Pos{File: p.file, Line: line, Column: col}
	return n
}

// finish moves the children pushed since base into n.Content.
func (p *fastParser) finish(n *Node, base int) {
	k := len(p.stack) - base
	if len(p.ptrs) < k {
		if p.arena != nil {
			giveBack(p.arena.ptrs, p.arena.ptrCur, len(p.ptrs))
			p.ptrs = lend(&p.arena.ptrs, &p.arena.ptrCur, max(k, p.ptrChunk))
		} else {
			p.ptrs = make([]*Node, max(k, p.ptrChunk))
		}
		p.ptrChunk = 256
	}
	n.Content = p.ptrs[:k:k]
	p.ptrs = p.ptrs[k:]
	copy(n.Content, p.stack[base:])
	clear(p.stack[base:])
	p.stack = p.stack[:base]
}

// node parses the block node that starts at offset o of the current line:
// at the start of the line, or after "- " on it. scalars is false for the
// root of a document, which must be a collection.
func (p *fastParser) node(o, depth int, scalars bool) (*Node, bool) {
	c := p.src[o]
	switch {
	case c == '-' && p.blankz(o+1):
		return p.sequence(o, depth)
	case c == '\'' || c == '"':
		v, end, ok := p.quoted(o)
		if !ok {
			return nil, false
		}
		j := end
		for j < p.le && p.src[j] == ' ' {
			j++
		}
		if j < p.le && p.src[j] == ':' && p.blankz(j+1) {
			return p.mapping(o, depth, v, j)
		}
		if !scalars {
			return nil, false
		}
		n := p.scalar(TagStr, v, true, p.line, p.col(o))
		return n, p.endLine(end)
	case c == '[' || c == '{':
		if !scalars {
			return nil, false
		}
		n, end, ok := p.flow(o, depth)
		if !ok {
			return nil, false
		}
		return n, p.endLine(end)
	}
	if !p.plainStart(o) {
		return nil, false
	}
	end, colon, ok := p.plain(o)
	switch {
	case !ok:
		return nil, false
	case colon >= 0:
		return p.mapping(o, depth, p.src[o:end], colon)
	case !scalars:
		return nil, false
	}
	return p.plainScalar(o, end)
}

// plainScalar makes the plain scalar src[o:end] of the current line, which
// ends there (but for a comment), and moves to the next line.
func (p *fastParser) plainScalar(o, end int) (*Node, bool) {
	v := p.src[o:end]
	tag := resolvePlain(v)
	if tag == mergeTagName {
		return nil, false // go-yaml tags a plain "<<" !!merge, which Parse refuses
	}
	n := p.scalar(tag, v, false, p.line, p.col(o))
	return n, p.advance()
}

const mergeTagName = "!!merge"

// plainStart reports whether a plain scalar starts at offset o in the block
// context. Those that start with "?" or ":" are left to go-yaml.
func (p *fastParser) plainStart(o int) bool {
	switch p.src[o] {
	case '-':
		return o+1 < p.le && p.src[o+1] != ' ' && p.src[o+1] != '\t'
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ', '\t':
		return false
	}
	return true
}

// plain scans the plain scalar at offset o of the current line in the
// block context: end is where its text ends (trailing spaces left out) and
// colon the offset of the ": " after it when it is a key, else -1. ok is
// false for a tab.
func (p *fastParser) plain(o int) (end, colon int, ok bool) {
	s := p.src
	i := o
	for ; i < p.le; i++ {
		switch s[i] {
		case ':':
			if i+1 == p.le || s[i+1] == ' ' {
				return trimSpaces(s, o, i), i, true
			}
			if s[i+1] == '\t' {
				return 0, 0, false
			}
		case ' ':
			if i+1 < p.le && s[i+1] == '#' {
				return trimSpaces(s, o, i), -1, true
			}
		case '\t':
			return 0, 0, false
		}
	}
	return trimSpaces(s, o, i), -1, true
}

func trimSpaces(s string, o, i int) int {
	for i > o && s[i-1] == ' ' {
		i--
	}
	return i
}

// quoted scans the single- or double-quoted scalar at offset o, which must
// end on the current line; end is the offset after its closing quote.
func (p *fastParser) quoted(o int) (v string, end int, ok bool) {
	s := p.src
	q := s[o]
	var buf []byte // the value, once it differs from the text
	start := o + 1
	i := start
	for i < p.le {
		c := s[i]
		switch {
		case c == q && q == '\'':
			if i+1 < p.le && s[i+1] == '\'' {
				buf = append(append(buf, s[start:i]...), '\'')
				i += 2
				start = i
				continue
			}
		case c == q:
		case c == '\\' && q == '"':
			buf = append(buf, s[start:i]...)
			var ok bool
			if buf, i, ok = p.escape(buf, i); !ok {
				return "", 0, false
			}
			start = i
			continue
		default:
			i++
			continue
		}
		// the closing quote
		if buf == nil {
			return s[start:i], i + 1, true
		}
		return string(append(buf, s[start:i]...)), i + 1, true
	}
	return "", 0, false // a multi-line quoted scalar
}

// escape decodes the escape sequence at offset i (a backslash) of a double
// quoted scalar as go-yaml does, appending it to buf.
func (p *fastParser) escape(buf []byte, i int) ([]byte, int, bool) {
	s := p.src
	if i+1 >= p.le {
		return nil, 0, false // an escaped line break
	}
	n := 0
	switch s[i+1] {
	case '0':
		buf = append(buf, 0)
	case 'a':
		buf = append(buf, '\x07')
	case 'b':
		buf = append(buf, '\x08')
	case 't', '\t':
		buf = append(buf, '\x09')
	case 'n':
		buf = append(buf, '\x0A')
	case 'v':
		buf = append(buf, '\x0B')
	case 'f':
		buf = append(buf, '\x0C')
	case 'r':
		buf = append(buf, '\x0D')
	case 'e':
		buf = append(buf, '\x1B')
	case ' ':
		buf = append(buf, ' ')
	case '"':
		buf = append(buf, '"')
	case '\'':
		buf = append(buf, '\'')
	case '\\':
		buf = append(buf, '\\')
	case 'N':
		buf = append(buf, "\u0085"...)
	case '_':
		buf = append(buf, "\u00a0"...)
	case 'L':
		buf = append(buf, "\u2028"...)
	case 'P':
		buf = append(buf, "\u2029"...)
	case 'x':
		n = 2
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return nil, 0, false // go-yaml: unknown escape character
	}
	i += 2
	if n == 0 {
		return buf, i, true
	}
	if i+n > p.le {
		return nil, 0, false
	}
	v := 0
	for k := range n {
		c := s[i+k]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 + int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = v<<4 + int(c-'A') + 10
		default:
			return nil, 0, false
		}
	}
	if v >= 0xD800 && v <= 0xDFFF || v > 0x10FFFF {
		return nil, 0, false
	}
	return utf8.AppendRune(buf, rune(v)), i + n, true
}

// depthOK reports whether a collection nested in depth others is well
// within the limits; one that is not is left to go-yaml to refuse.
func (p *fastParser) depthOK(depth int) bool {
	return depth < p.maxDepth
}

// mapping parses a block mapping whose first key, key, starts at offset o
// of the current line and is followed by ":" at offset colon.
func (p *fastParser) mapping(o, depth int, key string, colon int) (*Node, bool) {
	if !p.depthOK(depth) {
		return nil, false
	}
	ind := o - p.ls // the line up to o is spaces and "- "
	n := p.collection(MappingNode, TagMap, p.line, ind+1)
	base := len(p.stack)
	var seen map[string]struct{} // the keys, once there are many
	for {
		if colon-o > 1000 {
			return nil, false // go-yaml limits simple keys to 1024 characters
		}
		if p.src[o] != '\'' && p.src[o] != '"' {
			switch key {
			case "~", "null", "Null", "NULL", "<<": // a null key, a merge key
				return nil, false
			}
		}
		// duplicates are left to go-yaml to report
		if seen != nil {
			if _, dup := seen[key]; dup {
				return nil, false
			}
			seen[key] = struct{}{}
		} else {
			for j := base; j < len(p.stack); j += 2 {
				if p.stack[j].Value == key {
					return nil, false
				}
			}
			if len(p.stack)-base >= 64 {
				seen = make(map[string]struct{}, 64)
				for j := base; j < len(p.stack); j += 2 {
					seen[p.stack[j].Value] = struct{}{}
				}
				seen[key] = struct{}{}
			}
		}
		p.stack = append(p.stack, p.scalar(TagStr, key, false, p.line, p.col(o)))
		v, ok := p.value(colon, ind, depth+1)
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, v)

		// the next key, at the same indentation
		if p.ind != ind {
			if p.ind > ind {
				return nil, false
			}
			break
		}
		o = p.ls + p.ind
		switch c := p.src[o]; {
		case c == '\'' || c == '"':
			var end int
			if key, end, ok = p.quoted(o); !ok {
				return nil, false
			}
			for colon = end; colon < p.le && p.src[colon] == ' '; colon++ {
			}
			if colon == p.le || p.src[colon] != ':' || !p.blankz(colon+1) {
				return nil, false
			}
		case p.plainStart(o):
			var end int
			if end, colon, ok = p.plain(o); !ok || colon < 0 {
				return nil, false
			}
			key = p.src[o:end]
		default:
			return nil, false
		}
	}
	p.finish(n, base)
	return n, true
}

// value parses the value after the ":" at offset colon of the current line,
// of a key of a mapping indented ind.
func (p *fastParser) value(colon, ind, depth int) (*Node, bool) {
	i := colon + 1
	if i < p.le && p.src[i] == '\t' {
		return nil, false
	}
	for i < p.le && p.src[i] == ' ' {
		i++
	}
	if i < p.le && p.src[i] == '|' {
		return p.literal(i, ind)
	}
	if i < p.le && p.src[i] != '#' {
		return p.inline(i, depth)
	}
	// nothing more on the line: the value is on the next lines, or null
	line, col := p.line, p.col(colon)+1
	if !p.advance() {
		return nil, false
	}
	switch {
	case p.ind > ind:
		return p.node(p.ls+p.ind, depth, true)
	case p.ind == ind && p.isEntry(p.ls+p.ind):
		return p.sequence(p.ls+p.ind, depth)
	}
	return p.scalar(TagNull, "", false, line, col), true
}

// literal parses the literal block scalar whose "|" is at offset o of the
// current line, the value of a key of a mapping indented ind, and moves to
// the line after it. It reads the common case, as fluxtf renders a backend
// block: "|" alone at the end of its line (clip chomping, no indentation
// indicator, no comment), then lines indented alike and more than ind,
// none of them blank, with no tab or carriage return. Anything else is left
// to go-yaml.
func (p *fastParser) literal(o, ind int) (*Node, bool) {
	if o+1 != p.le {
		return nil, false
	}
	s := p.src
	line, col := p.line, p.col(o)
	// The block's lines are found first, then copied into a string made
	// to their size (a builder growing line by line allocated four times
	// for a backend block).
	var room [32]int
	starts := room[:0] // where the text of each line starts and ends
	size := 0
	n := -1 // the block's indentation
	last, lastEnd := p.line, p.le
	for pos := p.le + 1; pos < len(s); {
		le := len(s)
		if e := strings.IndexByte(s[pos:], '\n'); e >= 0 {
			le = pos + e
		}
		i := pos
		for i < le && s[i] == ' ' {
			i++
		}
		if i == le {
			return nil, false // a blank line: its chomping is left to go-yaml
		}
		if n < 0 {
			if i-pos <= ind {
				return nil, false // an empty block scalar
			}
			n = i - pos
		}
		if i-pos < n {
			if i-pos > ind {
				return nil, false // less indented than the block: an error
			}
			break
		}
		text := s[pos+n : le]
		if strings.ContainsAny(text, "\t\r") {
			return nil, false
		}
		starts = append(starts, pos+n, le)
		size += le - pos - n
		if le < len(s) { // clip: the last line break is kept, if there is one
			size++
		}
		last, lastEnd = last+1, le
		pos = le + 1
	}
	if n < 0 {
		return nil, false
	}
	var b strings.Builder
	b.Grow(size)
	for k := 0; k < len(starts); k += 2 {
		b.WriteString(s[starts[k]:starts[k+1]])
		if starts[k+1] < len(s) {
			b.WriteByte('\n')
		}
	}
	node := p.scalar(TagStr, b.String(), true, line, col)
	p.line, p.le = last, lastEnd
	return node, p.advance()
}

// inline parses a value that starts at offset o of the current line, after
// "key: ", where neither a collection nor a key can start.
func (p *fastParser) inline(o, depth int) (*Node, bool) {
	switch c := p.src[o]; c {
	case '\'', '"':
		v, end, ok := p.quoted(o)
		if !ok {
			return nil, false
		}
		n := p.scalar(TagStr, v, true, p.line, p.col(o))
		return n, p.endLine(end)
	case '[', '{':
		n, end, ok := p.flow(o, depth)
		if !ok {
			return nil, false
		}
		return n, p.endLine(end)
	}
	if !p.plainStart(o) {
		return nil, false
	}
	end, colon, ok := p.plain(o)
	if !ok || colon >= 0 {
		return nil, false // go-yaml: mapping values are not allowed in this context
	}
	return p.plainScalar(o, end)
}

// sequence parses a block sequence whose first "-" is at offset o of the
// current line.
func (p *fastParser) sequence(o, depth int) (*Node, bool) {
	if !p.depthOK(depth) {
		return nil, false
	}
	ind := o - p.ls // the line up to o is spaces and "- "
	n := p.collection(SequenceNode, TagSeq, p.line, ind+1)
	base := len(p.stack)
	for {
		i := o + 1
		if i < p.le && p.src[i] == '\t' {
			return nil, false
		}
		for i < p.le && p.src[i] == ' ' {
			i++
		}
		var item *Node
		var ok bool
		if i < p.le && p.src[i] != '#' {
			item, ok = p.node(i, depth+1, true)
		} else {
			line := p.line
			if !p.advance() {
				return nil, false
			}
			if p.ind > ind {
				item, ok = p.node(p.ls+p.ind, depth+1, true)
			} else {
				item, ok = p.scalar(TagNull, "", false, line, ind+2), true
			}
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, item)

		// the next entry, at the same indentation
		if p.ind != ind || !p.isEntry(p.ls+p.ind) {
			if p.ind > ind {
				return nil, false
			}
			break
		}
		o = p.ls + p.ind
	}
	p.finish(n, base)
	return n, true
}

// flow parses the flow sequence or mapping at offset o of the current
// line (flowMapping), of scalars and nested flow collections; end is the
// offset after it.
func (p *fastParser) flow(o, depth int) (n *Node, end int, ok bool) {
	if !p.depthOK(depth) {
		return nil, 0, false
	}
	s := p.src
	i := o + 1
	for i < p.le && s[i] == ' ' {
		i++
	}
	if s[o] == '{' {
		if i == p.le {
			return nil, 0, false
		}
		if s[i] != '}' {
			return p.flowMapping(o, i, depth) // fastflow.go
		}
		n = p.collection(MappingNode, TagMap, p.line, p.col(o))
		p.finish(n, len(p.stack))
		return n, i + 1, true
	}
	n = p.collection(SequenceNode, TagSeq, p.line, p.col(o))
	base := len(p.stack)
	if i < p.le && s[i] == ']' {
		p.finish(n, base)
		return n, i + 1, true
	}
	for i < p.le {
		var item *Node
		switch c := s[i]; {
		case c == '[' || c == '{':
			var e int
			if item, e, ok = p.flow(i, depth+1); !ok {
				return nil, 0, false
			}
			i = e
		case c == '\'' || c == '"':
			v, e, ok := p.quoted(i)
			if !ok {
				return nil, 0, false
			}
			item = p.scalar(TagStr, v, true, p.line, p.col(i))
			i = e
		default:
			e, ok := p.flowPlain(i)
			if !ok {
				return nil, 0, false
			}
			v := s[i:e]
			tag := resolvePlain(v)
			if tag == mergeTagName {
				return nil, 0, false
			}
			item = p.scalar(tag, v, false, p.line, p.col(i))
			i = e
		}
		p.stack = append(p.stack, item)
		for i < p.le && s[i] == ' ' {
			i++
		}
		if i == p.le {
			break
		}
		switch s[i] {
		case ']':
			p.finish(n, base)
			return n, i + 1, true
		case ',':
			i++
			for i < p.le && s[i] == ' ' {
				i++
			}
			if i < p.le && s[i] == ']' {
				return nil, 0, false // a trailing comma
			}
		default:
			return nil, 0, false
		}
	}
	return nil, 0, false // a multi-line flow sequence
}

// flowPlainStarts reports whether a plain scalar the fast parser reads
// starts at offset o of the current line of a flow collection: not an
// indicator, and a "-" only before a plain character.
func (p *fastParser) flowPlainStarts(o int) bool {
	s := p.src
	switch s[o] {
	case '-':
		return o+1 < p.le && flowPlainChar(s[o+1]) && s[o+1] != ' '
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ', '\t':
		return false
	}
	return true
}

// flowPlain scans a plain scalar in a flow sequence at offset o of the
// current line, returning where its text ends. It leaves to go-yaml those
// that hold ":", "#", "?", brackets, braces or tabs.
func (p *fastParser) flowPlain(o int) (end int, ok bool) {
	s := p.src
	if !p.flowPlainStarts(o) {
		return 0, false
	}
	i := o
	for ; i < p.le; i++ {
		c := s[i]
		if c == ',' || c == ']' {
			break
		}
		if !flowPlainChar(c) {
			return 0, false
		}
	}
	return trimSpaces(s, o, i), true
}

func flowPlainChar(c byte) bool {
	switch c {
	case ':', '#', '?', '[', ']', '{', '}', '\t', ',':
		return false
	}
	return true
}

// PlainIsString reports whether s, written as a plain scalar, reads back
// as the string s (go-yaml v3's resolve, as kustomize and Flux read it):
// not as a number, bool, null, timestamp or merge key.
func PlainIsString(s string) bool {
	return resolvePlain(s) == TagStr
}

// resolvePlain is the tag go-yaml v3 gives a plain scalar (resolve in
// go.yaml.in/yaml/v3 resolve.go, Apache License 2.0, for an untagged
// value), without its allocations on the common paths.
func resolvePlain(in string) string {
	if in == "" {
		return TagNull
	}
	hint := resolveHint[in[0]]
	if hint == 0 {
		return TagStr
	}
	switch in {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return TagBool
	case "~", "null", "Null", "NULL":
		return TagNull
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return TagFloat
	case "<<":
		return mergeTagName
	}
	switch hint {
	case 'M':
		return TagStr
	case '.':
		// strconv.ParseFloat reads no other character in a text that
		// starts with a dot
		if onlyBytes(in, "0123456789.eE+-_") {
			if _, err := strconv.ParseFloat(in, 64); err == nil {
				return TagFloat
			}
		}
		return TagStr
	}
	// 'D' or 'S': an int, a float or a timestamp
	if _, ok := parseTimestamp(in); ok {
		return TagTimestamp
	}
	plain := strings.ReplaceAll(in, "_", "")
	// the integers strconv.ParseInt and ParseUint read with base 0 and the
	// floats yamlStyleFloat matches use no other characters
	if !onlyBytes(plain, "0123456789abcdefABCDEFxXoO+-.") {
		return TagStr
	}
	if shortDecimal(plain) {
		return TagInt
	}
	if strings.IndexByte(plain, '.') >= 0 {
		// no integer holds a dot
		if yamlStyleFloat(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return TagFloat
			}
		}
		return TagStr
	}
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return TagInt
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return TagInt
	}
	if yamlStyleFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return TagFloat
		}
	}
	if strings.HasPrefix(plain, "0b") {
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return TagInt
		}
		if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return TagInt
		}
	} else if strings.HasPrefix(plain, "-0b") {
		if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return TagInt
		}
	}
	if strings.HasPrefix(plain, "0o") {
		if _, err := strconv.ParseInt(plain[2:], 8, 64); err == nil {
			return TagInt
		}
		if _, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
			return TagInt
		}
	} else if strings.HasPrefix(plain, "-0o") {
		if _, err := strconv.ParseInt("-"+plain[3:], 8, 64); err == nil {
			return TagInt
		}
	}
	return TagStr
}

// resolveHint is go-yaml's resolveTable: what the first byte of a plain
// scalar says it may be.
var resolveHint = func() (t [256]byte) {
	t['+'], t['-'] = 'S', 'S'
	for c := '0'; c <= '9'; c++ {
		t[c] = 'D'
	}
	for _, c := range "yYnNtTfFoO~<" {
		t[c] = 'M'
	}
	t['.'] = '.'
	return t
}()

func onlyBytes(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// shortDecimal reports whether s is a decimal integer that strconv.ParseInt
// reads with base 0 for certain: no leading zero, at most 18 digits.
func shortDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" || len(s) > 18 || s[0] == '0' && len(s) > 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// yamlStyleFloat is go-yaml's regular expression
// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ written out.
func yamlStyleFloat(s string) bool {
	i := 0
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// timestampFormats and parseTimestamp are go-yaml's (resolve.go).
var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

func parseTimestamp(s string) (time.Time, bool) {
	// all date formats start with YYYY-
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return time.Time{}, false
	}
	for _, format := range timestampFormats {
		if t, err := time.Parse(format, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
