package gitfs

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// memTree holds a commit's files in memory, at their absolute clean
// paths. It is commitFS's store rather than kustomize's in-memory file
// system, which refuses every name outside [a-zA-Z0-9-_.:] or holding
// "..": a folder "my app", a file "values+prod.yaml" or "café.yaml" in
// the commit made the whole baseline unreadable. Here a name is any name
// git holds; what reaches a message is escaped where it is printed. Not
// safe for concurrent use (commitFS holds its lock).
type memTree struct {
	files map[string]*memFile
	dirs  map[string]map[string]bool // the names in each folder
}

// memFile is a file's bytes (nil until read, see commitFS.lazy) and size.
type memFile struct {
	data []byte
	size int64
}

func newMemTree() *memTree {
	return &memTree{files: map[string]*memFile{}, dirs: map[string]map[string]bool{}}
}

// add puts a file of size bytes at p, an absolute clean path, with its
// folders; data may be nil (not read yet).
func (m *memTree) add(p string, data []byte, size int64) error {
	if m.dirs[p] != nil {
		return &fs.PathError{Op: "write", Path: p, Err: errors.New("is a folder")}
	}
	for d, name := filepath.Dir(p), filepath.Base(p); ; d, name = filepath.Dir(d), filepath.Base(d) {
		if m.files[d] != nil {
			return &fs.PathError{Op: "write", Path: p, Err: errors.New("a folder of it is a file")}
		}
		names := m.dirs[d]
		if names == nil {
			names = map[string]bool{}
			m.dirs[d] = names
		}
		names[name] = true
		if d == filepath.Dir(d) {
			break
		}
	}
	m.files[p] = &memFile{data: data, size: size}
	return nil
}

func (m *memTree) exists(p string) bool { return m.files[p] != nil || m.dirs[p] != nil }
func (m *memTree) isDir(p string) bool  { return m.dirs[p] != nil }

func notExist(op, p string) error { return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist} }

func (m *memTree) readFile(p string) ([]byte, error) {
	f := m.files[p]
	if f == nil {
		if m.dirs[p] != nil {
			return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("is a directory")}
		}
		return nil, notExist("open", p)
	}
	return slices.Clone(f.data), nil
}

func (m *memTree) open(p string) (filesys.File, error) {
	data, err := m.readFile(p)
	if err != nil {
		return nil, err
	}
	return &openFile{Reader: bytes.NewReader(data), info: memInfo{name: filepath.Base(p), size: int64(len(data))}}, nil
}

// readDir returns the names in the folder p, sorted.
func (m *memTree) readDir(p string) ([]string, error) {
	names := m.dirs[p]
	if names == nil {
		if m.files[p] != nil {
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

func (m *memTree) cleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	switch {
	case m.dirs[p] != nil:
		return filesys.ConfirmedDir(p), "", nil
	case m.files[p] != nil:
		return filesys.ConfirmedDir(filepath.Dir(p)), filepath.Base(p), nil
	}
	return "", "", notExist("stat", p)
}

func (m *memTree) info(p string) fs.FileInfo {
	if f := m.files[p]; f != nil {
		return memInfo{name: filepath.Base(p), size: f.size}
	}
	return memInfo{name: filepath.Base(p), dir: true}
}

// walk calls fn with p and, for a folder, everything below it, in
// lexical order (as filepath.Walk); it does not skip (commitFS.Walk does).
func (m *memTree) walk(p string, fn func(p string, info fs.FileInfo)) error {
	if !m.exists(p) {
		return notExist("walk", p)
	}
	fn(p, m.info(p))
	names, _ := m.readDir(p)
	for _, n := range names {
		_ = m.walk(filepath.Join(p, n), fn)
	}
	return nil
}

// glob returns the files (not folders) matching pattern, an absolute
// pattern, without hidden files unless the pattern names them, as
// kustomize's in-memory file system.
func (m *memTree) glob(pattern string) ([]string, error) {
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
	if !filesys.IsHiddenFilePath(pattern) {
		out = filesys.RemoveHiddenFiles(out)
	}
	return out, nil
}

// memInfo is a memTree path's FileInfo.
type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

// openFile is an open memTree file: read-only.
type openFile struct {
	*bytes.Reader
	info memInfo
}

func (f *openFile) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: f.info.name, Err: fs.ErrPermission}
}
func (f *openFile) Close() error               { return nil }
func (f *openFile) Stat() (fs.FileInfo, error) { return f.info, nil }
