package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/digx/fluxtf/internal/racedetect"
)

func TestPercent(t *testing.T) {
	t.Parallel()
	const target = 192 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, MaxPercent},
		{1 << 20, MaxPercent},
		{target / 5, MaxPercent},
		{target / 4, 300},
		{target / 3, 200},
		{target / 2, MinPercent},
		{target, MinPercent},
		{10 * target, MinPercent},
	} {
		if got := Percent(tc.live, target); got != tc.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", tc.live, target, got, tc.want)
		}
	}
}

// gcPercent returns GOGC as it is.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// liveHeap is the heap the last collection marked live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: liveMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// collect runs a collection and waits for the tuner to set GOGC for the
// live heap it left: want(live). It fails if GOGC is not that within a
// generous wait (the tuner runs on the runtime's cleanup goroutine).
func collect(t *testing.T, want func(live uint64) int) {
	t.Helper()
	runtime.GC()
	w := want(liveHeap())
	for range 10_000 {
		if gcPercent() == w {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("GOGC %d after a collection that left %d bytes live, want %d", gcPercent(), liveHeap(), w)
}

var sink [][]byte

// TestStartFollowsTheLiveHeap: GOGC is MaxPercent before the first
// collection, then Percent(live, target) after every collection, and as
// it was once stopped. (Not parallel: GOGC is the process's.)
func TestStartFollowsTheLiveHeap(t *testing.T) {
	if racedetect.Enabled {
		// the cleanups that run the tuner were seen not to run within
		// 10 s of a collection under the race detector (make test-race,
		// 2026-12-07); make test and make test-slow hold this test
		t.Skip("the tuner's timing is not checked under the race detector")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(73))
	const target = 32 << 20
	stop := start(target)
	defer stop() // a failed collect must not leave the tuner to later tests
	if p := gcPercent(); p != MaxPercent {
		t.Errorf("GOGC %d before a collection, want %d", p, MaxPercent)
	}
	tuned := func(live uint64) int { return Percent(live, target) }
	for _, tc := range []struct {
		hold     int
		min, max int // GOGC
	}{
		{12 << 20, MinPercent + 1, MaxPercent - 1}, // live between target/5 and target/2
		{24 << 20, MinPercent, MinPercent},
		{0, MaxPercent, MaxPercent},
	} {
		sink = nil
		if tc.hold > 0 {
			sink = [][]byte{make([]byte, tc.hold)}
		}
		collect(t, tuned)
		if p := gcPercent(); p < tc.min || p > tc.max {
			t.Errorf("holding %d bytes (%d live): GOGC %d, want %d-%d", tc.hold, liveHeap(), p, tc.min, tc.max)
		}
	}
	sink = nil
	stop()
	if p := gcPercent(); p != 73 {
		t.Errorf("GOGC %d once stopped, want 73 as before", p)
	}
	sink = [][]byte{make([]byte, 24<<20)}
	runtime.GC()
	runtime.GC()
	sink = nil
	if p := gcPercent(); p != 73 {
		t.Errorf("GOGC %d after collections once stopped, want 73", p)
	}
}

// TestStartLeavesGOGCSet: a GOGC in the environment is the user's
// choice: nothing is tuned.
func TestStartLeavesGOGCSet(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	stop := Start(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	defer stop()
	sink = [][]byte{make([]byte, 1<<20)}
	runtime.GC()
	sink = nil
	runtime.GC()
	if p := gcPercent(); p != 50 {
		t.Errorf("GOGC %d, want the environment's 50", p)
	}
}

// TestMemoryLimitLowersTheTarget: under a soft memory limit below the
// target the heap's goal is the limit.
func TestMemoryLimitLowersTheTarget(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	tu := &tuner{target: 192 << 20}
	for _, tc := range []struct{ limit, want int64 }{{1 << 62, 192 << 20}, {100 << 20, 100 << 20}} {
		debug.SetMemoryLimit(tc.limit)
		if got := tu.limit(); got != uint64(tc.want) {
			t.Errorf("memory limit %d: target %d, want %d", tc.limit, got, tc.want)
		}
	}
}
