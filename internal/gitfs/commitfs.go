package gitfs

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/memfs"
)

// commitFS is the file system Load returns: a commit's files, each at its
// absolute path in the work tree (the top of the work tree joined with
// its path in the repository), as on disk. A relative path is taken from
// Dir, as on disk, so that a kustomization's ../../shared/base resolves
// to the same file in every build of it: fluxtf's own reading (relative
// paths) and kustomize's (absolute paths from CleanedAbs) alike.
//
// It holds the files under the paths Load was given, and reads any other
// path of the repository at the same commit on demand: a kustomization
// under the paths may name files outside them (resources:
// [../../shared/base], a patch in a shared folder), as it may in the work
// tree, where its build reads them inside the repository root. Reads on
// demand go through Load's own rules: submodules are not read
// (Submodule), Fits is asked before the files are read,
// and nothing is fetched from a partial clone's remote. A path outside
// the work tree does not exist. A path the paths cover, or one asked for
// before, is answered from memory: git runs only for a path outside them,
// once.
//
// It is read-only for its users: writes are refused.
type commitFS struct {
	mem *memfs.FS // the files listed so far (lazy: their bytes once read), at their absolute paths

	r       Repo
	commit  string
	top     string // the top of the work tree, as git names it
	dir     string // Dir, at its path below top
	dispTop string // the top as Dir's absolute path names it ("" when as top)

	mu     sync.Mutex
	loaded []string          // repository paths listed in full
	tried  map[string]bool   // repository paths asked of git
	lazy   map[string]entry  // files listed, by path, whose bytes are not read yet
	links  map[string]string // the targets of the symbolic links listed, by repository path
	listed map[string]bool   // repository folders whose own entries were listed
	subs   map[string]bool   // the submodules listed, by repository path
	err    error             // the first read on demand that failed
}

// ReadError returns the first failure of a read on demand of fsys, a file
// system Load returned (a file over the budget, a partial clone without
// the file...), or nil. Exists and IsDir cannot return it: a caller that
// found a path missing asks here whether it was missing or unreadable.
func ReadError(fsys filesys.FileSystem) error {
	c, ok := fsys.(*commitFS)
	if !ok {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// RepositoryRoot is the top of the work tree: a kustomization read from
// the commit may read files under it only, as on disk (internal/manifest
// confines its builds to it).
func (c *commitFS) RepositoryRoot() string { return c.top }

// AbsPath is where the commit's copy of p (relative to Dir, or absolute)
// is: an absolute clean path, under RepositoryRoot when p is inside the
// work tree.
func (c *commitFS) AbsPath(p string) string {
	if !filepath.IsAbs(p) {
		return filepath.Join(c.dir, p)
	}
	p = filepath.Clean(p)
	if _, ok := c.below(c.top, p); ok || c.dispTop == "" {
		return p
	}
	if rel, ok := c.below(c.dispTop, p); ok {
		return filepath.Join(c.top, rel)
	}
	return p
}

// below returns p's path below dir, both absolute and clean, and whether
// p is dir or under it.
func (c *commitFS) below(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return rel, true
}

// repoPath is the path in the repository of abs (an AbsPath), or "" when
// it is outside the work tree.
func (c *commitFS) repoPath(abs string) string {
	rel, ok := c.below(c.top, abs)
	if !ok {
		return ""
	}
	return filepath.ToSlash(rel)
}

// need lists the repository path rp (a real path: no symbolic link in
// it) from git when it is in the work tree but outside what was listed so
// far; its files are read when they are read (fetch). c.mu is held.
func (c *commitFS) need(rp, abs string) error {
	// a folder some of whose files were read on their own is listed
	// still: its other files are there too
	if c.tried[rp] || c.mem.IsFile(abs) {
		return nil
	}
	for _, d := range c.loaded {
		if _, ok := under(rp, d); ok {
			return nil // listed in full: absent at the commit
		}
	}
	c.tried[rp] = true
	files, symlinks, submodules, err := c.r.list(c.commit, []string{rp}, true, false)
	if err == nil {
		err = c.addLinks(symlinks)
	}
	c.addSubmodules(submodules)
	if err != nil {
		return c.failed(err)
	}
	for _, f := range files {
		at := atTop(c.top, f.path)
		// the file's name now, its bytes when it is read: a folder
		// named holds files no build reads, and what is read is
		// charged to the budget by its reader
		if c.mem.Exists(at) {
			continue
		}
		if err := c.mem.AddUnread(at, max(f.size, 0)); err != nil {
			return c.failed(fmt.Errorf("baseline %s: %w", f.path, err))
		}
		c.lazy[at] = f
	}
	c.loaded = append(c.loaded, rp)
	return nil
}

// fetch reads the bytes of the file at abs (a real path) from git when
// need only named it, once Fits says they fit. c.mu is held.
func (c *commitFS) fetch(abs string) error {
	f, ok := c.lazy[abs]
	if !ok {
		return nil
	}
	if c.r.Fits != nil {
		if err := c.r.Fits(max(f.size, 0)); err != nil {
			return c.failed(err)
		}
	}
	err := c.r.readBlobs([]entry{f}, func(_ entry, data []byte) error {
		return c.mem.Fill(abs, data)
	})
	if err != nil {
		return c.failed(err)
	}
	delete(c.lazy, abs)
	return nil
}

// failed keeps the first failure of a read on demand (ReadError) and
// returns err. c.mu is held.
func (c *commitFS) failed(err error) error {
	if c.err == nil {
		c.err = err
	}
	return err
}

// addLinks reads the targets of symbolic links. c.mu is held.
func (c *commitFS) addLinks(symlinks []entry) error {
	targets, err := c.r.linkTargets(symlinks)
	for p, t := range targets {
		c.links[p] = t
	}
	return err
}

// addSubmodules records submodules listed. c.mu is held (or c is new).
func (c *commitFS) addSubmodules(submodules []entry) {
	for _, s := range submodules {
		c.subs[s.path] = true
	}
}

// Missing says why p is missing at the commit when there is more to say
// than that it does not exist (manifest.MissingExplainer): it is in a
// submodule, or its symbolic links never end; else "".
func (c *commitFS) Missing(p string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	real, err := c.resolve(c.AbsPath(p))
	if err != nil {
		return "leads through symbolic links that never end at the commit (a loop, more than 40, or one git cannot read); fix the links"
	}
	rp := c.repoPath(real)
	for s := range c.subs {
		if _, ok := under(rp, s); ok && rp != "" {
			return "is in the git submodule " + s + " at the commit, whose files are in another repository: a git baseline does not read them; vendor the files into this repository, or pass --baseline DIR"
		}
	}
	return ""
}

// linkAt returns the target of the symbolic link at the repository path
// rp, a path whose folders hold no link, and whether there is one there.
// It lists rp's folder from git unless a listing holds rp. c.mu is held.
func (c *commitFS) linkAt(rp string) (string, bool, error) {
	if t, ok := c.links[rp]; ok {
		return t, true, nil
	}
	for _, d := range c.loaded {
		if _, ok := under(rp, d); ok && rp != d {
			return "", false, nil // listed in full, and no link
		}
	}
	parent := path.Dir(rp)
	if c.listed[parent] {
		return "", false, nil
	}
	var args []string // the top's entries
	if parent != "." {
		args = []string{parent + "/"}
	}
	_, symlinks, submodules, err := c.r.list(c.commit, args, false, false)
	if err == nil {
		err = c.addLinks(symlinks)
	}
	c.addSubmodules(submodules)
	if err != nil {
		return "", false, c.failed(err)
	}
	c.listed[parent] = true
	t, ok := c.links[rp]
	return t, ok, nil
}

// maxLinks is how many symbolic links one path may lead through, as
// Linux's limit (ELOOP).
const maxLinks = 40

// errLinkLoop is the error of a path through too many symbolic links.
var errLinkLoop = errors.New("too many levels of symbolic links")

// resolve returns abs (an absolute clean path) with the commit's symbolic
// links resolved, as the disk would resolve them in a checkout of the
// commit at the top of the work tree: a link inside the repository is
// followed there, a link out of it gives its target (outside the
// repository: it does not exist here, and a kustomization naming it is
// refused at its entry). Nothing outside the repository is looked at.
// c.mu is held.
func (c *commitFS) resolve(abs string) (string, error) {
	rp := c.repoPath(abs)
	if rp == "" || len(c.links) == 0 && len(c.loaded) > 0 && c.coveredByLoad(rp) {
		return abs, nil
	}
	pending := strings.Split(rp, "/")
	cur := ""     // the real repository path so far ("" is the top)
	outside := "" // the real path so far once it left the repository
	hops := 0
	for len(pending) > 0 {
		comp := pending[0]
		pending = pending[1:]
		if outside != "" {
			outside = filepath.Join(outside, comp)
			if rel, ok := c.below(c.top, outside); ok {
				cur, outside = filepath.ToSlash(rel), ""
				if cur == "." {
					cur = ""
				}
			}
			continue
		}
		switch comp {
		case "", ".":
			continue
		case "..":
			if cur == "" {
				outside = filepath.Dir(c.top)
			} else if cur = path.Dir(cur); cur == "." {
				cur = ""
			}
			continue
		}
		next := path.Join(cur, comp)
		target, isLink, err := c.linkAt(next)
		if err != nil {
			return "", err
		}
		if !isLink {
			cur = next
			continue
		}
		if hops++; hops > maxLinks || target == "" {
			return "", errLinkLoop
		}
		rest := strings.Split(target, "/")
		if path.IsAbs(target) {
			outside = "/"
			if rel, ok := c.below(c.top, "/"); ok && rel == "." {
				cur, outside = "", ""
			}
		}
		pending = append(rest, pending...)
	}
	if outside != "" {
		return outside, nil
	}
	return atTop(c.top, cur), nil
}

// coveredByLoad reports whether rp is under a path Load listed up front
// (every link below it is known).
func (c *commitFS) coveredByLoad(rp string) bool {
	for _, d := range c.loaded {
		if _, ok := under(rp, d); ok {
			return true
		}
	}
	return false
}

// RealPath is AbsPath(p) with the commit's symbolic links resolved
// (manifest.LinkedFS): a kustomization entry leading through a link out
// of the repository is refused at its entry, as on disk.
func (c *commitFS) RealPath(p string) string {
	abs := c.AbsPath(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	real, err := c.resolve(abs)
	if err != nil {
		return abs
	}
	return real
}

// outside is the error of a path outside the work tree.
func (c *commitFS) outside(op, p string) error {
	return &fs.PathError{Op: op, Path: p, Err: fs.ErrNotExist}
}

// read runs fn on the real path of p under the lock (the in-memory file
// system is not safe for concurrent use), after listing p on demand and,
// with content, reading its bytes.
func (c *commitFS) read(p string, content bool, fn func(abs string) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	abs, err := c.resolve(c.AbsPath(p))
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	rp := c.repoPath(abs)
	if rp == "" {
		return c.outside("open", p)
	}
	if err := c.need(rp, abs); err != nil {
		return err
	}
	if content {
		if err := c.fetch(abs); err != nil {
			return err
		}
	}
	return fn(abs)
}

func (c *commitFS) Exists(p string) bool {
	var ok bool
	_ = c.read(p, false, func(abs string) error { ok = c.mem.Exists(abs); return nil })
	return ok
}

func (c *commitFS) IsDir(p string) bool {
	var ok bool
	_ = c.read(p, false, func(abs string) error { ok = c.mem.IsDir(abs); return nil })
	return ok
}

func (c *commitFS) ReadFile(p string) ([]byte, error) {
	var data []byte
	err := c.read(p, true, func(abs string) (err error) { data, err = c.mem.ReadFile(abs); return err })
	return data, err
}

func (c *commitFS) Open(p string) (filesys.File, error) {
	var f filesys.File
	err := c.read(p, true, func(abs string) (err error) { f, err = c.mem.Open(abs); return err })
	return f, err
}

func (c *commitFS) ReadDir(p string) ([]string, error) {
	var names []string
	err := c.read(p, false, func(abs string) (err error) { names, err = c.mem.ReadDir(abs); return err })
	return names, err
}

func (c *commitFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	var d filesys.ConfirmedDir
	var f string
	err := c.read(p, false, func(abs string) (err error) { d, f, err = c.mem.CleanedAbs(abs); return err })
	return d, f, err
}

// Glob returns the matches of pattern, in its form: relative to Dir for a
// relative pattern.
func (c *commitFS) Glob(pattern string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	all, err := c.mem.Glob(c.AbsPath(pattern))
	if !filesys.IsHiddenFilePath(pattern) {
		all = filesys.RemoveHiddenFiles(all) // as kustomize's file systems
	}
	if filepath.IsAbs(pattern) {
		return all, err
	}
	out := all[:0]
	for _, m := range all {
		if rel, ok := c.below(c.dir, m); ok {
			out = append(out, rel)
		} else if r, err := filepath.Rel(c.dir, m); err == nil {
			out = append(out, r)
		}
	}
	return out, err
}

// Walk walks p, naming each path in p's form (below p as given).
func (c *commitFS) Walk(p string, walkFn filepath.WalkFunc) error {
	var abs string
	err := c.read(p, false, func(real string) error { abs = real; return nil })
	if errors.Is(err, fs.ErrNotExist) && abs == "" {
		return walkFn(p, nil, c.outside("walk", p))
	}
	if err != nil {
		return err
	}
	// the in-memory walk holds no lock of its own: collect, then call
	type walked struct {
		path string
		info fs.FileInfo
		err  error
	}
	var entries []walked
	c.mu.Lock()
	werr := c.mem.Walk(abs, func(q string, info fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rest := strings.TrimPrefix(q, abs)
		entries = append(entries, walked{path: filepath.Join(p, rest), info: info})
		return nil
	})
	c.mu.Unlock()
	if werr != nil {
		return werr
	}
	var skipped []string
	for _, e := range entries {
		if skippedBelow(e.path, skipped) {
			continue
		}
		if err := walkFn(e.path, e.info, e.err); err != nil {
			switch {
			case errors.Is(err, filepath.SkipAll):
				return nil
			case errors.Is(err, filepath.SkipDir) && e.info != nil && e.info.IsDir():
				skipped = append(skipped, e.path)
			case errors.Is(err, filepath.SkipDir):
				skipped = append(skipped, filepath.Dir(e.path)) // the rest of its folder
			default:
				return err
			}
		}
	}
	return nil
}

// skippedBelow reports whether p is below one of the folders skipped.
func skippedBelow(p string, skipped []string) bool {
	for _, d := range skipped {
		if strings.HasPrefix(p, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// readOnly is the error of a write.
func (c *commitFS) readOnly(p string) error {
	return &fs.PathError{Op: "write", Path: p, Err: fs.ErrPermission}
}

func (c *commitFS) Create(p string) (filesys.File, error) { return nil, c.readOnly(p) }
func (c *commitFS) Mkdir(p string) error                  { return c.readOnly(p) }
func (c *commitFS) MkdirAll(p string) error               { return c.readOnly(p) }
func (c *commitFS) RemoveAll(p string) error              { return c.readOnly(p) }
func (c *commitFS) WriteFile(p string, _ []byte) error    { return c.readOnly(p) }

// atTop is where a file at the repository path rp is kept.
func atTop(top, rp string) string {
	return filepath.Join(top, filepath.FromSlash(path.Clean(rp)))
}
