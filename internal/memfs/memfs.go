// Package memfs is kustomize's in-memory file system holding files of any
// name (see FS).
package memfs

import (
	"encoding/hex"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// FS is kustomize's in-memory file system (filesys.MakeFsInMemory)
// holding files of any name. That one refuses to create a file or folder
// whose name has a character outside [a-zA-Z0-9-_.:] or holds ".." ("read
// me.md", "deploy (1).yaml", "café.yaml", "app..v2"): check's copy of the
// output (internal/runinput) holding one failed as a whole ("illegal name
// ... in file creation", exit 2) where a read from disk reads it. FS keeps
// such a name under an encoded one (memName) and gives every path back as
// written. It holds absolute clean paths only. A git baseline does not use
// it: internal/gitfs keeps a commit's files in a store of its own
// (memtree.go), which also holds files listed but not read yet.
type FS struct {
	fs filesys.FileSystem
}

// New returns an empty FS.
func New() *FS { return &FS{fs: filesys.MakeFsInMemory()} }

// legalName is what the in-memory file system accepts as a name
// (kyaml's filesys isLegalFileNameForCreation).
var legalName = regexp.MustCompile(`^[a-zA-Z0-9-_.:]+$`)

// encodedPrefix starts an encoded name; a name that starts with it is
// encoded too, so that no two names meet.
const encodedPrefix = "__fx"

// memName is the name the in-memory file system holds the name n under.
func memName(n string) string {
	if legalName.MatchString(n) && !strings.Contains(n, "..") && !strings.HasPrefix(n, encodedPrefix) {
		return n
	}
	return encodedPrefix + hex.EncodeToString([]byte(n))
}

// realName is the name memName(n) stands for: n.
func realName(m string) string {
	if rest, ok := strings.CutPrefix(m, encodedPrefix); ok {
		if b, err := hex.DecodeString(rest); err == nil {
			return string(b)
		}
	}
	return m
}

// mapPath applies f to every name of the path p.
func mapPath(p string, f func(string) string) string {
	parts := strings.Split(p, string(filepath.Separator))
	for i, part := range parts {
		if part != "" {
			parts[i] = f(part)
		}
	}
	return strings.Join(parts, string(filepath.Separator))
}

func (m *FS) at(p string) string   { return mapPath(p, memName) }
func (m *FS) name(p string) string { return mapPath(p, realName) }

// notExist is the error of a path the file system does not hold, naming
// it as written.
func notExist(op, p string) error {
	return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist}
}

func (m *FS) Create(p string) (filesys.File, error) { return m.fs.Create(m.at(p)) }
func (m *FS) Mkdir(p string) error                  { return m.fs.Mkdir(m.at(p)) }
func (m *FS) WriteFile(p string, data []byte) error { return m.fs.WriteFile(m.at(p), data) }
func (m *FS) MkdirAll(p string) error               { return m.fs.MkdirAll(m.at(p)) }
func (m *FS) RemoveAll(p string) error              { return m.fs.RemoveAll(m.at(p)) }
func (m *FS) Exists(p string) bool                  { return m.fs.Exists(m.at(p)) }
func (m *FS) IsDir(p string) bool                   { return m.fs.IsDir(m.at(p)) }

func (m *FS) ReadFile(p string) ([]byte, error) {
	if !m.Exists(p) {
		return nil, notExist("open", p)
	}
	return m.fs.ReadFile(m.at(p))
}

func (m *FS) Open(p string) (filesys.File, error) {
	if !m.Exists(p) {
		return nil, notExist("open", p)
	}
	return m.fs.Open(m.at(p))
}

func (m *FS) ReadDir(p string) ([]string, error) {
	if !m.Exists(p) {
		return nil, notExist("readdir", p)
	}
	names, err := m.fs.ReadDir(m.at(p))
	for i, n := range names {
		names[i] = realName(n)
	}
	return names, err
}

func (m *FS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	if !m.Exists(p) {
		return "", "", notExist("stat", p)
	}
	d, f, err := m.fs.CleanedAbs(m.at(p))
	return filesys.ConfirmedDir(m.name(string(d))), realName(f), err
}

// Glob matches pattern against the paths as written.
func (m *FS) Glob(pattern string) ([]string, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	err := m.fs.Walk(string(filepath.Separator), func(q string, info fs.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		if ok, _ := filepath.Match(pattern, m.name(q)); ok {
			out = append(out, m.name(q))
		}
		return nil
	})
	return out, err
}

func (m *FS) Walk(p string, walkFn filepath.WalkFunc) error {
	if !m.Exists(p) {
		return walkFn(p, nil, notExist("walk", p))
	}
	return m.fs.Walk(m.at(p), func(q string, info fs.FileInfo, err error) error {
		return walkFn(m.name(q), info, err)
	})
}

var _ filesys.FileSystem = (*FS)(nil)
