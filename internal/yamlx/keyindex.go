package yamlx

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strconv"
	"sync"
)

// A KeyIndex answers KeyPos for a tree that is no longer kept: the
// positions KeyPos finds in it, for the nodes of some files only. A
// render of a large fleet keeps each environment's merged spec tree only
// to report findings at spec lines (ten times the YAML, a hundred bytes a
// node); the index keeps about a dozen bytes a key of the spec files.
//
// Its paths are KeyPos's with list indexes as strconv.Itoa writes them
// (targets[0], not targets[00]).
type KeyIndex struct {
	paths *KeyPaths
	files []string
	ents  []keyEnt // by path id
}

// keyEnt is one path's position: files[file], line, column.
type keyEnt struct {
	path         uint32
	file         uint32
	line, column int32
}

// KeyPaths numbers the paths of KeyIndexes, so that the indexes of many
// trees with the same keys hold each path once. It is safe for
// concurrent use.
type KeyPaths struct {
	mu  sync.RWMutex
	ids map[string]uint32
}

// NewKeyPaths returns an empty table of paths.
func NewKeyPaths() *KeyPaths {
	return &KeyPaths{ids: map[string]uint32{}}
}

// id returns the id of the encoded path k, adding it when add is set; ok
// is false when it is not there.
func (p *KeyPaths) id(k []byte, add bool) (id uint32, ok bool) {
	p.mu.RLock()
	id, ok = p.ids[string(k)]
	p.mu.RUnlock()
	if ok || !add {
		return id, ok
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if id, ok = p.ids[string(k)]; !ok {
		id = uint32(len(p.ids))
		p.ids[string(k)] = id
	}
	return id, true
}

// appendSeg appends a path segment to an encoded path: its length, then
// its bytes (a key may hold any byte).
func appendSeg(k []byte, seg string) []byte {
	k = binary.AppendUvarint(k, uint64(len(seg)))
	return append(k, seg...)
}

// NewKeyIndex indexes the positions KeyPos finds in n (nil: none) that
// are in a file keep accepts, numbering their paths in paths.
func NewKeyIndex(n *Node, paths *KeyPaths, keep func(file string) bool) *KeyIndex {
	x := &KeyIndex{paths: paths}
	fileIDs := map[string]uint32{}
	add := func(k []byte, pos Pos) {
		if !keep(pos.File) {
			return
		}
		f, ok := fileIDs[pos.File]
		if !ok {
			f = uint32(len(x.files))
			fileIDs[pos.File] = f
			x.files = append(x.files, pos.File)
		}
		id, _ := paths.id(k, true)
		x.ents = append(x.ents, keyEnt{path: id, file: f, line: int32(pos.Line), column: int32(pos.Column)})
	}
	if n != nil {
		add(nil, n.Pos)
		x.walk(n, nil, add)
	}
	slices.SortFunc(x.ents, func(a, b keyEnt) int { return cmp.Compare(a.path, b.path) })
	x.ents = slices.Clip(x.ents)
	return x
}

// walk adds the positions KeyPos finds below n, at encoded path k: a
// mapping's keys (the first of duplicates, as Get finds) and a list's
// items.
func (x *KeyIndex) walk(n *Node, k []byte, add func([]byte, Pos)) {
	switch n.Kind {
	case MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			if kk, _ := n.entry(key.Value); kk != key {
				continue // a later duplicate: KeyPos never reaches it
			}
			sub := appendSeg(k, key.Value)
			add(sub, key.Pos)
			x.walk(n.Content[i+1], sub, add)
		}
	case SequenceNode:
		for i, item := range n.Content {
			sub := appendSeg(k, strconv.Itoa(i))
			add(sub, item.Pos)
			x.walk(item, sub, add)
		}
	}
}

// KeyPos is the tree's KeyPos(path) when it found a position in a kept
// file; ok is false otherwise.
func (x *KeyIndex) KeyPos(path string) (Pos, bool) {
	if x == nil {
		return Pos{}, false
	}
	var k []byte
	for _, seg := range splitPath(path) {
		k = appendSeg(k, seg)
	}
	id, ok := x.paths.id(k, false)
	if !ok {
		return Pos{}, false
	}
	i, found := slices.BinarySearchFunc(x.ents, id, func(e keyEnt, id uint32) int { return cmp.Compare(e.path, id) })
	if !found {
		return Pos{}, false
	}
	e := x.ents[i]
	return Pos{File: x.files[e.file], Line: int(e.line), Column: int(e.column)}, true
}
