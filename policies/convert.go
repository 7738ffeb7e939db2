package policies

import (
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/yamlx"
)

// converter turns decoded documents (map[string]any, []any, strings,
// numbers, booleans, nil) into OPA values, sharing equal parts: every
// distinct string is one term, and so is every distinct object or array
// built from the same parts (hash-consing). Rendered manifests repeat
// themselves from environment to environment (the label keys and most
// values, whole vars entries and sourceRefs), so on a fleet a third of the
// objects and a sixtieth of the strings are distinct, and the shared input
// takes a fraction of the memory OPA's own conversion
// (ast.InterfaceToValue) gives, which copies every part. OPA never changes
// an input value while it evaluates, so sharing parts is invisible to the
// policies: the value is equal to the one InterfaceToValue gives
// (TestConverterMatchesInterfaceToValue).
//
// It records what it converts in a dag (lazy.go): the strings and other
// leaves as terms, the objects and lists as records of their parts, made
// into OPA's values when an evaluation reads them (a materializer).
//
// A converter is not safe for concurrent use.
type converter struct {
	strs    map[string]node
	scalars map[any]node // nil, booleans and numbers
	comps   compTable    // the objects and lists, by their parts
	stack   []node       // the parts of the composites being converted (yamlNode)
	d       *dag         // what it converted
	// hints: what the strings and keys converted say (each distinct
	// string is looked at once)
	hints *hints
}

// floatBits keys a float64 in converter.scalars by its bits.
type floatBits uint64

// node is a converted value's id in the converter's dag, which stands for
// the value when a composite made of it is looked up, and its term when
// it is a leaf (nil for an object or a list: see dag).
type node struct {
	t  *ast.Term
	id uint32
}

func newConverter() *converter {
	return &converter{strs: map[string]node{}, scalars: map[any]node{}, comps: newCompTable(), hints: newHints(), d: newDag()}
}

// add records a leaf.
func (c *converter) add(t *ast.Term) node {
	return node{t: t, id: c.d.addLeaf(t)}
}

// ref is n's value in the converter's dag.
func (c *converter) ref(n node) ref { return ref{d: c.d, id: n.id} }

// inputValue is a document as NewInputConverter made it: its value (in
// the dag of the converter that made it, made into OPA's value when an
// evaluation reads it), and the hints of that converter (read once Load
// is done: over all documents of a run, they cover every string and key).
type inputValue struct {
	r     ref
	hints *hints
}

// NewInputConverter returns a manifest.Converter that makes a document
// into the policies' input value directly from its YAML tree, sharing the
// parts the documents it converts repeat (see converter), for
// manifest.Options.Convert: Load then makes no decoded maps, and Evaluate
// no conversion of its own.
//
// Under FLUXTF_SLOW (internal/fastpath) it returns nil: Load then decodes
// every document into its Object, and the engine converts that with OPA's
// own ast.InterfaceToValue (referenceValue).
func NewInputConverter() manifest.Converter {
	if !fastpath.Enabled(fastpath.Convert) {
		return nil
	}
	c := newConverter()
	return func(root *yamlx.Node) (any, error) {
		n, err := c.yamlNode(root, false)
		if err != nil {
			return nil, err
		}
		fastpath.Hit(fastpath.Convert)
		return &inputValue{r: c.ref(n), hints: c.hints}, nil
	}
}

// referenceValue is what the converter is held to, and what FLUXTF_SLOW
// uses instead: OPA's own conversion of a decoded document, every part
// copied; the hints the converter would note are added to h.
func referenceValue(v any, h *hints) (ast.Value, error) {
	x, err := ast.InterfaceToValue(v)
	if err != nil {
		return nil, err
	}
	h.note(v, false)
	return x, nil
}

// note adds to h what the strings and keys of a decoded value say, as the
// converter notes them (str, mapKey); inList says v sits in a list.
func (h *hints) note(v any, inList bool) {
	switch v := v.(type) {
	case string:
		h.noteString(v)
	case map[string]any:
		for k, x := range v {
			h.noteString(k)
			if inList {
				h.listKeys[k] = struct{}{}
			}
			h.note(x, inList)
		}
	case []any:
		for _, x := range v {
			h.note(x, true)
		}
	}
}

// noteString notes whether s may hold a credential.
func (h *hints) noteString(s string) {
	if !h.credential && mayHoldCredential(s) {
		h.credential = true
	}
}

// yamlNode converts a YAML tree to the value node(n.ToAny()) gives;
// inList says it sits in a list (for hints.listKeys). The parts of the
// mappings and sequences being converted wait on c.stack (a slice per
// mapping was a tenth of what loading a fleet allocated), and a string
// scalar goes to str without ToAny's boxing into an interface.
func (c *converter) yamlNode(n *yamlx.Node, inList bool) (node, error) {
	switch n.Kind {
	case yamlx.MappingNode:
		if !keysAscend(n.Content) {
			// as ToAny: the last of duplicate keys wins
			kv := make(map[string]*yamlx.Node, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				kv[n.Content[i].Value] = n.Content[i+1]
			}
			return objectOf(c, kv, func(x *yamlx.Node) (node, error) { return c.yamlNode(x, inList) }, inList)
		}
		// the usual case (fluxtf writes keys sorted): no map to build and
		// sort
		start := len(c.stack)
		for i := 0; i+1 < len(n.Content); i += 2 {
			x, err := c.yamlNode(n.Content[i+1], inList)
			if err != nil {
				c.stack = c.stack[:start]
				return node{}, err
			}
			c.stack = append(c.stack, c.mapKey(n.Content[i].Value, inList), x)
		}
		out := c.object(c.stack[start:])
		c.stack = c.stack[:start]
		return out, nil
	case yamlx.SequenceNode:
		start := len(c.stack)
		for _, item := range n.Content {
			x, err := c.yamlNode(item, true)
			if err != nil {
				c.stack = c.stack[:start]
				return node{}, err
			}
			c.stack = append(c.stack, x)
		}
		out := c.array(c.stack[start:])
		c.stack = c.stack[:start]
		return out, nil
	case yamlx.ScalarNode:
		if n.Tag == yamlx.TagStr {
			return c.str(n.Value), nil
		}
	}
	return c.node(n.ToAny())
}

// keysAscend reports whether the keys of a mapping's content (k0, v0, k1,
// ...) are in strictly ascending byte order: then they are distinct, and
// in the order objectOf takes them.
func keysAscend(content []*yamlx.Node) bool {
	for i := 2; i+1 < len(content); i += 2 {
		if content[i-2].Value >= content[i].Value {
			return false
		}
	}
	return len(content)%2 == 0
}

// objectOf converts a mapping, its values with conv; inList says it sits
// in a list.
func objectOf[V any](c *converter, m map[string]V, conv func(V) (node, error), inList bool) (node, error) {
	parts := make([]node, 0, 2*len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		x, err := conv(m[k])
		if err != nil {
			return node{}, err
		}
		parts = append(parts, c.mapKey(k, inList), x)
	}
	return c.object(parts), nil
}

// arrayOf converts a list, its items with conv.
func arrayOf[V any](c *converter, list []V, conv func(V) (node, error)) (node, error) {
	parts := make([]node, len(list))
	for i, x := range list {
		var err error
		if parts[i], err = conv(x); err != nil {
			return node{}, err
		}
	}
	return c.array(parts), nil
}

// value converts v, and makes its value.
func (c *converter) value(v any) (ast.Value, error) {
	n, err := c.node(v)
	if err != nil {
		return nil, err
	}
	return newMaterializer().term(c.ref(n)).Value, nil
}

func (c *converter) node(v any) (node, error) {
	return c.nodeIn(v, false)
}

// nodeIn converts v; inList says it sits in a list (for hints.listKeys).
func (c *converter) nodeIn(v any, inList bool) (node, error) {
	switch v := v.(type) {
	case string:
		return c.str(v), nil
	case map[string]any:
		return objectOf(c, v, func(x any) (node, error) { return c.nodeIn(x, inList) }, inList)
	case []any:
		return arrayOf(c, v, func(x any) (node, error) { return c.nodeIn(x, true) })
	case nil, bool, int, int64, uint64, float64:
		key := v
		if f, ok := v.(float64); ok {
			key = floatBits(math.Float64bits(f)) // -0 is not 0 in print
		}
		if n, ok := c.scalars[key]; ok {
			return n, nil
		}
		x, err := ast.InterfaceToValue(v)
		if err != nil {
			return node{}, err
		}
		n := c.add(ast.NewTerm(x))
		c.scalars[key] = n
		return n, nil
	}
	// anything else (a json.Number, a map[string]string, a struct in a
	// Doc made by hand): OPA's own conversion, unshared
	x, err := ast.InterfaceToValue(v)
	if err != nil {
		return node{}, err
	}
	return c.add(ast.NewTerm(x)), nil
}

func (c *converter) str(s string) node {
	if n, ok := c.strs[s]; ok {
		return n
	}
	// the key is the copy too: s may be a slice of a file's whole text
	// (yamlx's parser), which a key would keep alive until the read ends
	s = strings.Clone(s)
	n := c.add(ast.StringTerm(s))
	c.strs[s] = n
	c.hints.noteString(s)
	return n
}

// mapKey converts a mapping key; inList says the mapping sits in a list.
func (c *converter) mapKey(k string, inList bool) node {
	n := c.str(k)
	if inList {
		if _, ok := c.hints.listKeys[k]; !ok {
			c.hints.listKeys[strings.Clone(k)] = struct{}{}
		}
	}
	return n
}

// object returns the object of the key and value parts (k0, v0, k1, ...).
func (c *converter) object(parts []node) node {
	return c.composite('o', parts)
}

// array returns the array of the parts.
func (c *converter) array(parts []node) node {
	return c.composite('a', parts)
}

// composite returns the object or list (kind 'o' or 'a') with these
// parts, recording it in the dag the first time.
func (c *converter) composite(kind byte, parts []node) node {
	list := kind == 'a'
	h := c.comps.hash(list, parts)
	if id, ok := c.comps.find(c.d, h, list, parts); ok {
		return node{id: id}
	}
	id := c.d.addComposite(list, parts)
	c.comps.insert(h, id)
	return node{id: id}
}
