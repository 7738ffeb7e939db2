// Package cpuclock reports the CPU time a benchmark's loop takes, beside
// Go's wall time: on a machine shared with other builds the wall time of
// a run follows the others' load, its CPU time much less (docs/benchmarks.md
// compares the fast paths by it).
package cpuclock
