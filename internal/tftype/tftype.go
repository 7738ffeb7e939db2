package tftype

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kind is the kind of a Terraform type.
type Kind int

// The kinds of Terraform types.
const (
	String Kind = iota + 1
	Number
	Bool
	Any
	List
	Set
	Map
	Tuple
	Object
)

// Type is a parsed Terraform type constraint.
type Type struct {
	// Kind says which of the fields below are used.
	Kind Kind
	// Elem is the element type of a list, set or map.
	Elem *Type
	// Elems are the element types of a tuple.
	Elems []Type
	// Attrs are the attributes of an object.
	Attrs map[string]Attr
}

// Attr is one attribute of an object type.
type Attr struct {
	// Type of the attribute.
	Type Type
	// Optional attributes (optional(T)) may be left out.
	Optional bool
}

// Parse parses a type constraint such as "list(string)" or
// "map(object({min_size = number, labels = optional(map(string))}))".
func Parse(s string) (Type, error) {
	p := &parser{s: s}
	t, err := p.typ(false)
	if err != nil {
		return Type{}, fmt.Errorf("type %q: %w", s, err)
	}
	p.space()
	if p.i != len(p.s) {
		return Type{}, fmt.Errorf("type %q: unexpected %q at offset %d", s, p.s[p.i:], p.i)
	}
	return t, nil
}

type parser struct {
	s string
	i int
}

func (p *parser) space() {
	for p.i < len(p.s) && strings.ContainsRune(" \t\r\n", rune(p.s[p.i])) {
		p.i++
	}
}

func (p *parser) word() string {
	p.space()
	j := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || p.s[p.i] == '-' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
		p.i++
	}
	return p.s[j:p.i]
}

func (p *parser) expect(c byte) error {
	p.space()
	if p.i >= len(p.s) || p.s[p.i] != c {
		if p.i >= len(p.s) {
			return fmt.Errorf("expected %q at the end", c)
		}
		return fmt.Errorf("expected %q at offset %d, got %q", c, p.i, p.s[p.i])
	}
	p.i++
	return nil
}

func (p *parser) peek(c byte) bool {
	p.space()
	return p.i < len(p.s) && p.s[p.i] == c
}

// typ parses one type; inObject allows optional(T).
func (p *parser) typ(inObject bool) (Type, error) {
	w := p.word()
	switch w {
	case "string":
		return Type{Kind: String}, nil
	case "number":
		return Type{Kind: Number}, nil
	case "bool":
		return Type{Kind: Bool}, nil
	case "any":
		return Type{Kind: Any}, nil
	case "list", "set", "map":
		if err := p.expect('('); err != nil {
			return Type{}, err
		}
		elem, err := p.typ(false)
		if err != nil {
			return Type{}, err
		}
		if err := p.expect(')'); err != nil {
			return Type{}, err
		}
		k := map[string]Kind{"list": List, "set": Set, "map": Map}[w]
		return Type{Kind: k, Elem: &elem}, nil
	case "tuple":
		if err := p.expect('('); err != nil {
			return Type{}, err
		}
		if err := p.expect('['); err != nil {
			return Type{}, err
		}
		t := Type{Kind: Tuple}
		for !p.peek(']') {
			e, err := p.typ(false)
			if err != nil {
				return Type{}, err
			}
			t.Elems = append(t.Elems, e)
			if !p.peek(',') {
				break
			}
			p.i++
		}
		if err := p.expect(']'); err != nil {
			return Type{}, err
		}
		return t, p.expect(')')
	case "object":
		if err := p.expect('('); err != nil {
			return Type{}, err
		}
		if err := p.expect('{'); err != nil {
			return Type{}, err
		}
		t := Type{Kind: Object, Attrs: map[string]Attr{}}
		for !p.peek('}') {
			name := p.word()
			if name == "" {
				return Type{}, fmt.Errorf("expected an attribute name at offset %d", p.i)
			}
			if _, dup := t.Attrs[name]; dup {
				return Type{}, fmt.Errorf("attribute %q is declared twice", name)
			}
			if err := p.expect('='); err != nil {
				return Type{}, err
			}
			at, err := p.attr()
			if err != nil {
				return Type{}, err
			}
			t.Attrs[name] = at
			if p.peek(',') {
				p.i++
			}
		}
		if err := p.expect('}'); err != nil {
			return Type{}, err
		}
		return t, p.expect(')')
	case "optional":
		if inObject {
			return Type{}, fmt.Errorf("optional() only wraps an object attribute's type")
		}
		return Type{}, fmt.Errorf("optional() is allowed only for object attributes")
	case "":
		if p.i >= len(p.s) {
			return Type{}, fmt.Errorf("expected a type at the end")
		}
		return Type{}, fmt.Errorf("expected a type at offset %d, got %q", p.i, p.s[p.i])
	}
	return Type{}, fmt.Errorf("unknown type %q (string, number, bool, any, list, set, map, tuple, object)", w)
}

func (p *parser) attr() (Attr, error) {
	save := p.i
	if p.word() == "optional" {
		if err := p.expect('('); err != nil {
			return Attr{}, err
		}
		t, err := p.typ(false)
		if err != nil {
			return Attr{}, err
		}
		return Attr{Type: t, Optional: true}, p.expect(')')
	}
	p.i = save
	t, err := p.typ(true)
	return Attr{Type: t}, err
}

// String formats the type in Terraform syntax, object attributes sorted.
func (t Type) String() string {
	switch t.Kind {
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "bool"
	case Any:
		return "any"
	case List:
		return "list(" + t.Elem.String() + ")"
	case Set:
		return "set(" + t.Elem.String() + ")"
	case Map:
		return "map(" + t.Elem.String() + ")"
	case Tuple:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = e.String()
		}
		return "tuple([" + strings.Join(parts, ", ") + "])"
	case Object:
		parts := make([]string, 0, len(t.Attrs))
		for _, n := range t.attrNames() {
			a := t.Attrs[n]
			s := a.Type.String()
			if a.Optional {
				s = "optional(" + s + ")"
			}
			parts = append(parts, n+" = "+s)
		}
		return "object({" + strings.Join(parts, ", ") + "})"
	}
	return "?"
}

func (t Type) attrNames() []string {
	names := make([]string, 0, len(t.Attrs))
	for n := range t.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Check reports whether v, a value as encoding/json decodes it into an
// any, converts to t as Terraform converts a variable's value. null is
// accepted (Terraform variables are nullable); object attributes t does
// not declare are ignored, as Terraform drops them.
func (t Type) Check(v any) error {
	if v == nil {
		return nil
	}
	switch t.Kind {
	case Any:
		return nil
	case String:
		switch v.(type) {
		case string, float64, bool:
			return nil
		}
	case Number:
		switch x := v.(type) {
		case float64:
			return nil
		case string:
			if _, err := strconv.ParseFloat(x, 64); err == nil {
				return nil
			}
		}
	case Bool:
		switch x := v.(type) {
		case bool:
			return nil
		case string:
			if x == "true" || x == "false" {
				return nil
			}
		}
	case List, Set:
		if xs, ok := v.([]any); ok {
			for i, x := range xs {
				if err := t.Elem.Check(x); err != nil {
					return fmt.Errorf("element %d: %w", i, err)
				}
			}
			return nil
		}
	case Tuple:
		if xs, ok := v.([]any); ok {
			if len(xs) != len(t.Elems) {
				return fmt.Errorf("%s requires %d elements, got %d", t, len(t.Elems), len(xs))
			}
			for i, x := range xs {
				if err := t.Elems[i].Check(x); err != nil {
					return fmt.Errorf("element %d: %w", i, err)
				}
			}
			return nil
		}
	case Map:
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				if err := t.Elem.Check(m[k]); err != nil {
					return fmt.Errorf("element %q: %w", k, err)
				}
			}
			return nil
		}
	case Object:
		if m, ok := v.(map[string]any); ok {
			for _, n := range t.attrNames() {
				a := t.Attrs[n]
				x, present := m[n]
				if !present {
					if a.Optional {
						continue
					}
					return fmt.Errorf("attribute %q is required", n)
				}
				if err := a.Type.Check(x); err != nil {
					return fmt.Errorf("attribute %q: %w", n, err)
				}
			}
			return nil
		}
	}
	return fmt.Errorf("%s required, got %s", t, describe(v))
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", x)
	case float64:
		return "a number"
	case bool:
		return "a bool"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// PlaceholderHCL is a Terraform expression whose value has exactly type t
// (tolist, toset and tomap keep collections from becoming tuples and
// objects), for the outputs of interface-only modules.
func (t Type) PlaceholderHCL(name string) string {
	switch t.Kind {
	case String, Any:
		return strconv.Quote("placeholder-" + name)
	case Number:
		return "1"
	case Bool:
		return "true"
	case List:
		return "tolist([" + t.Elem.PlaceholderHCL(name) + "])"
	case Set:
		return "toset([" + t.Elem.PlaceholderHCL(name) + "])"
	case Map:
		return "tomap({ \"key\" = " + t.Elem.PlaceholderHCL(name) + " })"
	case Tuple:
		parts := make([]string, len(t.Elems))
		for i, e := range t.Elems {
			parts[i] = e.PlaceholderHCL(name)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case Object:
		parts := make([]string, 0, len(t.Attrs))
		for _, n := range t.attrNames() {
			parts = append(parts, n+" = "+t.Attrs[n].Type.PlaceholderHCL(n))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return "null"
}
