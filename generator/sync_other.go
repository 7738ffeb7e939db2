//go:build !linux

package generator

import "os"

// syncEachFile is true where there is no syncfs(2): every staged file is
// fsynced as it is written, and its folder after.
const syncEachFile = true

// syncFS flushes the output root's own folder (the files and the other
// folders are flushed one by one).
func syncFS(root *os.Root) error {
	return syncDir(root, ".")
}
