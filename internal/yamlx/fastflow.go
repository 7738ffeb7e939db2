package yamlx

// Flow mappings for the fast path (fast.go): the one-line flow mappings
// people write in specs ("- {name: system, instanceTypes: [m5.large],
// minSize: 2}"), which sent every such file to go-yaml. flowMapping reads
// keys that are plain or quoted scalars followed by ": ", values that are
// plain or quoted scalars or, nested, flow sequences and mappings, all on
// the current line. It leaves to go-yaml what it does not read: a key
// without a value ("{a}", "{a: }"), ":" not followed by a space, a
// trailing comma, a repeated, null or merge key, a key over 1000 bytes,
// and everything flowPlain refuses in a plain scalar.

// flowMapping parses the flow mapping whose "{" is at offset o of the
// current line, its first key at offset i; end is the offset after its
// "}".
func (p *fastParser) flowMapping(o, i, depth int) (n *Node, end int, ok bool) {
	s := p.src
	n = p.collection(MappingNode, TagMap, p.line, p.col(o))
	base := len(p.stack)
	for {
		// the key
		var key string
		kcol := p.col(i)
		switch s[i] {
		case '\'', '"':
			v, e, ok := p.quoted(i)
			if !ok {
				return nil, 0, false
			}
			key, end = v, e
		default:
			e, ok := p.flowMapPlain(i, true)
			if !ok {
				return nil, 0, false
			}
			key, end = s[i:e], e
			switch key {
			case "~", "null", "Null", "NULL", "<<": // a null key, a merge key
				return nil, 0, false
			}
		}
		if end-i > 1000 {
			return nil, 0, false // go-yaml limits simple keys to 1024 characters
		}
		for j := base; j < len(p.stack); j += 2 {
			if p.stack[j].Value == key {
				return nil, 0, false // go-yaml reports duplicates
			}
		}
		i = end
		for i < p.le && s[i] == ' ' {
			i++
		}
		if i+1 >= p.le || s[i] != ':' || s[i+1] != ' ' {
			return nil, 0, false
		}
		p.stack = append(p.stack, p.scalar(TagStr, key, false, p.line, kcol))
		for i += 2; i < p.le && s[i] == ' '; i++ {
		}
		if i == p.le {
			return nil, 0, false
		}

		// the value
		var v *Node
		switch c := s[i]; {
		case c == '[' || c == '{':
			v, end, ok = p.flow(i, depth+1)
			if !ok {
				return nil, 0, false
			}
		case c == '\'' || c == '"':
			q, e, ok := p.quoted(i)
			if !ok {
				return nil, 0, false
			}
			v, end = p.scalar(TagStr, q, true, p.line, p.col(i)), e
		default:
			e, ok := p.flowMapPlain(i, false)
			if !ok {
				return nil, 0, false
			}
			text := s[i:e]
			tag := resolvePlain(text)
			if tag == mergeTagName {
				return nil, 0, false
			}
			v, end = p.scalar(tag, text, false, p.line, p.col(i)), e
		}
		p.stack = append(p.stack, v)

		// a comma and the next key, or the end
		for i = end; i < p.le && s[i] == ' '; i++ {
		}
		if i == p.le {
			return nil, 0, false // a multi-line flow mapping
		}
		switch s[i] {
		case '}':
			p.finish(n, base)
			return n, i + 1, true
		case ',':
			for i++; i < p.le && s[i] == ' '; i++ {
			}
			if i == p.le || s[i] == '}' || s[i] == ',' {
				return nil, 0, false // a trailing comma, or the mapping goes on on the next line
			}
		default:
			return nil, 0, false
		}
	}
}

// flowMapPlain scans a plain scalar in a flow mapping at offset o of the
// current line, a key (ending before ":") or a value (ending before ","
// or "}"), returning where its text ends. Like flowPlain, it leaves to
// go-yaml those that hold ":" (but a key's end), "#", "?", brackets,
// braces or tabs, or that run to the end of the line.
func (p *fastParser) flowMapPlain(o int, key bool) (end int, ok bool) {
	s := p.src
	if !p.flowPlainStarts(o) {
		return 0, false
	}
	i := o
	for ; i < p.le; i++ {
		c := s[i]
		if key && c == ':' || !key && (c == ',' || c == '}') {
			return trimSpaces(s, o, i), true
		}
		if !flowPlainChar(c) {
			return 0, false
		}
	}
	return 0, false
}
