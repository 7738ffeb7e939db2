package runinput

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/fluxignore"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/yamlx"
)

// File is a file written over the disk's in an Overlay.
type File struct {
	// Path is the file's path, as the run's paths name it.
	Path string
	// Data is its content.
	Data []byte
}

// Overlay copies the files under paths from disk into memory, writes
// files over them and removes deletes, so that a read from it (Source.FS)
// sees the tree as it will be once those are written: `fluxtf check`
// validates the rendered output in place of the committed one. A path
// that does not exist is left out (nothing committed there yet).
//
// Like a read from disk (manifest.Load), it leaves hidden folders below
// the paths to the disk (a walk reads them there, but for those Flux's
// source artifact leaves out, fluxignore.Excluded) and follows a
// symbolic link to a file inside the path: the file's content is
// copied at the link's path, unless the walk meets the file itself (manifest.LinkReadAtTarget), which it then copies under its
// own path only, as a read from disk reads it once. A link to a folder inside
// the path is left out, as that folder is copied under its own path (a
// read from disk reads it once too, under the path it meets first). A
// path through any symbolic link, or in a hidden folder, is read as on
// disk, where the link leads (in memory when that is under the paths):
// a kustomization under the paths may name one. The
// entries it cannot hold, where a read from disk fails (a broken link, a
// link leading out of the path, a special file named like a manifest),
// are returned: ErrorsAt carries the disk's errors there over.
//
// Every other path is the disk's, read when asked for inside the
// repository root of the paths, as a read from disk reads it: a
// hand-written kustomization under the paths may name a shared base
// outside them (../../shared/base). See overlayFS.
func Overlay(paths []string, files []File, deletes []string) (filesys.FileSystem, []string, error) {
	o, err := newOverlayFS(paths)
	if err != nil {
		return nil, nil, err
	}
	mem := o.mem
	var unread []string
	for _, p := range paths {
		root := p
		if r, err := filepath.EvalSymlinks(p); err == nil {
			root = r
		}
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && path == p {
					return nil // nothing committed yet
				}
				return err
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					// read from the disk (rendering writes no hidden
					// folder), and listed as on disk, but for the folders
					// Flux's source leaves out, which a walk skips: a
					// walk reads it as a read from disk does, and a
					// kustomization under the paths may name it
					if !fluxignore.Excluded(d.Name(), true) {
						if err := mem.MkdirAll(o.AbsPath(path)); err != nil {
							return err
						}
					}
					o.setAside(path)
					return filepath.SkipDir
				}
				return mem.MkdirAll(o.AbsPath(path))
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// a path through the link is read where it leads, as on
				// disk: a kustomization may name it, or a file below it
				o.setAside(path)
				data, folder, ok := linked(path, root)
				switch {
				case ok && manifest.IsYAMLName(d.Name()) && atTarget(path, root):
					// copied under its own path
				case ok:
					return mem.WriteFile(o.AbsPath(path), data)
				case !folder:
					unread = append(unread, path)
				}
				return nil
			}
			if !d.Type().IsRegular() {
				if manifest.IsYAMLName(d.Name()) {
					unread = append(unread, path)
				}
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return mem.WriteFile(o.AbsPath(path), data)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", p, err)
		}
	}
	written := map[string]bool{}
	for _, f := range files {
		if err := mem.WriteFile(o.AbsPath(f.Path), f.Data); err != nil {
			return nil, nil, err
		}
		o.takeBack(f.Path)
		written[f.Path] = true
	}
	for _, p := range deletes {
		_ = mem.RemoveAll(o.AbsPath(p))
		o.takeBack(p)
		written[p] = true
	}
	for _, p := range deletes {
		o.pruneEmptied(filepath.Dir(o.AbsPath(p)))
	}
	kept := unread[:0]
	for _, p := range unread {
		if !written[p] {
			kept = append(kept, p)
		}
	}
	return o, kept, nil
}

// pruneEmptied removes dir and the folders above it, below the paths,
// while they are empty, as rendering drops the folders its deletions
// emptied (generator's write): a kustomization that lists a deleted
// environment's folder then meets no folder, as it will on disk. A
// folder holding an entry the copy leaves to the disk is not empty.
func (o *overlayFS) pruneEmptied(dir string) {
	for o.holds(dir) && !slices.Contains(o.covered, dir) {
		if names, err := o.mem.ReadDir(dir); err != nil || len(names) > 0 || o.asideIn[dir] > 0 {
			return
		}
		if err := o.mem.RemoveAll(dir); err != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// atTarget reports whether the symbolic link path, to a file inside
// root, is read at that file (manifest.LinkReadAtTarget).
func atTarget(path, root string) bool {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, target)
	return err == nil && manifest.LinkReadAtTarget(rel)
}

// linked reads the file the symbolic link path leads to, when it is a
// regular file inside root (as a read from disk follows it); folder says
// it leads to a folder inside root.
func linked(path, root string) (data []byte, folder, ok bool) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, false, false
	}
	if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return nil, false, false
	}
	st, err := os.Stat(target)
	if err != nil {
		return nil, false, false
	}
	if st.IsDir() {
		return nil, true, false
	}
	if !st.Mode().IsRegular() {
		return nil, false, false
	}
	data, err = os.ReadFile(target)
	return data, false, err == nil
}

// ErrorsAt returns the input errors of err (a read from disk) at the
// unread entries of an Overlay, or nil: the in-memory tree does not hold
// those entries, so a read from it cannot find their errors.
func ErrorsAt(err error, unread []string) error {
	var list yamlx.ErrorList
	if len(unread) == 0 || !errors.As(err, &list) {
		return nil
	}
	at := map[string]bool{}
	for _, p := range unread {
		at[p] = true
	}
	var out yamlx.ErrorList
	for _, e := range list {
		if at[e.Pos.File] {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
