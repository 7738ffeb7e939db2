//go:build unix

package generator

import (
	"runtime"
	"syscall"
)

// ioWorkers is the size of the pool that reads and writes the output
// tree: a few per CPU, at most 16, and fewer when the process may open
// few files (ulimit -n), since each worker holds up to four descriptors
// at a time (an environment folder, one of its folders, a listing, a
// file). The pool does not grow with the number of environments.
func ioWorkers() int {
	w := min(max(4, runtime.GOMAXPROCS(0)), 16)
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < 1<<20 {
		// leave room for the rest of the process (the runtime, the
		// specs read alongside, stdio, the lock)
		w = min(w, max(1, (int(lim.Cur)-32)/8))
	}
	return w
}
