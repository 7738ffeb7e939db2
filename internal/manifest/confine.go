package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// A kustomization build is confined: it reads files under one root folder
// and nothing else. On disk the root is the git work tree that holds the
// path the user named (the nearest folder at or above it with a .git
// entry), else that path itself; symbolic links are resolved before a
// path is compared with it, so a link that points out of the root is as
// far out as its target. A git commit's files (a RootedFS) are confined
// the same way to the top of their repository, and check's copy of the
// rendered output over the working tree (a DiskRootedFS) as the disk is.
// Another file system that is not the disk holds only the repository's
// regular files, so it is its own bound: root is "".
//
// The root is enforced twice: every entry of every kustomization reached
// is resolved and checked before the build (checkRefs, with the entry's
// file:line), and the build itself runs on a confinedFS that refuses any
// path outside the root, so that nothing kustomize reads escapes the
// check.

// errOutside is the error of a confinedFS asked for a path outside its
// root.
var errOutside = errors.New("outside the repository root")

// rootFor returns the confinement root of the kustomizations found under
// arg, a path the user named: a RootedFS's root, or on disk (and in a
// DiskRootedFS, whose paths are the disk's) the work tree holding it (""
// for another file system).
func (l *loader) rootFor(arg string) string {
	_, diskRooted := l.fs.(DiskRootedFS)
	if r, ok := l.rooted(); ok && !diskRooted {
		return r.RepositoryRoot()
	}
	if !l.onDisk && !diskRooted {
		return ""
	}
	if r, ok := l.roots[arg]; ok {
		return r
	}
	root := RepositoryRootOf(arg)
	l.roots[arg] = root
	return root
}

// RepositoryRootOf is the confinement root on disk of the kustomizations
// found under p: the nearest folder at or above p's real path with a .git
// entry, else that real path itself.
func RepositoryRootOf(p string) string {
	start := RealPath(p)
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return start
		}
	}
}

// RealPath is p's absolute clean path with the disk's symbolic links
// resolved; the part that does not exist is kept as written.
func RealPath(p string) string {
	return realPath(absPath(p))
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// realPath resolves the symbolic links of abs, an absolute clean path;
// the part that does not exist is kept as written.
func realPath(abs string) string {
	rest := ""
	for p := abs; ; {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// resolver is realPath(absPath(p)) with a memory, for the walk and the
// analysis of one Load's kustomizations: the entries of a run's
// kustomizations share their folders, and resolving each path afresh cost
// an Lstat per element of it (filepath.EvalSymlinks) and two stats for the
// working directory (filepath.Abs of a relative path), for every entry.
// The resolver keeps the real path of every folder it met and the type of
// every path it resolved, so an entry costs at most one Lstat. Inside the
// folders the user named (listable), it lists a folder once instead
// (os.ReadDir gives each entry's type: the walk and the notes on unlisted
// manifests read those listings anyway), so an entry there costs no system
// call of its own. It is not safe for concurrent use (the walk and the
// analysis run on one goroutine). TestResolverMatchesRealPath holds it to
// realPath(absPath(p)).
type resolver struct {
	cwd     string              // the working directory, read once ("" until then)
	dirs    map[string]string   // real path by absolute clean path, for folders met
	stats   map[string]pathType // type by absolute clean path
	lists   map[string]*listing // listings by absolute clean path of the folder
	roots   []string            // absolute clean paths of the folders whose listings serve (listable)
	lstat   func(string) (fs.FileInfo, error)
	readDir func(string) ([]fs.DirEntry, error)
	// foldsCase says the file system may match names regardless of case
	// (foldsCase): a name a listing lacks is then asked of Lstat.
	foldsCase bool
}

// foldsCase says this system's usual file systems match names regardless
// of case (APFS on macOS, NTFS on Windows): there a kustomization entry
// "Deploy.yaml" opens the file deploy.yaml, which a listing does not name.
const foldsCase = runtime.GOOS == "darwin" || runtime.GOOS == "windows"

// pathType is what an Lstat says of a path: whether it exists and its
// type bits (fs.ModeDir, fs.ModeSymlink, ...; 0 for a regular file).
type pathType struct {
	exists bool
	typ    fs.FileMode
}

func (t pathType) isSymlink() bool { return t.exists && t.typ&fs.ModeSymlink != 0 }

// listing is a folder's entries, sorted by name, as os.ReadDir gives
// them, or the error that reading it gave.
type listing struct {
	names []string
	types []fs.FileMode
	err   error
}

// lookup returns the type of the entry name, if the listing holds it.
func (ls *listing) lookup(name string) (fs.FileMode, bool) {
	i, ok := slices.BinarySearch(ls.names, name)
	if !ok {
		return 0, false
	}
	return ls.types[i], true
}

func newResolver() *resolver {
	return &resolver{dirs: map[string]string{}, stats: map[string]pathType{}, lists: map[string]*listing{}, lstat: os.Lstat, readDir: os.ReadDir, foldsCase: foldsCase}
}

// abs is absPath, reading the working directory once.
func (r *resolver) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	if r.cwd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return absPath(p)
		}
		r.cwd = wd
	}
	return filepath.Join(r.cwd, p)
}

// serve makes the folder abs (an absolute clean path) and every folder
// below it listable, except those below a hidden folder (.git): a path in
// a listable folder is answered from the folder's listing.
func (r *resolver) serve(abs string) {
	if !slices.Contains(r.roots, abs) {
		r.roots = append(r.roots, abs)
	}
}

// listable reports whether the folder abs is served (see serve).
func (r *resolver) listable(abs string) bool {
	sep := string(filepath.Separator)
	for _, root := range r.roots {
		rest := abs // below "/", the whole path
		if root != sep {
			var ok bool
			if rest, ok = strings.CutPrefix(abs, root); !ok || (rest != "" && !strings.HasPrefix(rest, sep)) {
				continue
			}
		}
		if !strings.Contains(rest, sep+".") {
			return true
		}
	}
	return false
}

// list returns the listing of the folder abs, read once.
func (r *resolver) list(abs string) *listing {
	if ls, ok := r.lists[abs]; ok {
		return ls
	}
	ents, err := r.readDir(abs)
	ls := &listing{err: err}
	if err == nil {
		ls.names = make([]string, len(ents))
		ls.types = make([]fs.FileMode, len(ents))
		for i, e := range ents { // sorted by name
			ls.names[i], ls.types[i] = e.Name(), e.Type()
		}
	}
	r.lists[abs] = ls
	return ls
}

// info returns what an Lstat of abs (an absolute clean path) says, once
// per path: from its folder's listing when the folder is listable and
// could be read, else from an Lstat.
func (r *resolver) info(abs string) pathType {
	t, ok := r.stats[abs]
	if ok {
		return t
	}
	if parent := filepath.Dir(abs); parent != abs && r.listable(parent) {
		if ls := r.list(parent); ls.err == nil {
			typ, found := ls.lookup(filepath.Base(abs))
			if found || !r.foldsCase {
				t = pathType{exists: found, typ: typ}
				r.stats[abs] = t
				return t
			}
			// not listed under this spelling: on a file system that
			// matches names regardless of case, it may still open
		}
	}
	if fi, err := r.lstat(abs); err == nil {
		t = pathType{exists: true, typ: fi.Mode().Type()}
	}
	r.stats[abs] = t
	return t
}

// real is realPath(abs) for an absolute clean path: the real path of its
// folder (remembered) joined with its name, unless the path itself is a
// symbolic link, which realPath resolves afresh. (When the path does not
// exist, or its folder is not a folder, realPath too keeps its name as
// written after the real path of its folder.)
func (r *resolver) real(abs string) string {
	parent := filepath.Dir(abs)
	if parent == abs {
		return realPath(abs)
	}
	if r.info(abs).isSymlink() {
		return realPath(abs)
	}
	rp, ok := r.dirs[parent]
	if !ok {
		rp = r.real(parent)
		r.dirs[parent] = rp
	}
	return filepath.Join(rp, filepath.Base(abs))
}

// kind returns what fsys.Exists and fsys.IsDir say of p on the disk,
// from its remembered type when p is not a symbolic link (os.Stat, which
// they call, then says the same).
func (r *resolver) kind(fsys filesys.FileSystem, p string) (exists, isDir bool) {
	t := r.info(r.abs(p))
	switch {
	case !t.exists:
		return false, false // Lstat failed, so would Stat
	case t.typ&fs.ModeSymlink == 0:
		return true, t.typ.IsDir()
	}
	return fsys.Exists(p), fsys.IsDir(p)
}

// within reports whether the real path of p (relative to the working
// directory, or absolute) is root or under it, and returns that real
// path. An empty root holds everything.
func within(root, p string) (string, bool) {
	if root == "" {
		return p, true
	}
	return inRoot(root, realPath(absPath(p)))
}

// within is the function within through the resolver.
func (r *resolver) within(root, p string) (string, bool) {
	if root == "" {
		return p, true
	}
	return inRoot(root, r.real(r.abs(p)))
}

// inRoot reports whether real, a real path, is root or under it.
func inRoot(root, real string) (string, bool) {
	if real == root || root == string(filepath.Separator) || strings.HasPrefix(real, root+string(filepath.Separator)) {
		return real, true
	}
	return real, false
}

// confinedFS is a read-only view of a file system that holds only the
// files under root (see rootFor): a path outside it does not exist for
// IsDir, Exists and Glob, and is an error for every other call. Writes are
// refused: a build only reads.
type confinedFS struct {
	filesys.FileSystem
	root string
}

func (c confinedFS) guard(p string) error {
	if real, ok := within(c.root, p); !ok {
		return &fs.PathError{Op: "read", Path: p, Err: fmt.Errorf("%w %s (it is %s)", errOutside, c.root, real)}
	}
	return nil
}

func (c confinedFS) readOnly(p string) error {
	return &fs.PathError{Op: "write", Path: p, Err: errors.New("a kustomize build may not write files")}
}

func (c confinedFS) Create(p string) (filesys.File, error) { return nil, c.readOnly(p) }
func (c confinedFS) Mkdir(p string) error                  { return c.readOnly(p) }
func (c confinedFS) MkdirAll(p string) error               { return c.readOnly(p) }
func (c confinedFS) RemoveAll(p string) error              { return c.readOnly(p) }
func (c confinedFS) WriteFile(p string, _ []byte) error    { return c.readOnly(p) }

func (c confinedFS) Open(p string) (filesys.File, error) {
	if err := c.guard(p); err != nil {
		return nil, err
	}
	return c.FileSystem.Open(p)
}

func (c confinedFS) ReadFile(p string) ([]byte, error) {
	if err := c.guard(p); err != nil {
		return nil, err
	}
	return c.FileSystem.ReadFile(p)
}

func (c confinedFS) ReadDir(p string) ([]string, error) {
	if err := c.guard(p); err != nil {
		return nil, err
	}
	return c.FileSystem.ReadDir(p)
}

func (c confinedFS) IsDir(p string) bool {
	return c.guard(p) == nil && c.FileSystem.IsDir(p)
}

func (c confinedFS) Exists(p string) bool {
	return c.guard(p) == nil && c.FileSystem.Exists(p)
}

func (c confinedFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	if err := c.guard(p); err != nil {
		return "", "", err
	}
	return c.FileSystem.CleanedAbs(p)
}

func (c confinedFS) Glob(pattern string) ([]string, error) {
	all, err := c.FileSystem.Glob(pattern)
	out := all[:0]
	for _, p := range all {
		if c.guard(p) == nil {
			out = append(out, p)
		}
	}
	return out, err
}

func (c confinedFS) Walk(p string, walkFn filepath.WalkFunc) error {
	if err := c.guard(p); err != nil {
		return err
	}
	return c.FileSystem.Walk(p, func(path string, info fs.FileInfo, err error) error {
		if err == nil && c.guard(path) != nil {
			if info != nil && info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return walkFn(path, info, err)
	})
}
