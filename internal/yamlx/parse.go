package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/digx/fluxtf/internal/fastpath"
)

// Limits bound what a single file may cost.
type Limits struct {
	MaxBytes      int64 // largest file accepted
	MaxDepth      int   // deepest nesting of mappings and sequences
	MaxAliasNodes int   // most values aliases may copy in one file, all documents together (alias bombs)
}

// DefaultLimits fit any real manifest or spec with a wide margin.
var DefaultLimits = Limits{MaxBytes: 8 << 20, MaxDepth: 64, MaxAliasNodes: 100_000}

// ReadFile reads a file under the size limit. A folder, a missing file or an
// oversized one is an *Error naming the file.
func ReadFile(path string, lim Limits) ([]byte, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, &Error{Pos: Pos{File: path}, Msg: describeOpenErr(err)}
	}
	defer func() { _ = f.Close() }()
	size, typ, err := f.Stat()
	if err != nil {
		return nil, &Error{Pos: Pos{File: path}, Msg: err.Error()}
	}
	if typ.IsDir() {
		return nil, &Error{Pos: Pos{File: path}, Msg: "is a folder, not a YAML file"}
	}
	if !typ.IsRegular() {
		// a FIFO (opened without blocking), a device or a socket: reading
		// would block for ever or never end
		return nil, &Error{Pos: Pos{File: path}, Msg: fmt.Sprintf("is not a regular file (%s); fluxtf reads only regular files, remove it", typ)}
	}
	if lim.MaxBytes > 0 && size > lim.MaxBytes {
		return nil, &Error{Pos: Pos{File: path}, Msg: fmt.Sprintf("file is %s, over the %s limit; split it or check it is the right file", humanBytes(size), humanBytes(lim.MaxBytes))}
	}
	r := io.Reader(f)
	if lim.MaxBytes > 0 {
		r = io.LimitReader(f, lim.MaxBytes+1)
	}
	// room for the whole file and one byte more, so that it takes one
	// read and one that finds the end (io.ReadAll starts at 512 bytes
	// and grows: four reads for a rendered file)
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) { // it grew since the stat
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &Error{Pos: Pos{File: path}, Msg: err.Error()}
		}
		if size > 0 && int64(len(data)) == size {
			// all the bytes the file had when it was opened, and room
			// was left for one more that did not come: a regular file
			// reads short only at its end. (No read to find the end:
			// a system call per file. A file whose stat says 0, as in
			// /proc, is read to the end.)
			break
		}
	}
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, &Error{Pos: Pos{File: path}, Msg: fmt.Sprintf("file is over the %s limit", humanBytes(lim.MaxBytes))}
	}
	return data, nil
}

func describeOpenErr(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied; make the file readable by this user (chmod u+r)"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// CheckText refuses content that is not UTF-8 text: binary data (NUL bytes)
// or invalid UTF-8, naming the line of the first bad byte.
func CheckText(file string, data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return &Error{Pos: Pos{File: file, Line: 1, Column: 1}, Msg: "file is UTF-16; save it as UTF-8"}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return &Error{Pos: posOfOffset(file, data, i), Msg: "binary content (NUL byte); this is not a YAML text file"}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return &Error{Pos: posOfOffset(file, data, off), Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x); save the file as UTF-8", data[off])}
	}
	return nil
}

// posOfOffset returns the position of byte off counted the way go-yaml
// counts its node positions: CR LF, CR, LF, NEL, LS and PS each end a line,
// columns count characters (not bytes) from 1, and a leading byte order mark
// takes no column.
func posOfOffset(file string, data []byte, off int) Pos {
	line, start := 1, 0
	for i := 0; i < off; {
		r, size := utf8.DecodeRune(data[i:])
		switch r {
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				size = 2
			}
			line, start = line+1, i+size
		case '\n', '\u0085', '\u2028', '\u2029':
			line, start = line+1, i+size
		}
		i += size
	}
	if start > off { // off is the LF of a CR LF pair
		start = off
	}
	col := 1 + utf8.RuneCount(data[start:off])
	if start == 0 && bytes.HasPrefix(data, utf8BOM) && off >= len(utf8BOM) {
		col--
	}
	return Pos{File: file, Line: line, Column: col}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkChars refuses the characters YAML does not allow in a stream (C0 and
// C1 controls other than tab and line breaks, DEL, U+FFFE and U+FFFF),
// naming the place of the first one. go-yaml refuses them too but without
// saying where. data must be valid UTF-8.
func checkChars(file string, data []byte) error {
	_, _, err := scanChars(file, data)
	return err
}

// scanChars is checkChars, also reporting whether data is all ASCII and
// whether it holds a character the fast parser leaves to go-yaml: a CR, a
// NEL, LS or PS line break, or a byte order mark (U+FEFF).
func scanChars(file string, data []byte) (ascii, odd bool, err error) {
	ascii = true
	for i := 0; i < len(data); {
		if b := data[i]; b < utf8.RuneSelf {
			switch {
			case b >= 0x20 && b <= 0x7E || b == '\n' || b == '\t':
			case b == '\r':
				odd = true
			default:
				return false, false, &Error{Pos: posOfOffset(file, data, i), Msg: fmt.Sprintf("control character U+%04X is not allowed in YAML; remove it", b)}
			}
			i++
			continue
		}
		ascii = false
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF:
			odd = true
		case r >= 0xA0 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= utf8.MaxRune:
		default:
			return false, false, &Error{Pos: posOfOffset(file, data, i), Msg: fmt.Sprintf("control character U+%04X is not allowed in YAML; remove it", r)}
		}
		i += size
	}
	return ascii, odd, nil
}

var yamlLineErr = regexp.MustCompile(`^line (\d+): (.*)$`)

// go-yaml numbers the lines of parser errors from 0 and those of scanner
// errors from 1, and leaves the line out when it is 0, so each kind needs
// its own correction. These are the parser's messages (parserc.go).
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// Messages go-yaml gives without any line: reader errors (which CheckText
// and checkChars catch first, with a place) and its own decoder failures.
var yamlUnplacedPrefixes = []string{
	"control characters are not allowed",
	"invalid leading UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid trailing UTF-8 octet",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
	"incomplete UTF-16",
	"unexpected low surrogate area",
	"expected low surrogate area",
	"input error:",
	"unknown anchor",
	"attempted to go past the end of stream",
	"parser failure",
}

// parseErr turns a go-yaml error into an *Error with the file and the
// 1-based line go-yaml means.
func parseErr(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	switch {
	case yamlParserProblems[msg]:
		line++ // 0-based, and 0 when left out
	case line == 0 && !hasAnyPrefix(msg, yamlUnplacedPrefixes):
		line = 1 // a scanner error on the first line
	}
	return &Error{Pos: Pos{File: file, Line: line}, Msg: "invalid YAML: " + msg}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// Document is one YAML document of a file. Root is nil for an empty document.
type Document struct {
	Index int // 0-based position in the file
	Root  *Node
	Pos   Pos // where the document starts
}

// Parse reads every document of a YAML stream. Empty documents are kept
// with a nil Root so that indexes match what a reader sees.
func Parse(file string, data []byte, lim Limits) ([]Document, error) {
	return ParseWith(file, data, lim, nil)
}

// ParseWith is Parse with the fast path's trees in arena (nil for none).
func ParseWith(file string, data []byte, lim Limits, arena *Arena) ([]Document, error) {
	return parseWith(file, data, lim, arena, false)
}

// parseWith is ParseWith; owned says data is the caller's to give away
// (see ParseOwned).
func parseWith(file string, data []byte, lim Limits, arena *Arena, owned bool) ([]Document, error) {
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, &Error{Pos: Pos{File: file}, Msg: fmt.Sprintf("file is %s, over the %s limit; split it or check it is the right file", humanBytes(int64(len(data))), humanBytes(lim.MaxBytes))}
	}
	if err := CheckText(file, data); err != nil {
		return nil, err
	}
	ascii, odd, err := scanChars(file, data)
	if err != nil {
		return nil, err
	}
	if !odd && fastpath.Enabled(fastpath.YAML) {
		if docs, ok := parseFastText(file, textOf(data, owned), lim, ascii, arena); ok {
			fastpath.Hit(fastpath.YAML)
			return docs, nil
		}
	}
	return parseSlow(file, data, lim)
}

// parseSlow is Parse by go-yaml, for text that CheckText and checkChars
// accepted: it reads all of YAML.
func parseSlow(file string, data []byte, lim Limits) ([]Document, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	end := posOfOffset(file, data, len(data))
	c := &converter{file: file, lim: lim, end: end, open: map[*yaml.Node]bool{}}
	var docs []Document
	for i := 0; ; i++ {
		var raw yaml.Node
		err := decodeNext(dec, &raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			e := parseErr(file, err)
			// go-yaml puts the end of a stream that lacks a final line
			// break on a line of its own
			e.Pos.Line = min(e.Pos.Line, end.Line)
			if e.Pos.Line == 0 {
				placeUnknownAnchor(e, data)
			}
			return nil, e
		}
		doc := Document{Index: i, Pos: c.pos(&raw)}
		if len(raw.Content) > 0 {
			// YAML anchors belong to one document but go-yaml keeps them
			// for the next, so forget them; the alias budget (c.copied)
			// is not reset: it bounds the whole file.
			c.defined = map[*yaml.Node]bool{}
			nodes, ptrs := countNodes(raw.Content[0])
			c.nodes, c.ptrs = make([]Node, nodes), make([]*Node, ptrs)
			root, err := c.convert(raw.Content[0], 0, "")
			if err != nil {
				return nil, err
			}
			if !root.IsNull() {
				doc.Root = root
				doc.Pos = root.Pos
			}
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

var unknownAnchor = regexp.MustCompile(`^invalid YAML: unknown anchor '(.*)' referenced$`)

// placeUnknownAnchor gives go-yaml's "unknown anchor" error, which has no
// line, the place of the first alias to that anchor in the text.
func placeUnknownAnchor(e *Error, data []byte) {
	m := unknownAnchor.FindStringSubmatch(e.Msg)
	if m == nil {
		return
	}
	// go-yaml's anchor names are letters, digits, '_' and '-'
	alias := regexp.MustCompile(`(^|[\s\[{,])(\*` + regexp.QuoteMeta(m[1]) + `)([^0-9A-Za-z_-]|$)`)
	if loc := alias.FindSubmatchIndex(data); loc != nil {
		e.Pos = posOfOffset(e.Pos.File, data, loc[4])
	}
}

// decodeNext reads the next document, turning a panic inside go-yaml into
// an error so that no input can crash the caller.
func decodeNext(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failure: %v", r)
		}
	}()
	return dec.Decode(n)
}

// ParseFile reads and parses a file under the limits.
func ParseFile(path string, lim Limits) ([]Document, error) {
	data, err := ReadFile(path, lim)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, lim)
}

type converter struct {
	file       string
	lim        Limits
	end        Pos                 // just past the last character of the file
	aliasLevel int                 // >0 while copying the target of an alias
	copied     int                 // values copied by aliases so far, in the whole file
	defined    map[*yaml.Node]bool // anchored nodes met so far in this document
	open       map[*yaml.Node]bool // anchored collections being converted (cycles)

	// nodes and ptrs are the document's nodes and the backing of their
	// Content, allocated at once (countNodes) instead of one by one:
	// reading manifests allocated more for the tree than go-yaml did.
	nodes []Node
	ptrs  []*Node
}

// newNode returns the next node of the document's block, or a new one
// when copies made by aliases have used it up.
func (c *converter) newNode() *Node {
	if len(c.nodes) == 0 {
		return new(Node)
	}
	p := &c.nodes[0]
	c.nodes = c.nodes[1:]
	return p
}

// scalar makes a scalar node.
func (c *converter) scalar(tag, value string, quoted bool, pos Pos) *Node {
	p := c.newNode()
	p.Kind, p.Tag, p.Value, p.Quoted, p.Pos = ScalarNode, tag, value, quoted, pos
	return p
}

// collection makes a mapping or sequence node with room for n children.
func (c *converter) collection(kind Kind, tag string, pos Pos, n int) *Node {
	p := c.newNode()
	p.Kind, p.Tag, p.Pos, p.Content = kind, tag, pos, c.content(n)
	return p
}

// content returns an empty slice with room for n children.
func (c *converter) content(n int) []*Node {
	if len(c.ptrs) < n {
		return make([]*Node, 0, n)
	}
	s := c.ptrs[:0:n]
	c.ptrs = c.ptrs[n:]
	return s
}

// countNodes counts the nodes and children convert makes of n, not
// counting what aliases copy.
func countNodes(n *yaml.Node) (nodes, ptrs int) {
	switch n.Kind {
	case yaml.ScalarNode:
		return 1, 0
	case yaml.SequenceNode, yaml.MappingNode:
		nodes, ptrs = 1, len(n.Content)
		for i, child := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				nodes++ // the key
				continue
			}
			cn, cp := countNodes(child)
			nodes, ptrs = nodes+cn, ptrs+cp
		}
	case yaml.DocumentNode:
		for _, child := range n.Content {
			cn, cp := countNodes(child)
			nodes, ptrs = nodes+cn, ptrs+cp
		}
	}
	return nodes, ptrs
}

// pos is where n was written. go-yaml places an empty value at the end of
// a file that lacks a final line break on a line after the last; that is
// the end of the last line.
func (c *converter) pos(n *yaml.Node) Pos {
	if n.Line > c.end.Line {
		return c.end
	}
	return Pos{File: c.file, Line: n.Line, Column: n.Column}
}

func (c *converter) count(n *yaml.Node, path string) error {
	if c.aliasLevel == 0 {
		return nil
	}
	c.copied++
	if c.lim.MaxAliasNodes > 0 && c.copied > c.lim.MaxAliasNodes {
		return &Error{Pos: c.pos(n), Path: path, Msg: fmt.Sprintf("aliases expand to more than %d values (an alias bomb?); refusing to read it", c.lim.MaxAliasNodes)}
	}
	return nil
}

// enterAlias checks an alias before its target is copied and starts
// counting the copy against the budget; call the returned func when done.
func (c *converter) enterAlias(n *yaml.Node, path string) (func(), error) {
	switch {
	case n.Alias == nil:
		return nil, &Error{Pos: c.pos(n), Path: path, Msg: "alias to an unknown anchor"}
	case !c.defined[n.Alias]:
		return nil, &Error{Pos: c.pos(n), Path: path, Msg: fmt.Sprintf("alias *%s refers to an anchor of an earlier document; anchors do not carry over between documents", n.Value)}
	case c.open[n.Alias]:
		return nil, &Error{Pos: c.pos(n), Path: path, Msg: fmt.Sprintf("alias *%s is used inside the value of its own anchor; a value cannot contain itself", n.Value)}
	}
	c.aliasLevel++
	return func() { c.aliasLevel-- }, nil
}

// enterAnchor records an anchored node; for a collection it also marks it
// open until the returned func is called, so that an alias inside it to
// itself is refused instead of recursing.
func (c *converter) enterAnchor(n *yaml.Node) func() {
	if n.Anchor == "" {
		return func() {}
	}
	c.defined[n] = true
	if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode {
		return func() {}
	}
	c.open[n] = true
	return func() { delete(c.open, n) }
}

// checkDepth refuses a collection nested inside MaxDepth others.
func (c *converter) checkDepth(n *yaml.Node, depth int, path string) error {
	if c.lim.MaxDepth > 0 && depth >= c.lim.MaxDepth {
		return &Error{Pos: c.pos(n), Path: path, Msg: fmt.Sprintf("nested more than %d levels deep; flatten the document", c.lim.MaxDepth)}
	}
	return nil
}

func unsupportedTag(t string) string {
	return fmt.Sprintf("unsupported YAML tag %s; remove it", t)
}

// convert builds our tree from go-yaml's, expanding aliases and merge keys.
// depth is the number of collections around n.
func (c *converter) convert(n *yaml.Node, depth int, path string) (*Node, error) {
	if n.Kind == yaml.AliasNode {
		leave, err := c.enterAlias(n, path)
		if err != nil {
			return nil, err
		}
		defer leave()
		return c.convert(n.Alias, depth, path)
	}
	if err := c.count(n, path); err != nil {
		return nil, err
	}
	switch n.Kind {
	case yaml.ScalarNode:
		c.enterAnchor(n)
		tag := n.ShortTag()
		switch tag {
		case TagStr, TagInt, TagFloat, TagBool, TagNull, TagTimestamp, TagBinary:
		default:
			return nil, &Error{Pos: c.pos(n), Path: path, Msg: unsupportedTag(tag)}
		}
		quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
		return c.scalar(tag, n.Value, quoted, c.pos(n)), nil
	case yaml.SequenceNode:
		if err := c.checkDepth(n, depth, path); err != nil {
			return nil, err
		}
		defer c.enterAnchor(n)()
		if t := n.ShortTag(); t != TagSeq {
			return nil, &Error{Pos: c.pos(n), Path: path, Msg: unsupportedTag(t)}
		}
		out := c.collection(SequenceNode, TagSeq, c.pos(n), len(n.Content))
		for i, item := range n.Content {
			v, err := c.convert(item, depth+1, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out.Content = append(out.Content, v)
		}
		return out, nil
	case yaml.MappingNode:
		if err := c.checkDepth(n, depth, path); err != nil {
			return nil, err
		}
		defer c.enterAnchor(n)()
		return c.mapping(n, depth, path)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return c.scalar(TagNull, "", false, c.pos(n)), nil
		}
		return c.convert(n.Content[0], depth, path)
	}
	return nil, &Error{Pos: c.pos(n), Path: path, Msg: "unsupported YAML node"}
}

func (c *converter) mapping(n *yaml.Node, depth int, path string) (*Node, error) {
	if t := n.ShortTag(); t != TagMap {
		return nil, &Error{Pos: c.pos(n), Path: path, Msg: unsupportedTag(t)}
	}
	out := c.collection(MappingNode, TagMap, c.pos(n), len(n.Content))
	// keys met so far: a map for large mappings, a scan of out.Content
	// (where each key goes once its value is converted) for small ones
	var seen map[string]*Node
	if len(n.Content) > 32 {
		seen = make(map[string]*Node, len(n.Content)/2)
	}
	find := func(k string) *Node {
		if seen != nil {
			return seen[k]
		}
		for j := 0; j+1 < len(out.Content); j += 2 {
			if out.Content[j].Value == k {
				return out.Content[j]
			}
		}
		return nil
	}
	var merged []*Node // key/value pairs from merge keys, applied last
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Anchor != "" {
			c.defined[kn] = true // an alias elsewhere may copy a key
		}
		if kn.Kind == yaml.ScalarNode && kn.ShortTag() == "!!merge" {
			pairs, err := c.mergeSources(vn, depth, path)
			if err != nil {
				return nil, err
			}
			merged = append(merged, pairs...)
			continue
		}
		if kn.Kind != yaml.ScalarNode {
			return nil, &Error{Pos: c.pos(kn), Path: path, Msg: "mapping key must be a plain value, not " + kindName(kn.Kind)}
		}
		kpath := joinKey(path, kn.Value)
		if err := c.count(kn, kpath); err != nil {
			return nil, err
		}
		switch t := kn.ShortTag(); t {
		case TagNull:
			return nil, &Error{Pos: c.pos(kn), Path: path, Msg: "mapping key is empty or null"}
		case TagStr, TagInt, TagFloat, TagBool, TagTimestamp:
		default:
			return nil, &Error{Pos: c.pos(kn), Path: kpath, Msg: unsupportedTag(t)}
		}
		if first := find(kn.Value); first != nil {
			return nil, &Error{Pos: c.pos(kn), Path: kpath, Msg: fmt.Sprintf("duplicate key %q (first at line %d); remove one", kn.Value, first.Pos.Line)}
		}
		key := c.scalar(TagStr, kn.Value, false, c.pos(kn))
		if seen != nil {
			seen[kn.Value] = key
		}
		val, err := c.convert(vn, depth+1, kpath)
		if err != nil {
			return nil, err
		}
		out.Content = append(out.Content, key, val)
	}
	for i := 0; i+1 < len(merged); i += 2 {
		if find(merged[i].Value) != nil {
			continue
		}
		if seen != nil {
			seen[merged[i].Value] = merged[i]
		}
		out.Content = append(out.Content, merged[i], merged[i+1])
	}
	return out, nil
}

// mergeSources expands the value of a "<<" key: a mapping or a list of them,
// either possibly through an alias. Copies made through an alias count
// against the budget, including the mappings of an aliased list.
func (c *converter) mergeSources(v *yaml.Node, depth int, path string) ([]*Node, error) {
	const needMaps = "merge key << needs a mapping or a list of mappings"
	target := v
	if v.Kind == yaml.AliasNode {
		leave, err := c.enterAlias(v, path)
		if err != nil {
			return nil, err
		}
		defer leave()
		target = v.Alias
	}
	var sources []*yaml.Node
	switch target.Kind {
	case yaml.MappingNode:
		sources = []*yaml.Node{target}
	case yaml.SequenceNode:
		if err := c.count(target, path); err != nil {
			return nil, err
		}
		if t := target.ShortTag(); t != TagSeq {
			return nil, &Error{Pos: c.pos(target), Path: path, Msg: unsupportedTag(t)}
		}
		defer c.enterAnchor(target)()
		sources = target.Content
	default:
		return nil, &Error{Pos: c.pos(v), Path: path, Msg: needMaps}
	}
	var pairs []*Node
	have := map[string]bool{}
	for _, s := range sources {
		m, err := c.convert(s, depth, path)
		if err != nil {
			return nil, err
		}
		if m.Kind != MappingNode {
			return nil, &Error{Pos: c.pos(s), Path: path, Msg: needMaps}
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if have[m.Content[i].Value] {
				continue // earlier sources win
			}
			have[m.Content[i].Value] = true
			pairs = append(pairs, m.Content[i], m.Content[i+1])
		}
	}
	return pairs, nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a node"
}

// joinKey appends a mapping key to a field path: ".key"; "[key]" when the
// key would otherwise not read back with Lookup (it is empty or holds a dot
// or a bracket); and ["key"], the key quoted as Go quotes strings, when it
// holds a character that is not printable (a line break in a path would
// split a one-line error), a closing bracket, or would start a bracketed
// segment with a quote. Lookup reads all three forms back.
func joinKey(path, key string) string {
	brackets := key == "" || strings.ContainsAny(key, ".[]")
	if strings.IndexFunc(key, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 ||
		strings.Contains(key, "]") || (brackets && strings.HasPrefix(key, `"`)) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if brackets {
		return path + "[" + key + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}
