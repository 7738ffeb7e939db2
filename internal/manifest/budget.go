package manifest

import (
	"errors"
	"fmt"
	"sync"
)

// The run's budget: one file is bounded by yamlx.Limits (8 MiB), but a run
// reads many, and what it holds in memory grows with the bytes read and,
// more, with the number of objects (a small object costs a few KiB once
// decoded and handed to the policies). Twelve files of 7.8 MB holding
// 860,000 small ConfigMaps took 3.8 GB before this budget; a fleet of
// 10,000 environments is 183 MB in 109,000 objects (twice that with a
// baseline).
const (
	// DefaultMaxBytes is how many bytes of manifest files one run may
	// read, the baseline's included.
	DefaultMaxBytes = 512 << 20
	// DefaultMaxObjects is how many objects one run may read, the
	// baseline's included.
	DefaultMaxObjects = 300_000

	// GeneratorFactor is how many times its size a file that a
	// configMapGenerator or secretGenerator reads counts in the bytes:
	// kustomize holds about five times those bytes live while it builds
	// (the file, the ConfigMap's data, its encodings for the name's hash
	// and for the output), and the process peaks at about six and a half
	// times (measured: 20, 50 and 140 MB of generator files peak at 117,
	// 235 and 746 MB live heap and 336, 529 and 885 MiB RSS under the
	// 768 MiB soft limit; the same bytes as plain manifests stay under
	// 61 MB live). Charged at 6, a run's --max-input-bytes bounds a build's
	// memory about as it bounds manifests'.
	GeneratorFactor = 6
)

// ErrBudget is the error (errors.Is) of a Load that went over its Budget.
var ErrBudget = errors.New("over the run's budget")

// A Budget bounds what the loads of one run read together: bytes of
// manifest files and objects. Share one between the loads of a run (the
// manifests and their baseline) through Options.Budget. It is safe for
// concurrent use.
type Budget struct {
	maxBytes, maxObjects int64

	mu      sync.Mutex
	bytes   int64
	objects int64
}

// NewBudget returns a budget of maxBytes bytes and maxObjects objects; 0
// means the default (DefaultMaxBytes, DefaultMaxObjects).
func NewBudget(maxBytes, maxObjects int64) *Budget {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxObjects <= 0 {
		maxObjects = DefaultMaxObjects
	}
	return &Budget{maxBytes: maxBytes, maxObjects: maxObjects}
}

// Charge is what one Load took from its Budget (Set.Charge).
type Charge struct {
	Bytes, Objects int64
}

// BudgetError is a Load's error when the run goes over its Budget: one
// line, for the whole run (which file tipped it over depends on the order
// files are read in).
type BudgetError struct {
	What  string // "bytes" or "objects"
	Limit int64
	// Generator says a generator's file (charged GeneratorFactor times
	// its size) went over the bytes
	Generator bool
}

func (e *BudgetError) Error() string {
	if e.What == "bytes" {
		var gen string
		if e.Generator {
			gen = fmt.Sprintf(" (a file a configMapGenerator or secretGenerator reads counts %d times its size: kustomize holds about that much in memory to build it)", GeneratorFactor)
		}
		return fmt.Sprintf("the manifests of this run (its baseline included) are over %s, fluxtf's budget of file bytes per run (--max-input-bytes)%s: fluxtf stops before the machine runs out of memory; validate fewer folders at once, or raise --max-input-bytes if the machine has the memory", humanBytes(e.Limit), gen)
	}
	return fmt.Sprintf("the manifests of this run (its baseline included) hold more than %d objects, fluxtf's budget of objects per run (--max-objects): fluxtf stops before the machine runs out of memory; validate fewer folders at once, or raise --max-objects if the machine has the memory", e.Limit)
}

// Unwrap makes errors.Is(err, ErrBudget) true.
func (e *BudgetError) Unwrap() error { return ErrBudget }

// take charges bytes and objects, or fails when that goes over the budget
// (and then charges nothing). A nil budget holds everything.
func (b *Budget) take(c *Charge, bytes, objects int64) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.bytes+bytes > b.maxBytes:
		return &BudgetError{What: "bytes", Limit: b.maxBytes}
	case b.objects+objects > b.maxObjects:
		return &BudgetError{What: "objects", Limit: b.maxObjects}
	}
	b.bytes += bytes
	b.objects += objects
	if c != nil {
		c.Bytes += bytes
		c.Objects += objects
	}
	return nil
}

// Fits reports, without charging, whether bytes more would stay within
// the budget; it returns the error take would.
func (b *Budget) Fits(bytes int64) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bytes+bytes > b.maxBytes {
		return &BudgetError{What: "bytes", Limit: b.maxBytes}
	}
	return nil
}

// Refund gives back what a load took, when its result is dropped (check
// validates the tree again after a render would change it).
func (b *Budget) Refund(c Charge) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bytes -= c.Bytes
	b.objects -= c.Objects
}

// humanBytes says n in GiB, MiB, KiB or bytes: the largest unit of at
// least one whole, exact when n is a multiple of it (a budget under 1 MiB,
// --max-input-bytes 50Ki, was "0 MiB").
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
