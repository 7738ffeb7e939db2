// Package memfs is an in-memory file system holding files of any name,
// some of them listed but not read yet (see FS).
package memfs

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// FS is an in-memory filesys.FileSystem, at absolute clean paths. It
// serves check's copy of the output (internal/runinput) and a git
// baseline's commit (internal/gitfs) alike.
//
// Any name is held: kustomize's in-memory file system
// (filesys.MakeFsInMemory) refuses every name outside [a-zA-Z0-9-_.:] or
// holding ".." ("read me.md", "deploy (1).yaml", "café.yaml", "app..v2"),
// and a copy or a commit holding one failed as a whole where a read from
// disk reads it. What reaches a message is escaped where it is printed.
//
// A file may be listed before it is read (AddUnread): its name and size
// are known, its bytes are not; its reader reads them and writes them in
// (Fill) before reading the file.
//
// Reads may run concurrently with one another, not with a write.
type FS struct {
	files map[string]*file
	dirs  map[string]map[string]bool // the names in each folder
}

// file is a file's bytes and size; unread while only listed.
type file struct {
	data   []byte
	size   int64
	unread bool
}

// New returns an empty FS.
func New() *FS {
	return &FS{files: map[string]*file{}, dirs: map[string]map[string]bool{string(filepath.Separator): {}}}
}

func notExist(op, p string) error { return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist} }

// clean is p as held: absolute and clean.
func clean(p string) string {
	if !filepath.IsAbs(p) {
		p = string(filepath.Separator) + p
	}
	return filepath.Clean(p)
}

// add puts the file f at p, an absolute clean path, with its folders.
func (m *FS) add(p string, f *file) error {
	if m.dirs[p] != nil {
		return &fs.PathError{Op: "write", Path: p, Err: errors.New("is a folder")}
	}
	if err := m.mkdirAll(filepath.Dir(p)); err != nil {
		return &fs.PathError{Op: "write", Path: p, Err: errors.New("a folder of it is a file")}
	}
	m.dirs[filepath.Dir(p)][filepath.Base(p)] = true
	m.files[p] = f
	return nil
}

// mkdirAll makes the folder p and those above it.
func (m *FS) mkdirAll(p string) error {
	if m.dirs[p] != nil {
		return nil
	}
	if m.files[p] != nil {
		return &fs.PathError{Op: "mkdir", Path: p, Err: errors.New("is a file")}
	}
	parent := filepath.Dir(p)
	if err := m.mkdirAll(parent); err != nil {
		return err
	}
	m.dirs[parent][filepath.Base(p)] = true
	m.dirs[p] = map[string]bool{}
	return nil
}

// AddUnread lists a file of size bytes at p whose bytes are not read yet;
// a file already there is left as it is.
func (m *FS) AddUnread(p string, size int64) error {
	p = clean(p)
	if m.files[p] != nil {
		return nil
	}
	return m.add(p, &file{size: size, unread: true})
}

// Fill puts data, which it keeps, as the bytes of the file at p: read.
func (m *FS) Fill(p string, data []byte) error {
	p = clean(p)
	if f := m.files[p]; f != nil {
		f.data, f.size, f.unread = data, int64(len(data)), false
		return nil
	}
	return m.add(p, &file{data: data, size: int64(len(data))})
}

// IsFile reports whether p is a file, read or not.
func (m *FS) IsFile(p string) bool { return m.files[clean(p)] != nil }

func (m *FS) WriteFile(p string, data []byte) error { return m.Fill(p, slices.Clone(data)) }

func (m *FS) Create(p string) (filesys.File, error) {
	p = clean(p)
	if err := m.Fill(p, nil); err != nil {
		return nil, err
	}
	return &handle{m: m, p: p, writable: true}, nil
}

func (m *FS) Mkdir(p string) error    { return m.mkdirAll(clean(p)) }
func (m *FS) MkdirAll(p string) error { return m.mkdirAll(clean(p)) }

func (m *FS) RemoveAll(p string) error {
	p = clean(p)
	if !m.exists(p) {
		return nil
	}
	if p == filepath.Dir(p) {
		return &fs.PathError{Op: "remove", Path: p, Err: errors.New("the root")}
	}
	m.remove(p)
	delete(m.dirs[filepath.Dir(p)], filepath.Base(p))
	return nil
}

// remove drops p and everything below it (not its name in its folder).
func (m *FS) remove(p string) {
	for n := range m.dirs[p] {
		m.remove(filepath.Join(p, n))
	}
	delete(m.dirs, p)
	delete(m.files, p)
}

func (m *FS) exists(p string) bool { return m.files[p] != nil || m.dirs[p] != nil }
func (m *FS) Exists(p string) bool { return m.exists(clean(p)) }
func (m *FS) IsDir(p string) bool  { return m.dirs[clean(p)] != nil }

func (m *FS) ReadFile(p string) ([]byte, error) {
	q := clean(p)
	f := m.files[q]
	switch {
	case f == nil && m.dirs[q] != nil:
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("is a directory")}
	case f == nil:
		return nil, notExist("open", p)
	case f.unread:
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("listed, not read yet")}
	}
	return slices.Clone(f.data), nil
}

func (m *FS) Open(p string) (filesys.File, error) {
	q := clean(p)
	if _, err := m.ReadFile(p); err != nil {
		return nil, err
	}
	return &handle{m: m, p: q}, nil
}

// ReadDir returns the names in the folder p, sorted.
func (m *FS) ReadDir(p string) ([]string, error) {
	q := clean(p)
	names := m.dirs[q]
	if names == nil {
		if m.files[q] != nil {
			return nil, &fs.PathError{Op: "readdir", Path: p, Err: errors.New("not a directory")}
		}
		return nil, notExist("readdir", p)
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

func (m *FS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	q := clean(p)
	switch {
	case m.dirs[q] != nil:
		return filesys.ConfirmedDir(q), "", nil
	case m.files[q] != nil:
		return filesys.ConfirmedDir(filepath.Dir(q)), filepath.Base(q), nil
	}
	return "", "", notExist("stat", p)
}

func (m *FS) info(p string) fs.FileInfo {
	if f := m.files[p]; f != nil {
		return fileInfo{name: filepath.Base(p), size: f.size}
	}
	return fileInfo{name: filepath.Base(p), dir: true}
}

// Glob returns the files (not folders) matching pattern, an absolute
// pattern, sorted; hidden files too (kustomize's file systems leave them
// out unless the pattern names them: a caller that wants so does it).
func (m *FS) Glob(pattern string) ([]string, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	for p := range m.files {
		if ok, _ := filepath.Match(pattern, p); ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Walk calls walkFn with p and, for a folder, everything below it, in
// lexical order, as filepath.Walk: filepath.SkipDir skips a folder (or the
// rest of a file's folder), filepath.SkipAll ends the walk. A p the file
// system does not hold is given to walkFn with its error.
func (m *FS) Walk(p string, walkFn filepath.WalkFunc) error {
	q := clean(p)
	if !m.exists(q) {
		return walkFn(p, nil, notExist("walk", p))
	}
	err := m.walk(q, walkFn)
	if errors.Is(err, filepath.SkipDir) || errors.Is(err, filepath.SkipAll) {
		return nil
	}
	return err
}

func (m *FS) walk(p string, walkFn filepath.WalkFunc) error {
	info := m.info(p)
	if err := walkFn(p, info, nil); err != nil {
		if info.IsDir() && errors.Is(err, filepath.SkipDir) {
			return nil
		}
		return err
	}
	names, _ := m.ReadDir(p)
	for _, n := range names {
		if err := m.walk(filepath.Join(p, n), walkFn); err != nil {
			if errors.Is(err, filepath.SkipDir) {
				return nil // the rest of this folder
			}
			return err
		}
	}
	return nil
}

// fileInfo is an FS path's FileInfo.
type fileInfo struct {
	name string
	size int64
	dir  bool
}

func (i fileInfo) Name() string { return i.name }
func (i fileInfo) Size() int64  { return i.size }
func (i fileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i fileInfo) ModTime() time.Time { return time.Time{} }
func (i fileInfo) IsDir() bool        { return i.dir }
func (i fileInfo) Sys() any           { return nil }

// handle is an open file: read-only, or written to by Create's caller.
type handle struct {
	m        *FS
	p        string
	off      int
	writable bool
}

func (h *handle) data() []byte {
	if f := h.m.files[h.p]; f != nil {
		return f.data
	}
	return nil
}

func (h *handle) Read(b []byte) (int, error) {
	data := h.data()
	if h.off >= len(data) {
		return 0, io.EOF
	}
	n := copy(b, data[h.off:])
	h.off += n
	return n, nil
}

func (h *handle) Write(b []byte) (int, error) {
	f := h.m.files[h.p]
	if !h.writable || f == nil {
		return 0, &fs.PathError{Op: "write", Path: h.p, Err: fs.ErrPermission}
	}
	f.data = append(f.data[:h.off], b...)
	f.size = int64(len(f.data))
	h.off = len(f.data)
	return len(b), nil
}

func (h *handle) Close() error { return nil }
func (h *handle) Stat() (fs.FileInfo, error) {
	if !h.m.exists(h.p) {
		return nil, notExist("stat", h.p)
	}
	return h.m.info(h.p), nil
}

var _ filesys.FileSystem = (*FS)(nil)
