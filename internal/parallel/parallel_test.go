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

// TestQueue: every item added, before or while the workers run, goes to
// exactly one worker, and the workers end once the queue is closed.
func TestQueue(t *testing.T) {
	t.Parallel()
	for _, workers := range []int{0, 1, 3} {
		var q Queue[int]
		const n = 1000
		seen := make([]atomic.Int32, n)
		q.Add(0, 1)
		wait := Start(workers, func(int) {
			for at, i, ok := q.Next(); ok; at, i, ok = q.Next() {
				if at != i {
					t.Errorf("item %d handed out as the %dth", i, at)
				}
				seen[i].Add(1)
			}
		})
		for i := 2; i < n; i += 7 {
			items := []int{}
			for j := i; j < min(i+7, n); j++ {
				items = append(items, j)
			}
			q.Add(items...)
		}
		q.Close()
		wait()
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Errorf("workers=%d: item %d handed out %d times, want once", workers, i, got)
			}
		}
		if _, _, ok := q.Next(); ok {
			t.Errorf("workers=%d: Next after the end reports an item", workers)
		}
	}
}
