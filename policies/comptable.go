package policies

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
)

// compTable finds the objects and lists a converter recorded in its dag
// by their parts (hash-consing, converter.composite), without a copy of
// the parts: it holds each one's id and hash, and compares a candidate's
// parts with the dag's record. A map keyed by the parts' ids as a string
// held them a second time beside the records (at 10,000 environments
// about 110 MiB, alive until the reading ends, and a string allocated
// for every distinct value).
type compTable struct {
	slots []compSlot // open addressing, a power of two long; id 0: free
	n     int        // slots used
	seed  maphash.Seed
	key   []byte // hash input, reused
}

type compSlot struct {
	hash uint32
	id   uint32
}

func newCompTable() compTable {
	return compTable{slots: make([]compSlot, 1024), seed: maphash.MakeSeed()}
}

// hash is the hash of an object (list false) or a list of parts.
func (t *compTable) hash(list bool, parts []node) uint32 {
	k := t.key[:0]
	if list {
		k = append(k, 'a')
	} else {
		k = append(k, 'o')
	}
	for _, p := range parts {
		k = binary.LittleEndian.AppendUint32(k, p.id)
	}
	t.key = k
	return uint32(maphash.Bytes(t.seed, k))
}

// find returns the id in d of the object or list of parts with hash h.
func (t *compTable) find(d *dag, h uint32, list bool, parts []node) (uint32, bool) {
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.id == 0 {
			return 0, false
		}
		if s.hash != h {
			continue
		}
		if rec, isList := d.record(s.id); isList == list && slices.EqualFunc(rec, parts, func(id uint32, p node) bool { return id == p.id }) {
			return s.id, true
		}
	}
}

// insert adds id, of hash h (not there yet).
func (t *compTable) insert(h, id uint32) {
	if 4*(t.n+1) > 3*len(t.slots) {
		old := t.slots
		t.slots = make([]compSlot, 2*len(old))
		for _, s := range old {
			if s.id != 0 {
				t.put(s)
			}
		}
	}
	t.put(compSlot{hash: h, id: id})
	t.n++
}

func (t *compTable) put(s compSlot) {
	mask := uint32(len(t.slots) - 1)
	i := s.hash & mask
	for t.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}
