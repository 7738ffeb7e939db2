package generator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotRegular is ReplaceFile's refusal of a destination that is not a
// regular file (a symlink, a folder, a FIFO).
var ErrNotRegular = errors.New("not a regular file")

// ReplaceFile replaces file with data: a new file beside it, flushed to
// disk, renamed over it, and the folder flushed, so a spec is never half
// written, not even by a crash of the machine (fluxtf approve and promote
// edit specs through it). A file that is not a regular one (a symlink,
// which a rename would replace by a copy, leaving the file it leads to as
// it was) is refused with ErrNotRegular.
func ReplaceFile(file string, data []byte, mode os.FileMode) error {
	if st, err := os.Lstat(file); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s: %w (a symlink?); fluxtf edits only real files", file, ErrNotRegular)
	}
	dir := filepath.Dir(file)
	// the errors name the file, not the staging one the user never sees
	failed := func(err error) error {
		return fmt.Errorf("cannot write %s: %w; it was left as it was (is %s writable?)", file, describe(err), dir)
	}
	// the staging name carries the render's marker, so that what a killed
	// approve or promote left (never committed: a hidden file in the specs
	// folder) is known as such and removed here, the next time
	prefix := "." + filepath.Base(file) + tmpMarker
	if es, err := os.ReadDir(dir); err == nil {
		for _, e := range es {
			if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
				_ = os.Remove(filepath.Join(dir, e.Name())) // a leftover; one that stays is only clutter
			}
		}
	}
	tmp, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return failed(err)
	}
	name := tmp.Name()
	fail := func(err error) error {
		_ = tmp.Close() // already failed: the first error is the one to report
		_ = os.Remove(name)
		return failed(err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := syncFile(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(name)
		return failed(err)
	}
	if err := os.Rename(name, file); err != nil {
		_ = os.Remove(name)
		return failed(err)
	}
	if err := syncFolder(dir); err != nil {
		return fmt.Errorf("%s is written, but its folder could not be flushed to disk: %w", file, describe(err))
	}
	return nil
}

// syncFile flushes f to disk (a variable for the test that checks it
// happens before the rename).
var syncFile = (*os.File).Sync

// syncFolder flushes dir's entries (the rename) to disk.
func syncFolder(dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer func() { _ = root.Close() }()
	return syncDir(root, ".")
}
