package runinput

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/memfs"
	"github.com/digx/fluxtf/internal/yamlx"
)

// overlayFS is the file system Overlay returns: the files under the
// paths, in memory at their absolute paths, and every other path of the
// repository read from the disk when asked for, as a read from disk reads
// it (a kustomization under the paths may name ../../shared/base, outside
// them). It is a manifest.DiskRootedFS: the kustomizations read from it
// are confined to the repository root the disk's would be (the work tree
// holding their path), the disk's symbolic links are resolved before
// that check, and its special files are refused; a path outside the
// roots of the paths does not exist. The files read from the disk are charged to the run's
// budget by the reader, as on disk; each is bounded by yamlx's size limit
// before it is read.
//
// Relative paths are taken from the working directory, as on disk.
type overlayFS struct {
	mem     *memfs.FS // the files under the paths, at their absolute paths
	cwd     string    // the working directory, its real path
	roots   []string  // the repository roots of the paths, real paths
	covered []string  // the paths, absolute and clean: held in mem
	// aside are the entries under the paths that the copy leaves to the
	// disk, absolute and clean: symbolic links (a path through one is
	// read where the link leads, in memory when that is under the paths,
	// as on disk) and hidden folders (read from the disk, as a walk
	// reads them there and a kustomization under the paths may name one)
	aside map[string]bool
	// asideIn counts the entries of aside in each folder
	asideIn map[string]int
}

// newOverlayFS returns an empty overlayFS for paths.
func newOverlayFS(paths []string) (*overlayFS, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	o := &overlayFS{mem: memfs.New(), cwd: manifest.RealPath(wd), aside: map[string]bool{}, asideIn: map[string]int{}}
	for _, p := range paths {
		o.covered = append(o.covered, o.AbsPath(p))
	}
	for _, p := range paths {
		if r := manifest.RepositoryRootOf(p); !slices.Contains(o.roots, r) {
			o.roots = append(o.roots, r)
		}
	}
	return o, nil
}

// RepositoryRoot is the root of the first path (manifest.Load confines
// the kustomizations under each path to that path's own root, as on
// disk).
func (o *overlayFS) RepositoryRoot() string {
	if len(o.roots) == 0 {
		return ""
	}
	return o.roots[0]
}

// AbsPath is p's absolute clean path, from the working directory.
func (o *overlayFS) AbsPath(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(o.cwd, p)
}

// RealPath is AbsPath(p), with the disk's symbolic links resolved when p
// is outside the paths.
func (o *overlayFS) RealPath(p string) string {
	abs := o.AbsPath(p)
	if o.holds(abs) {
		return abs
	}
	return manifest.RealPath(abs)
}

// DiskType is what an Lstat of real says, when o reads it from the disk.
func (o *overlayFS) DiskType(real string) (fs.FileMode, bool) {
	if o.holds(real) {
		return 0, false
	}
	fi, err := os.Lstat(real)
	if err != nil {
		return 0, false
	}
	return fi.Mode().Type(), true
}

// holds reports whether abs (absolute and clean) is one of the paths or
// under one, but for the entries set aside and what is under them: o
// answers it from memory.
func (o *overlayFS) holds(abs string) bool {
	in := false
	for _, c := range o.covered {
		if _, ok := below(c, abs); ok {
			in = true
			break
		}
	}
	if !in || len(o.aside) == 0 {
		return in
	}
	for p := abs; ; p = filepath.Dir(p) { // a look-up per folder above it
		if o.aside[p] {
			return false
		}
		if filepath.Dir(p) == p {
			return true
		}
	}
}

// setAside leaves the entry path (under the paths) to the disk: see
// overlayFS.aside.
func (o *overlayFS) setAside(path string) {
	if abs := o.AbsPath(path); !o.aside[abs] {
		o.aside[abs] = true
		o.asideIn[filepath.Dir(abs)]++
	}
}

// takeBack holds the entry path in memory again: a file rendering
// writes or deletes replaces the entry on the disk.
func (o *overlayFS) takeBack(path string) {
	if abs := o.AbsPath(path); o.aside[abs] {
		delete(o.aside, abs)
		o.asideIn[filepath.Dir(abs)]--
	}
}

// below returns p's path below dir, both absolute and clean, and whether
// p is dir or under it.
func below(dir, p string) (string, bool) {
	if p == dir {
		return ".", true
	}
	sep := string(filepath.Separator)
	if dir == sep {
		return strings.TrimPrefix(p, sep), true
	}
	rest, ok := strings.CutPrefix(p, dir+sep)
	return rest, ok
}

// where returns the path o reads p at and whether that is in memory; ok
// is false for a path outside the repository root.
func (o *overlayFS) where(p string) (at string, inMem, ok bool) {
	abs := o.AbsPath(p)
	if o.holds(abs) {
		return abs, true, true
	}
	real := manifest.RealPath(abs)
	if o.holds(real) {
		return real, true, true // a link on disk into the paths
	}
	for _, r := range o.roots {
		if _, in := below(r, real); in {
			return real, false, true
		}
	}
	return real, false, false
}

// outside is the error of a path outside the repository roots.
func outside(op, p string) error {
	return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist}
}

func (o *overlayFS) Exists(p string) bool {
	at, inMem, ok := o.where(p)
	switch {
	case !ok:
		return false
	case inMem:
		return o.mem.Exists(at)
	}
	_, err := os.Stat(at)
	return err == nil
}

func (o *overlayFS) IsDir(p string) bool {
	at, inMem, ok := o.where(p)
	switch {
	case !ok:
		return false
	case inMem:
		return o.mem.IsDir(at)
	}
	st, err := os.Stat(at)
	return err == nil && st.IsDir()
}

func (o *overlayFS) ReadFile(p string) ([]byte, error) {
	at, inMem, ok := o.where(p)
	switch {
	case !ok:
		return nil, outside("open", p)
	case inMem:
		return o.mem.ReadFile(at)
	}
	// refuses a FIFO, device or socket without blocking, and a file
	// over the size limit before reading it
	data, err := yamlx.ReadFile(at, yamlx.DefaultLimits)
	var ye *yamlx.Error
	if errors.As(err, &ye) {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New(ye.Msg)}
	}
	return data, err
}

func (o *overlayFS) Open(p string) (filesys.File, error) {
	at, inMem, ok := o.where(p)
	switch {
	case !ok:
		return nil, outside("open", p)
	case inMem:
		return o.mem.Open(at)
	}
	st, err := os.Stat(at)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() && !st.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: p, Err: errors.New("not a regular file")}
	}
	return os.Open(at)
}

func (o *overlayFS) ReadDir(p string) ([]string, error) {
	at, inMem, ok := o.where(p)
	switch {
	case !ok:
		return nil, outside("readdir", p)
	case inMem:
		return o.mem.ReadDir(at)
	}
	ents, err := os.ReadDir(at)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return names, nil
}

func (o *overlayFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	at, inMem, ok := o.where(p)
	switch {
	case !ok:
		return "", "", outside("stat", p)
	case inMem:
		return o.mem.CleanedAbs(at)
	}
	st, err := os.Stat(at)
	if err != nil {
		return "", "", err
	}
	if st.IsDir() {
		return filesys.ConfirmedDir(at), "", nil
	}
	return filesys.ConfirmedDir(filepath.Dir(at)), filepath.Base(at), nil
}

// Glob returns the matches of pattern in the paths and, outside them,
// on the disk inside the root, in its form: relative to the working
// directory for a relative pattern.
func (o *overlayFS) Glob(pattern string) ([]string, error) {
	abs := o.AbsPath(pattern)
	all, err := o.mem.Glob(abs)
	if err != nil {
		return nil, err
	}
	disk, err := filepath.Glob(abs)
	if err != nil {
		return nil, err
	}
	for _, m := range disk {
		if at, inMem, ok := o.where(m); ok && !inMem && at == m {
			all = append(all, m)
		}
	}
	if filepath.IsAbs(pattern) {
		return all, nil
	}
	for i, m := range all {
		if rel, err := filepath.Rel(o.cwd, m); err == nil {
			all[i] = rel
		}
	}
	return all, nil
}

// Walk walks p, naming each path in p's form (below p as given); on the
// disk it does not follow symbolic links, as filepath.Walk.
func (o *overlayFS) Walk(p string, walkFn filepath.WalkFunc) error {
	at, inMem, ok := o.where(p)
	if !ok {
		return walkFn(p, nil, outside("walk", p))
	}
	named := func(q string, info fs.FileInfo, err error) error {
		rest, _ := below(at, q)
		return walkFn(filepath.Join(p, rest), info, err)
	}
	if inMem {
		return o.mem.Walk(at, named)
	}
	return filepath.Walk(at, named)
}

// readOnly is the error of a write through the file system.
func readOnly(p string) error {
	return &fs.PathError{Op: "write", Path: p, Err: fs.ErrPermission}
}

func (o *overlayFS) Create(p string) (filesys.File, error) { return nil, readOnly(p) }
func (o *overlayFS) Mkdir(p string) error                  { return readOnly(p) }
func (o *overlayFS) MkdirAll(p string) error               { return readOnly(p) }
func (o *overlayFS) RemoveAll(p string) error              { return readOnly(p) }
func (o *overlayFS) WriteFile(p string, _ []byte) error    { return readOnly(p) }
