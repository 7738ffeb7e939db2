package cpuclock

import (
	"testing"
	"time"
)

// Report adds the metric cpu-ns/op: the process's CPU time (user and
// system, every thread, the garbage collector's too) since start (a Now
// taken just before the loop), per iteration. Where the CPU time cannot
// be read, it adds nothing.
func Report(b *testing.B, start time.Duration) {
	b.Helper()
	if end := Now(); end > 0 && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}
