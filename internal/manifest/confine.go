package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// A kustomization build is confined: it reads files under one root folder
// and nothing else. On disk the root is the git work tree that holds the
// path the user named (the nearest folder at or above it with a .git
// entry), else that path itself; symbolic links are resolved before a
// path is compared with it, so a link that points out of the root is as
// far out as its target. A file system that is not the disk (an in-memory
// tree of a git commit, or check's copy of the working tree) holds only
// the repository's regular files, so it is its own bound: root is "".
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
// arg, a path the user named ("" when the file system is not the disk).
func (l *loader) rootFor(arg string) string {
	if !l.onDisk {
		return ""
	}
	if r, ok := l.roots[arg]; ok {
		return r
	}
	start := realPath(absPath(arg))
	root := start
	for d := start; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			root = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	l.roots[arg] = root
	return root
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

// within reports whether the real path of p (relative to the working
// directory, or absolute) is root or under it, and returns that real
// path. An empty root holds everything.
func within(root, p string) (string, bool) {
	if root == "" {
		return p, true
	}
	real := realPath(absPath(p))
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
