package runinput

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"

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

// Unread is an entry under an Overlay's paths that the in-memory tree
// does not hold: a symbolic link it does not follow (to a folder, broken,
// or leading out of the path) or a special file named like a manifest. A
// read from disk follows a link to a folder inside the path and fails on
// the others (manifest.Load); ErrorsAt carries those errors over.
type Unread struct {
	// Path is the entry's path.
	Path string
	// Folder says it is a symbolic link to a folder inside the path.
	Folder bool
}

// Overlay copies the files under paths from disk into memory, writes
// files over them and removes deletes, so that a read from it (Source.FS)
// sees the tree as it will be once those are written: `fluxtf check`
// validates the rendered output in place of the committed one. Like a
// read from disk, it skips hidden folders below the paths and follows a
// symbolic link to a file inside the path (the file's content is copied
// at the link's path); the entries it cannot hold are returned. A path
// that does not exist is left out (nothing committed there yet).
func Overlay(paths []string, files []File, deletes []string) (filesys.FileSystem, []Unread, error) {
	mem := filesys.MakeFsInMemory()
	var unread []Unread
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
					return filepath.SkipDir
				}
				return mem.MkdirAll(path)
			}
			if d.Type()&fs.ModeSymlink != 0 {
				data, folder, ok := linked(path, root)
				if ok {
					return mem.WriteFile(path, data)
				}
				unread = append(unread, Unread{Path: path, Folder: folder})
				return nil
			}
			if !d.Type().IsRegular() {
				if manifest.IsYAMLName(d.Name()) {
					unread = append(unread, Unread{Path: path})
				}
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return mem.WriteFile(path, data)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", p, err)
		}
	}
	written := map[string]bool{}
	for _, f := range files {
		if err := mem.WriteFile(f.Path, f.Data); err != nil {
			return nil, nil, err
		}
		written[f.Path] = true
	}
	for _, p := range deletes {
		_ = mem.RemoveAll(p)
		written[p] = true
	}
	kept := unread[:0]
	for _, u := range unread {
		if !written[u.Path] {
			kept = append(kept, u)
		}
	}
	return mem, kept, nil
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
func ErrorsAt(err error, unread []Unread) error {
	var list yamlx.ErrorList
	if len(unread) == 0 || !errors.As(err, &list) {
		return nil
	}
	at := map[string]bool{}
	for _, u := range unread {
		at[u.Path] = true
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
