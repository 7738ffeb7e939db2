package gitfs

import (
	"path"
	"path/filepath"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// lazyFS is the file system Load returns: the files under the paths it
// was given, and, on demand, any other path of the work tree at the same
// commit. A kustomization under the paths may name files outside them
// (resources: [../../apps/base], a patch in a shared folder), as it may
// in the work tree, where its build reads them inside the repository
// root; without them the baseline's build would fail on a file that
// exists at the commit. A path the paths cover, or one asked for before,
// is answered from memory: git runs only for a path outside them, once.
type lazyFS struct {
	filesys.FileSystem // the files read so far (in memory)

	mu     sync.RWMutex
	r      Repo
	commit string
	top    string          // the top of the work tree
	prefix string          // Dir's path from the top, with a trailing slash
	loaded []string        // repository paths read in full
	tried  map[string]bool // repository paths asked of git
}

// repoPath returns the path in the repository of p, a path of the file
// system (relative to Dir, or absolute), or "" when p is outside the work
// tree.
func (l *lazyFS) repoPath(p string) string {
	if filepath.IsAbs(p) {
		rel, err := filepath.Rel(l.top, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return ""
		}
		return filepath.ToSlash(rel)
	}
	rp := path.Clean(l.prefix + filepath.ToSlash(p))
	if rp == ".." || strings.HasPrefix(rp, "../") {
		return ""
	}
	return rp
}

// need reads p from git when it is outside what was read so far; p is
// a path of the memory file system (key).
func (l *lazyFS) need(p string) error {
	l.mu.RLock()
	known := l.FileSystem.Exists(p)
	l.mu.RUnlock()
	if known {
		return nil
	}
	rp := l.repoPath(p)
	if rp == "" {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tried[rp] {
		return nil
	}
	for _, d := range l.loaded {
		if _, ok := under(rp, d); ok {
			return nil // read in full: absent at the commit
		}
	}
	l.tried[rp] = true
	if _, err := l.r.fill(l.FileSystem, l.commit, []string{rp}, []string{p}); err != nil {
		return err
	}
	l.loaded = append(l.loaded, rp)
	return nil
}

// key is where Load keeps the files of p: a relative path that climbs
// above Dir is kept at its absolute path (FSPath).
func (l *lazyFS) key(p string) string { return l.r.FSPath(p) }

func (l *lazyFS) Exists(p string) bool {
	p = l.key(p)
	if l.need(p) != nil {
		return false
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.FileSystem.Exists(p)
}

func (l *lazyFS) IsDir(p string) bool {
	p = l.key(p)
	if l.need(p) != nil {
		return false
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.FileSystem.IsDir(p)
}

func (l *lazyFS) ReadFile(p string) ([]byte, error) {
	p = l.key(p)
	if err := l.need(p); err != nil {
		return nil, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.FileSystem.ReadFile(p)
}

func (l *lazyFS) Open(p string) (filesys.File, error) {
	p = l.key(p)
	if err := l.need(p); err != nil {
		return nil, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.FileSystem.Open(p)
}

func (l *lazyFS) ReadDir(p string) ([]string, error) {
	p = l.key(p)
	if err := l.need(p); err != nil {
		return nil, err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.FileSystem.ReadDir(p)
}

func (l *lazyFS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	p = l.key(p)
	if err := l.need(p); err != nil {
		return "", "", err
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.FileSystem.CleanedAbs(p)
}
