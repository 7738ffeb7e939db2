package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// A RootedFS is a file system that is not the disk but holds a
// repository's files at their absolute paths, such as a git commit's
// (internal/gitfs): a kustomization read from it is confined to the
// repository root as one on disk is (rootFor), with the same errors at
// the entry that leads out of it. Unless it is a LinkedFS it holds no
// symbolic links, so a path's place is its absolute path, cleaned.
type RootedFS interface {
	// RepositoryRoot is the top of the repository, an absolute path.
	RepositoryRoot() string
	// AbsPath is the absolute clean path of p (relative paths are taken
	// from where the file system's relative paths start).
	AbsPath(p string) string
}

// A LinkedFS is a RootedFS that holds symbolic links, such as a git
// commit's: RealPath resolves them, so that an entry leading through one
// out of the root is refused at its file:line, as on disk.
type LinkedFS interface {
	RootedFS
	// RealPath is AbsPath(p) with the file system's symbolic links
	// resolved.
	RealPath(p string) string
}

// A LinkListingFS is a LinkedFS whose folder listings (ReadDir) leave out
// its symbolic links, such as a git commit's: a folder walk asks for them,
// to meet them as the disk walk meets the links of a working tree.
type LinkListingFS interface {
	LinkedFS
	// Links returns the names of the symbolic links in the folder dir,
	// sorted.
	Links(dir string) []string
	// ResolvePath is RealPath(p), or the error of links that never end.
	ResolvePath(p string) (string, error)
}

// A MissingExplainer is a file system that can say why a path it lacks
// is missing when it knows more than that it does not exist, such as a
// git commit's (a path in a submodule, a symbolic link loop).
type MissingExplainer interface {
	// Missing says why p is missing ("is in the git submodule ..."),
	// or is "".
	Missing(p string) string
}

// missing is how a message says that p, which a kustomization names, is
// missing: "does not exist", or what the file system knows of it.
func (l *loader) missing(p string) string {
	if m, ok := l.fs.(MissingExplainer); ok && !l.onDisk {
		if why := m.Missing(p); why != "" {
			return why
		}
	}
	// on disk (or where a DiskRootedFS reads the disk) a path through
	// symbolic links that never end is missing too: say so, not that it
	// does not exist, which its links plainly do
	disk := p
	if d, ok := l.fs.(DiskRootedFS); ok && !l.onDisk {
		disk = d.AbsPath(p)
	} else if !l.onDisk {
		return "does not exist"
	}
	if _, err := os.Stat(disk); errors.Is(err, syscall.ELOOP) {
		return "leads through symbolic links that never end (a loop, or more than 40); fix or remove the links"
	}
	return "does not exist"
}

// A DiskRootedFS is a RootedFS that reads the paths outside some folders
// from the disk, such as check's copy of the rendered output over the
// working tree (internal/runinput): there symbolic links and special
// files are the disk's, and a kustomization meets them as on disk, with
// the same errors.
type DiskRootedFS interface {
	// RealPath is AbsPath(p) with the disk's symbolic links resolved
	// where p is read from the disk.
	LinkedFS
	// DiskType is what an Lstat of real (a RealPath) says of it on the
	// disk: its type bits and whether it exists; nothing for a path
	// the file system holds itself.
	DiskType(real string) (typ fs.FileMode, exists bool)
}

// rooted returns l.fs as a RootedFS, when it is one (never on disk).
func (l *loader) rooted() (RootedFS, bool) {
	if l.onDisk {
		return nil, false
	}
	r, ok := l.fs.(RootedFS)
	return r, ok
}

// abs is p's absolute path: on disk as the resolver sees it (the working
// directory's), in a RootedFS as it places it.
func (l *loader) abs(p string) string {
	if r, ok := l.rooted(); ok {
		return r.AbsPath(p)
	}
	return l.res.abs(p)
}

// within is the resolver's within (symbolic links resolved) on disk, and
// for a RootedFS whether p's absolute path (its real path in a LinkedFS)
// is root or under it.
func (l *loader) within(root, p string) (string, bool) {
	if root == "" {
		return p, true
	}
	if d, ok := l.fs.(LinkedFS); ok && !l.onDisk {
		return inRoot(root, d.RealPath(p))
	}
	if r, ok := l.rooted(); ok {
		return inRoot(root, r.AbsPath(p))
	}
	return l.res.within(root, p)
}

// entryPath is the path kustomize reads for entry, a relative path named
// by the kustomization in dir. kustomize joins an entry to its
// kustomization's folder with the folder's symbolic links resolved (its
// loader's root is the folder's ConfirmDir, which evaluates them: see
// sigs.k8s.io/kustomize/api internal/loader/fileloader.go), and Flux's
// kustomize-controller builds with kustomize: so from a folder reached
// through a link (clusters -> deploy/clusters), "../../shared/base" climbs
// from where the link leads (deploy/shared/base), not from the link. An
// entry that reaches the same place either way (every entry without "..")
// keeps its spelling under dir; another is spelled from the real folder,
// relative to the working directory when dir is relative and a path
// without ".." reaches it, else absolute.
func (l *loader) entryPath(dir, entry string) string {
	path := filepath.Join(dir, entry)
	if !climbs(entry) {
		return path
	}
	rd, ok := l.realOf(dir)
	if !ok {
		return path
	}
	at := filepath.Join(rd, entry)
	real, _ := l.realOf(at)
	if r, _ := l.realOf(path); r == real {
		return path
	}
	if filepath.IsAbs(dir) {
		return at
	}
	if cwd, _ := l.realOf("."); cwd != "" {
		if rel, err := filepath.Rel(cwd, at); err == nil && !climbs(rel) {
			if r, _ := l.realOf(rel); r == real {
				return rel
			}
		}
	}
	return at
}

// climbs reports whether the path p has a ".." element.
func climbs(p string) bool {
	return slices.Contains(strings.Split(filepath.ToSlash(p), "/"), "..")
}

// realOf is p's absolute path with its symbolic links resolved, where the
// file system holds links: on disk and in a LinkedFS.
func (l *loader) realOf(p string) (string, bool) {
	if d, ok := l.fs.(LinkedFS); ok && !l.onDisk {
		return d.RealPath(p), true
	}
	if !l.onDisk {
		return "", false
	}
	return l.res.real(l.res.abs(p)), true
}

// buildRoot is the root of the confinedFS a build of u runs on: u.root on
// disk and in a DiskRootedFS (its absolute paths are the disk's); another
// RootedFS serves nothing outside its root itself, and the paths
// kustomize asks it for are its own absolute paths, not the disk's.
func (l *loader) buildRoot(u *kustUnit) string {
	if _, ok := l.fs.(DiskRootedFS); !l.onDisk && !ok {
		return ""
	}
	return u.root
}

// diskInfo is what an Lstat of real, a path inside root on disk, says;
// nothing for a file system that is not the disk (it holds only regular
// files and folders) or without a root.
func (l *loader) diskInfo(root, real string) pathType {
	if d, ok := l.fs.(DiskRootedFS); ok && !l.onDisk && root != "" {
		typ, exists := d.DiskType(real)
		return pathType{exists: exists, typ: typ}
	}
	if !l.onDisk || root == "" {
		return pathType{}
	}
	return l.res.info(l.res.abs(real))
}
