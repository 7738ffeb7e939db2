package main

import (
	"os"
	"runtime/debug"
	"time"

	"github.com/digx/fluxtf/internal/gctune"
)

// defaultMemoryLimit is the soft memory limit fluxtf runs under unless
// GOMEMLIMIT says otherwise: 768 MiB. Go's collector otherwise lets the
// heap grow to twice what is live before it collects; at 10,000
// environments `check` holds about 450 MiB live at its peak, so the
// default headroom took the process past 1 GiB. Under the limit the
// collector runs sooner once the heap nears it, and fleets of up to 1,000
// environments (under 350 MiB) never reach it. A run whose live heap is
// above the limit still completes: the runtime caps the collector's share
// of the CPU (about half) instead of failing, so a larger fleet is slower,
// and GOMEMLIMIT=2GiB (or off) gives it the headroom back. See
// docs/benchmarks.md ("Scale under a file limit").
const defaultMemoryLimit = 768 << 20

// cliMain runs the command line of this process: the soft memory limit,
// the collector's tuning (package gctune), the local time zone, then run.
// main and the tests' re-executed CLI call it.
//
// The process's local zone is UTC. OPA's time built-ins take a zone, and
// "Local" (time.clock([ns, "Local"]), time.date, time.format,
// time.weekday, time.diff), like a zone abbreviation time.parse_ns reads,
// means the machine's, from $TZ and /etc/localtime: a user policy could
// read the environment through it, and the same input would give other
// findings on another machine. fluxtf has no use for local time: every
// date it reads, compares and prints is UTC. (Set here, not by package
// policies, which leaves a program that embeds it its own zone.)
func cliMain() int {
	time.Local = time.UTC
	applyMemoryLimit(os.Getenv)
	gctune.Start(os.Getenv)
	return run(os.Args[1:], os.Stdout, os.Stderr)
}

// applyMemoryLimit sets defaultMemoryLimit unless the environment sets
// GOMEMLIMIT, which the runtime has then applied already (an invalid
// value stops the runtime before main).
func applyMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
