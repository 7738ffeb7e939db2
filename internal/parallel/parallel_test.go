package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 2, 7, 1000} {
		seen := make([]atomic.Int32, n)
		For(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("n=%d: f(%d) called %d times, want once", n, i, got)
			}
		}
	}
}
