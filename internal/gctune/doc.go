// Package gctune sets the garbage collector's GOGC for a fluxtf process
// from the heap it keeps, after every collection: a run whose live heap is
// small collects less often than GOGC 100 would make it, and one whose
// live heap is large collects exactly as often.
//
// A `validate` or `check` of 1,000 environments allocates about twice what
// it keeps while its live heap grows from nothing to about 130 MiB. At GOGC
// 100 the collector runs whenever the heap doubles: 15 to 17 times, each
// marking everything read so far. A fixed higher GOGC collects less but
// lets every heap grow further, also the heap of a large or hostile input
// whose live data is already above the soft memory limit, where that limit
// no longer holds the heap back (docs/benchmarks.md, the revert of
// readpath's GOGC 400).
//
// Start lets the heap grow to a fixed goal, Target, while the live heap
// is small, and falls back to GOGC 100 once the live heap is half of it:
// after each collection GOGC is (Target/live - 1) x 100, clamped to
// [MinPercent, MaxPercent] (uber-go's gctuner idea). The heap's goal is
// thus at most max(Target, 2 x live): never above what GOGC 100 allows
// for a live heap over Target/2, and the same as GOGC 100 for every run
// whose live heap grows past it. A GOGC set in the environment is the
// user's choice and is left alone; a soft memory limit below Target lowers
// the target to it.
package gctune
