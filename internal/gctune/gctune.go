package gctune

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// Target is the heap the collector may let a small live heap grow to:
	// 192 MiB. A `validate` of 1,000 environments keeps about 125 MiB at
	// its end and its heap peaked at about 155 MiB at GOGC 100 (peak RSS
	// about 235 MiB); under Target it peaks under about 200 MiB and the
	// process under 285 MiB (docs/benchmarks.md).
	Target = 192 << 20
	// MinPercent is GOGC once the live heap is Target/2 or more: Go's
	// default.
	MinPercent = 100
	// MaxPercent is GOGC for a live heap of Target/5 or less, and before
	// the first collection: the heap may grow to five times what is live.
	MaxPercent = 400
)

// liveMetric is the heap the last collection marked live.
const liveMetric = "/gc/heap/live:bytes"

// Percent is the GOGC for a live heap of live bytes under a target of
// target bytes: (target/live - 1) x 100, clamped to [MinPercent,
// MaxPercent].
func Percent(live, target uint64) int {
	if live == 0 {
		return MaxPercent
	}
	p := (float64(target)/float64(live) - 1) * 100
	return int(math.Max(MinPercent, math.Min(MaxPercent, p)))
}

// Start sets GOGC from the live heap after every collection, under
// Target (or the soft memory limit, when that is lower), unless the
// environment (getenv) sets GOGC. It returns the function that stops the
// tuning and puts GOGC back as it was; a process that tunes to its end
// need not call it.
func Start(getenv func(string) string) (stop func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	return start(Target)
}

// start tunes GOGC under target until stopped.
func start(target uint64) (stop func()) {
	t := &tuner{target: target}
	t.sample[0].Name = liveMetric
	t.saved = debug.SetGCPercent(Percent(0, t.limit()))
	t.arm()
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if !t.stopped {
			t.stopped = true
			debug.SetGCPercent(t.saved)
		}
	}
}

// tuner sets GOGC after each collection, from the cleanup of an object
// that lived until it: each run arms the next.
type tuner struct {
	target  uint64
	saved   int // GOGC before start
	mu      sync.Mutex
	stopped bool
	sample  [1]metrics.Sample
}

// sentinel is the object whose collection runs the tuner: a large object
// (over 32 KiB), in a span of its own. The sweeping after a collection
// takes the large objects' spans first (runtime.mheap.nextSpanForSweep)
// and queues the cleanup when it sweeps the sentinel's, soon after the
// collection. A small object's span may wait for the allocations of its
// size class or the next collection, and GOGC would stay as it was for
// much of the next cycle.
type sentinel [33 << 10]byte

// arm makes the next collection run tune.
func (t *tuner) arm() {
	runtime.AddCleanup(new(sentinel), (*tuner).tune, t)
}

// tune sets GOGC for the live heap the last collection left and arms the
// next, until stopped.
func (t *tuner) tune() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	metrics.Read(t.sample[:])
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		debug.SetGCPercent(Percent(t.sample[0].Value.Uint64(), t.limit()))
	}
	t.arm()
}

// limit is the target, or the soft memory limit when that is lower.
func (t *tuner) limit() uint64 {
	if l := debug.SetMemoryLimit(-1); l >= 0 && uint64(l) < t.target {
		return uint64(l)
	}
	return t.target
}
