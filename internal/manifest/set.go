package manifest

import (
	"crypto/sha256"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/parallel"
	"github.com/digx/fluxtf/internal/yamlx"
)

// Set is what Load read: the objects, in file order, and the files.
type Set struct {
	// Docs are the objects, sorted by File then Index; objects that
	// kustomize built from one source document keep their build order.
	Docs []*Doc
	// Files lists every file read, manifests and kustomization files,
	// sorted and without duplicates.
	Files []string
	// Digests are the SHA-256 sums of files as Load read them, by their
	// names in Files (with Options.Digests; some files, such as those
	// krusty read itself, may have none).
	Digests map[string][sha256.Size]byte
	// Notes say what a folder walk skipped and why: YAML files that hold
	// no Kubernetes object, manifests in a kustomization's folder that no
	// kustomization lists.
	Notes []string
	// Charge is what the Load took from the run's Budget.
	Charge Charge
}

// Doc is one Kubernetes object and where it was written.
type Doc struct {
	// File is the file the object came from, as the user named it (the
	// path given, joined with the path below it). An object built by
	// kustomize names its source file; one that could not be traced to a
	// source document (a generated ConfigMap, say) names the
	// kustomization file.
	File string
	// Index is the 0-based document index within File, counting empty
	// documents. For a built object that could not be traced to a source
	// document it is the object's position in the build output.
	Index int
	// root is the source document, for positions (see Root). It is nil for a built
	// object that could not be traced to its source document.
	root *yamlx.Node
	// src is the file root was parsed from, to parse it again once Check
	// has released the tree (nil for a built object).
	src *source
	// Object is the content policies see: the document itself, or the
	// object as kustomize built it (name prefixes, patches and all). It
	// is nil when Options.Convert made Value instead.
	Object map[string]any
	// Value is what Options.Convert made of the same content, or nil.
	Value any
	// APIVersion, Kind, Name and Namespace identify the object (Name and
	// Namespace as built, empty when absent).
	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	// Line is the line of the document's first key (for an untraced built
	// object, that of the kustomization).
	Line int
	// Kustomization is the kustomization file that produced the object, or
	// "" for an object read from a plain file.
	Kustomization string

	column int
	// annotations: the string-valued metadata.annotations (nil for none)
	annotations map[string]string
	// node is what Check decodes: Root for a document read directly, the
	// kustomize output for a built one.
	node *yamlx.Node

	// plainOK: kustomize would emit the document as it is (plainOK),
	// as far as the document itself tells
	plainOK bool

	checked bool // Check has run (out is its result)
	once    sync.Once
	// out is what Check found, nil when it found nothing (every document
	// of a clean run: each Doc lives from the reading to the report, and
	// two lists in each took a fifth of its size)
	out *checkOut
}

// checkOut is what Check found in a document: input errors and findings
// (rule "schema").
type checkOut struct {
	errs     yamlx.ErrorList
	problems []finding.Finding
}

// errs are the input errors Check found in the document.
func (d *Doc) errs() yamlx.ErrorList {
	if d.out == nil {
		return nil
	}
	return d.out.errs
}

// problems are the findings Check made of the document.
func (d *Doc) problems() []finding.Finding {
	if d.out == nil {
		return nil
	}
	return d.out.problems
}

// found is the document's checkOut, made on first use.
func (d *Doc) found() *checkOut {
	if d.out == nil {
		d.out = &checkOut{}
	}
	return d.out
}

// Annotations returns the object's metadata.annotations that have string
// values (nil when it has none). The map must not be changed.
func (d *Doc) Annotations() map[string]string {
	if d.annotations != nil || d.Object == nil {
		return d.annotations
	}
	// a Doc made by hand: from its Object
	md, _ := d.Object["metadata"].(map[string]any)
	raw, _ := md["annotations"].(map[string]any)
	var out map[string]string
	for k, v := range raw {
		if s, ok := v.(string); ok {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = s
		}
	}
	return out
}

// Pos returns the line and column of the key at fieldPath (Kubernetes
// notation: spec.vars[5].value, metadata.labels[fluxtf.io/tier]). When
// the path goes further than the document does, it returns the position
// of the deepest part that exists; without a source document, or for an
// empty path, the start of the document.
func (d *Doc) Pos(fieldPath string) (line, col int) {
	if fieldPath == "" {
		return d.Line, d.column
	}
	return d.posIn(d.Root(), fieldPath)
}

// posIn is Pos with root the document's tree (nil: none).
func (d *Doc) posIn(root *yamlx.Node, fieldPath string) (line, col int) {
	if root != nil && fieldPath != "" {
		if p, _ := root.KeyPos(fieldPath); p.Line > 0 {
			return p.Line, p.Column
		}
	}
	return d.Line, d.column
}

// position is Pos as a yamlx.Pos in File.
func (d *Doc) position(fieldPath string) yamlx.Pos {
	line, col := d.Pos(fieldPath)
	return yamlx.Pos{File: d.File, Line: line, Column: col}
}

// built reports whether kustomize produced the object (as opposed to the
// document being read as it is written).
func (d *Doc) built() bool { return d.node != d.root }

// Root returns the source document, for positions. It is nil for a built
// object that could not be traced to its source document.
//
// Check releases the tree of a document read directly once it has decoded
// it (the trees are most of a large run's memory and only findings need
// them); Root then parses the file again, once, from the bytes it kept.
func (d *Doc) Root() *yamlx.Node {
	if d.root != nil || d.src == nil {
		return d.root
	}
	return d.src.root(d.Index)
}

// release drops the tree of a document read directly, after Check.
func (d *Doc) release() {
	if d.src != nil && d.node == d.root {
		d.root, d.node = nil, nil
	}
}

// source is a file documents were read from, to read and parse it again
// for positions once Check has dropped its trees. It keeps no copy of the
// bytes (on a large set they add up): the file is read again, on the
// first lookup, from where it was read. Should the file have changed in
// between, positions may be off or missing; nothing else depends on it.
//
// A run keeps one for every file it reads (110,000 at 10,000
// environments) from the reading to the report: it holds the file's name
// and the origin it shares with the other files of its Load, nothing
// else until it is parsed again.
type source struct {
	file string
	from *origin
	// mu guards docs, the trees root parsed (parsed: it did)
	mu     sync.Mutex
	parsed bool
	docs   []yamlx.Document
}

// origin is where the sources of one Load read their files again: the
// file system, whether it is the disk's (whose reads return a buffer of
// their own) and the limits of the parse.
type origin struct {
	fs     filesys.FileSystem
	onDisk bool
	lim    yamlx.Limits
}

// root returns the tree of document index, reading the file on first use.
func (s *source) root(index int) *yamlx.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.parsed {
		s.parsed = true
		s.docs = s.parse(nil)
	}
	return docRoot(s.docs, index)
}

// parse reads and parses the file again, its trees in arena (nil: memory
// of their own); nil if it cannot be read or parsed any more.
func (s *source) parse(arena *yamlx.Arena) []yamlx.Document {
	o := s.from
	data, err := readFile(o.fs, o.onDisk, o.lim, s.file)
	if err != nil {
		return nil
	}
	docs, _ := parseData(s.file, data, o.lim, arena, o.onDisk)
	return docs
}

// docRoot is the tree of document index among docs, or nil.
func docRoot(docs []yamlx.Document, index int) *yamlx.Node {
	for _, d := range docs {
		if d.Index == index {
			return d.Root
		}
	}
	return nil
}

// Field is a field of a document, by its path as Doc.Pos takes it.
type Field struct {
	Doc  *Doc
	Path string
}

// Position is a line and a column, 1-based.
type Position struct{ Line, Column int }

// Locate returns the position of each field, what Doc.Pos returns, on
// every CPU. Where Doc.Pos parses the file of a document Check released
// again and keeps its trees (for the next lookup), Locate parses each
// such file once for all its fields, into an arena that the next file
// reuses, and keeps nothing: locating many findings (a run's report)
// then allocates about one file's trees per CPU rather than those of
// every file with a finding, which were most of the cost of locating.
func Locate(fields []Field) []Position {
	out := make([]Position, len(fields))
	bySource := map[*source][]int{}
	var sources []*source
	for i, f := range fields {
		d := f.Doc
		if f.Path == "" || d.root != nil || d.src == nil {
			out[i].Line, out[i].Column = d.Pos(f.Path) // no file to parse
			continue
		}
		if _, ok := bySource[d.src]; !ok {
			sources = append(sources, d.src)
		}
		bySource[d.src] = append(bySource[d.src], i)
	}
	arenas := sync.Pool{New: func() any { return new(yamlx.Arena) }}
	parallel.For(len(sources), func(k int) {
		s := sources[k]
		s.mu.Lock()
		defer s.mu.Unlock()
		docs, arena := s.docs, (*yamlx.Arena)(nil)
		if !s.parsed { // else Doc.Pos parsed it and keeps the trees
			arena = arenas.Get().(*yamlx.Arena)
			docs = s.parse(arena)
		}
		for _, i := range bySource[s] {
			d := fields[i].Doc
			out[i].Line, out[i].Column = d.posIn(docRoot(docs, d.Index), fields[i].Path)
		}
		if arena != nil {
			arena.Reset() // nothing refers to the trees any more
			arenas.Put(arena)
		}
	})
	return out
}
