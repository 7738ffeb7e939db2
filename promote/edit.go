package promote

import (
	"errors"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/digx/fluxtf/internal/lineedit"
)

// setPath sets the scalar at path (mapping keys from the document's root)
// in the YAML text data to value, changing only the lines it must: the
// scalar in place (keeping its quotes), or new lines (a new key under an
// existing block mapping, or a key added to an empty flow mapping {}), so
// comments and layout stay as they are.
func setPath(data []byte, path []string, value string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not an environment spec (a YAML mapping)")
	}
	lines := strings.SplitAfter(string(data), "\n")
	node := doc.Content[0]
	for i, key := range path {
		if node.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("line %d: %s is not a mapping; set %s by hand", node.Line, strings.Join(path[:i], "."), strings.Join(path, "."))
		}
		k, v := lookup(node, key)
		rest := path[i:]
		switch {
		case k == nil && node.Style&yaml.FlowStyle != 0:
			return addToFlow(lines, node, rest, value)
		case k == nil:
			return addToBlock(lines, node, rest, value)
		case i == len(path)-1:
			if v.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: %s is not a single value; set it by hand", k.Line, strings.Join(path, "."))
			}
			return replaceScalar(lines, v, value)
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			return nil, fmt.Errorf("line %d: %s is empty; write it as {} and promote again", k.Line, strings.Join(path[:i+1], "."))
		}
		node = v
	}
	return nil, errors.New("empty path")
}

// lookup returns the key and value nodes of key in mapping m.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// nested is the text of rest: value as nested block mappings, each level
// two spaces deeper than ind.
func nested(rest []string, value string, ind int) string {
	var b strings.Builder
	for i, k := range rest {
		b.WriteString(strings.Repeat(" ", ind+2*i) + k + ":")
		if i == len(rest)-1 {
			b.WriteString(" " + scalar(value))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// flow is rest: value as a flow mapping's entry.
func flow(rest []string, value string) string {
	s := rest[len(rest)-1] + ": " + scalar(value)
	for i := len(rest) - 2; i >= 0; i-- {
		s = rest[i] + ": {" + s + "}"
	}
	return s
}

func addToBlock(lines []string, m *yaml.Node, rest []string, value string) ([]byte, error) {
	if len(m.Content) == 0 {
		return nil, fmt.Errorf("line %d: cannot tell the indentation of an empty mapping; add %s by hand", m.Line, strings.Join(rest, "."))
	}
	ind := m.Content[0].Column - 1
	end := lineedit.LastLine(m)
	return []byte(strings.Join(lineedit.Insert(lines, end, nested(rest, value, ind)), "")), nil
}

// addToFlow adds rest: value to a flow mapping written on one line.
func addToFlow(lines []string, m *yaml.Node, rest []string, value string) ([]byte, error) {
	if lineedit.LastLine(m) != m.Line || m.Line < 1 || m.Line > len(lines) {
		return nil, fmt.Errorf("line %d: a flow mapping over several lines; add %s by hand", m.Line, strings.Join(rest, "."))
	}
	l := lines[m.Line-1]
	open := lineedit.RuneOffset(l, m.Column)
	if open >= len(l) || l[open] != '{' {
		return nil, fmt.Errorf("line %d: cannot find the mapping's {; add %s by hand", m.Line, strings.Join(rest, "."))
	}
	closing := matchingBrace(l, open)
	if closing < 0 {
		return nil, fmt.Errorf("line %d: cannot find the mapping's }; add %s by hand", m.Line, strings.Join(rest, "."))
	}
	entry := flow(rest, value)
	inner := strings.TrimSpace(l[open+1 : closing])
	if inner != "" {
		entry = strings.TrimRight(l[open+1:closing], " ") + ", " + entry
	}
	lines[m.Line-1] = l[:open+1] + entry + l[closing:]
	return []byte(strings.Join(lines, "")), nil
}

// matchingBrace is the offset of the } closing the { at open in l.
func matchingBrace(l string, open int) int {
	depth := 0
	var quote byte
	for i := open; i < len(l); i++ {
		c := l[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// scalar writes s as a YAML scalar, quoted when it needs it ("1.30" stays
// a string).
func scalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// replaceScalar replaces the single-line scalar n in lines with v, in the
// quotes n was written in.
func replaceScalar(lines []string, n *yaml.Node, v string) ([]byte, error) {
	if n.Line < 1 || n.Line > len(lines) {
		return nil, errors.New("the value is not where the parser says")
	}
	l := lines[n.Line-1]
	off := lineedit.RuneOffset(l, n.Column)
	var text, repl string
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		q := l[off]
		end := strings.IndexByte(l[off+1:], q)
		if end < 0 {
			return nil, fmt.Errorf("line %d: the value spans lines; set it by hand", n.Line)
		}
		text = l[off : off+end+2]
		repl = string(q) + v + string(q)
		if strings.ContainsRune(v, rune(q)) || strings.ContainsAny(v, "\\\n") {
			repl = scalar(v)
		}
	case 0:
		text, repl = n.Value, scalar(v)
	default:
		return nil, fmt.Errorf("line %d: the value is a block scalar; set it by hand", n.Line)
	}
	if !strings.HasPrefix(l[off:], text) {
		return nil, fmt.Errorf("line %d: the value is not written on one line; set it by hand", n.Line)
	}
	lines[n.Line-1] = l[:off] + repl + l[off+len(text):]
	return []byte(strings.Join(lines, "")), nil
}

// removePath removes the key at path (mapping keys from the document's
// root) with its value from the YAML text data, changing only the lines it
// must: the key's lines in a block mapping, or its entry in a flow mapping
// written on one line. A missing key is no change.
func removePath(data []byte, path []string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("not an environment spec (a YAML mapping)")
	}
	lines := strings.SplitAfter(string(data), "\n")
	parent := doc.Content[0]
	for _, key := range path[:len(path)-1] {
		_, v := lookup(parent, key)
		if v == nil || v.Kind != yaml.MappingNode {
			return data, nil
		}
		parent = v
	}
	k, v := lookup(parent, path[len(path)-1])
	if k == nil {
		return data, nil
	}
	where := strings.Join(path, ".")
	if len(parent.Content) == 2 {
		return nil, fmt.Errorf("line %d: %s is the only entry of its mapping; remove it by hand", k.Line, where)
	}
	if parent.Style&yaml.FlowStyle != 0 {
		return removeFromFlow(lines, parent, k, v, where)
	}
	if k.Line < 1 || k.Line > len(lines) || strings.TrimSpace(lines[k.Line-1][:lineedit.RuneOffset(lines[k.Line-1], k.Column)]) != "" {
		return nil, fmt.Errorf("line %d: %s does not start its line; remove it by hand", k.Line, where)
	}
	end := lineedit.LastLine(v)
	return []byte(strings.Join(append(lines[:k.Line-1:k.Line-1], lines[end:]...), "")), nil
}

// removeFromFlow removes the entry k: v from the flow mapping m written on
// one line.
func removeFromFlow(lines []string, m, k, v *yaml.Node, where string) ([]byte, error) {
	if lineedit.LastLine(m) != m.Line || m.Line < 1 || m.Line > len(lines) {
		return nil, fmt.Errorf("line %d: a flow mapping over several lines; remove %s by hand", m.Line, where)
	}
	l := lines[m.Line-1]
	start := lineedit.RuneOffset(l, k.Column)
	end := -1
	switch off := lineedit.RuneOffset(l, v.Column); {
	case v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode:
		if c := matchingBrace(l, off); c >= 0 {
			end = c + 1
		}
	case v.Style == yaml.DoubleQuotedStyle || v.Style == yaml.SingleQuotedStyle:
		if c := strings.IndexByte(l[off+1:], l[off]); c >= 0 {
			end = off + c + 2
		}
	case v.Style == 0:
		end = off + len(v.Value)
	}
	if end < 0 || end > len(l) {
		return nil, fmt.Errorf("line %d: cannot find the end of %s; remove it by hand", m.Line, where)
	}
	// the entry with the comma after it, else with the comma before it
	if rest := strings.TrimLeft(l[end:], " "); strings.HasPrefix(rest, ",") {
		end = len(l) - len(rest) + 1
		end += len(l[end:]) - len(strings.TrimLeft(l[end:], " "))
	} else if before := strings.TrimRight(l[:start], " "); strings.HasSuffix(before, ",") {
		start = len(before) - 1
	}
	lines[m.Line-1] = l[:start] + l[end:]
	return []byte(strings.Join(lines, "")), nil
}
