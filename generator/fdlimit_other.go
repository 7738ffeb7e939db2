//go:build !unix

package generator

import "runtime"

// ioWorkers is the size of the pool that reads and writes the output
// tree: a few per CPU, at most 16, whatever the number of environments.
func ioWorkers() int {
	return min(max(4, runtime.GOMAXPROCS(0)), 16)
}
