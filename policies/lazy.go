package policies

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// The policies' input, kept compact until it is evaluated.
//
// OPA's values are large: an object is a hash table of terms, each an
// interface and a pointer, and a fleet of 10,000 environments converted
// into them (shared as the converter shares them) took some 450 MiB, all
// alive from the reading of the files to the end of the evaluation, when
// the batches (batches.go) need only one batch's at a time. So the
// converter records what it converts in a dag, a table of its distinct
// values: strings, numbers and the other leaves as the terms they are
// (each distinct one is made once, as before), objects and lists as a
// record of their parts' ids, a few bytes each. A document is an id in
// its converter's dag (ref); a materializer makes OPA's values of the
// documents an evaluation reads, when it reads them: every document at
// once for one evaluation of the whole input, a batch's documents for
// that batch's, which are garbage once it has run.
//
// The values made are those the converter made before (each distinct
// object or list of a dag once, from the same parts in the same order),
// so the policies see the same input (TestInputConverterMatchesObjects,
// FuzzInputConverter, TestBatchesMatchOneEvaluation); what a run keeps
// of them is a fraction of those values (TestInputIsCompactUntilEvaluated).

// dag is what a converter made: every distinct value, by id (from 1).
// It is not changed once the converter is done, and is then safe to read
// from several goroutines.
type dag struct {
	// leaf is the term of each leaf (a string, a scalar, a value
	// converted whole); nil for an object or a list
	leaf []*ast.Term
	// at is where the record of each object or list starts in recs
	at []uint32
	// recs are the records of the objects and lists: a header (the number
	// of parts << 1, | 1 for a list), then the parts' ids (an object's
	// key and value ids in turn, keys ascending)
	recs []uint32
}

func newDag() *dag {
	return &dag{leaf: []*ast.Term{nil}, at: []uint32{0}}
}

// addLeaf records a leaf and returns its id.
func (d *dag) addLeaf(t *ast.Term) uint32 {
	d.leaf = append(d.leaf, t)
	d.at = append(d.at, 0)
	return uint32(len(d.leaf) - 1)
}

// addComposite records an object (list false: parts k0, v0, k1, ...) or a
// list of parts and returns its id.
func (d *dag) addComposite(list bool, parts []node) uint32 {
	hdr := uint32(len(parts)) << 1
	if list {
		hdr |= 1
	}
	d.leaf = append(d.leaf, nil)
	d.at = append(d.at, uint32(len(d.recs)))
	d.recs = append(d.recs, hdr)
	for _, p := range parts {
		d.recs = append(d.recs, p.id)
	}
	return uint32(len(d.leaf) - 1)
}

// record returns the parts of object or list id, and whether it is a list.
func (d *dag) record(id uint32) (parts []uint32, list bool) {
	at := d.at[id]
	hdr := d.recs[at]
	return d.recs[at+1 : at+1+hdr>>1], hdr&1 == 1
}

// ref is a document's value: id in d.
type ref struct {
	d  *dag
	id uint32
}

// A materializer makes OPA's values of refs, each distinct value of a dag
// once: what one evaluation reads (a batch's documents, or all). It is
// not safe for concurrent use.
type materializer struct {
	made map[*dag]map[uint32]*ast.Term
	// all, when set, is the values made of the dag whose every value
	// is made (newDagMaterializer), by id: a look-up cheaper than made's
	all   []*ast.Term
	stack []*ast.Term    // the parts of the objects and lists being made
	pairs [][2]*ast.Term // an object's items (ast.NewObject copies them)
}

func newMaterializer() *materializer {
	return &materializer{made: map[*dag]map[uint32]*ast.Term{}}
}

// newDagMaterializer is a materializer of values of d only, most of them
// (every document of the Load that made d: terms).
func newDagMaterializer(d *dag) *materializer {
	return &materializer{all: make([]*ast.Term, len(d.leaf))}
}

// term is r's value.
func (m *materializer) term(r ref) *ast.Term {
	if t := r.d.leaf[r.id]; t != nil {
		return t
	}
	if m.all != nil {
		return m.composite(r.d, nil, r.id)
	}
	made := m.made[r.d]
	if made == nil {
		made = map[uint32]*ast.Term{}
		m.made[r.d] = made
	}
	return m.composite(r.d, made, r.id)
}

// composite is the value of object or list id of d (made: those made,
// nil for m.all's).
func (m *materializer) composite(d *dag, made map[uint32]*ast.Term, id uint32) *ast.Term {
	if made == nil {
		if t := m.all[id]; t != nil {
			return t
		}
	} else if t, ok := made[id]; ok {
		return t
	}
	parts, list := d.record(id)
	start := len(m.stack)
	for _, p := range parts {
		t := d.leaf[p]
		if t == nil {
			t = m.composite(d, made, p)
		}
		m.stack = append(m.stack, t)
	}
	terms := m.stack[start:]
	var t *ast.Term
	if list {
		t = ast.ArrayTerm(append([]*ast.Term(nil), terms...)...)
	} else {
		pairs := m.pairs[:0]
		for i := 0; i+1 < len(terms); i += 2 {
			pairs = append(pairs, [2]*ast.Term{terms[i], terms[i+1]})
		}
		m.pairs = pairs
		t = ast.NewTerm(ast.NewObject(pairs...))
	}
	clear(terms)
	m.stack = m.stack[:start]
	if made == nil {
		m.all[id] = t
	} else {
		made[id] = t
	}
	return t
}
