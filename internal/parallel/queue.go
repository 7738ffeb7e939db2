package parallel

import (
	"runtime"
	"sync"
)

// A Queue hands out work to goroutines while more is being added: the
// workers start on the first items while the caller still finds the
// rest. Each item goes to one worker, in the order added. The zero value
// is an empty, open queue; it is safe for concurrent use.
type Queue[T any] struct {
	mu     sync.Mutex
	more   sync.Cond // signalled when an item is added or the queue closes
	items  []T
	next   int
	closed bool
}

// Add appends items for the workers. It must not be called after Close.
func (q *Queue[T]) Add(items ...T) {
	if len(items) == 0 {
		return
	}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		panic("parallel: Add after Close")
	}
	q.items = append(q.items, items...)
	c := q.cond()
	q.mu.Unlock()
	c.Broadcast()
}

// Close says no more items will come: Next returns false once the items
// added are handed out.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	c := q.cond()
	q.mu.Unlock()
	c.Broadcast()
}

// Next returns the next item not handed out yet and its place in the
// queue (0 for the first item added), waiting for one to be added; ok is
// false when the queue is closed and every item handed out.
func (q *Queue[T]) Next() (i int, item T, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.next == len(q.items) && !q.closed {
		q.cond().Wait()
	}
	if q.next == len(q.items) {
		return 0, item, false
	}
	i, item = q.next, q.items[q.next]
	var zero T
	q.items[q.next] = zero // not kept for the workers' whole run
	q.next++
	return i, item, true
}

// cond returns the queue's condition, bound to its mutex; q.mu is held.
func (q *Queue[T]) cond() *sync.Cond {
	if q.more.L == nil {
		q.more.L = &q.mu
	}
	return &q.more
}

// Start runs f(w) for w in [0, workers) on goroutines of their own and
// returns a function that waits until they have all returned. workers
// below 1 means GOMAXPROCS.
func Start(workers int, f func(w int)) (wait func()) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { f(w) })
	}
	return wg.Wait
}
