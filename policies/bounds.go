package policies

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/manifest"
)

// Defaults of Limits.
const (
	DefaultPolicyTimeout = 30 * time.Second
	// DefaultPolicyMemory is 512 MiB: with what a run of a thousand
	// environments holds before the user policies run (about 260 MiB)
	// and the overshoot of the watch, the process stays under 1 GiB.
	DefaultPolicyMemory = 512 << 20
)

// Limits bound the evaluation of the user's policies, which, unlike the
// embedded rules, may loop for ever or build values larger than the
// machine's memory. Exceeding one stops the evaluation with an error
// naming the policy file and line that was running.
type Limits struct {
	// Timeout is the time all user policies together may run over one
	// input (default DefaultPolicyTimeout).
	Timeout time.Duration
	// Memory is how much the memory the process holds (processMemory)
	// may grow while they run, in bytes (default DefaultPolicyMemory).
	Memory int64
}

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultPolicyTimeout
	}
	if l.Memory <= 0 {
		l.Memory = DefaultPolicyMemory
	}
	return l
}

// errors that are the cause of a bounded evaluation's cancellation
var (
	errPolicyTimeout = errors.New("policy timeout")
	errPolicyMemory  = errors.New("policy memory")
)

// cancelGrace is how long a cancelled evaluation may take to stop before
// the run ends without it.
const cancelGrace = time.Second

// heapWatchInterval is how often the memory is sampled while user policies
// run: a policy allocating as fast as Go can overshoots the limit by
// what it allocates in that time (tens of MiB), then stops.
const heapWatchInterval = 5 * time.Millisecond

// awaitStopped waits for an evaluation cancelled for its memory: OPA's
// cancellation ends it promptly (with the policy line that was running)
// unless a built-in that never checks is running, and that one may still
// be allocating as fast as it can; so the wait ends, without the result,
// once the memory grew by another eighth of the limit, or at grace.
func (e *Engine) awaitStopped(ctx context.Context, done <-chan evalResult, grace <-chan time.Time) evalResult {
	at := processMemory()
	tick := time.NewTicker(heapWatchInterval)
	defer tick.Stop()
	for {
		select {
		case res := <-done:
			return res
		case <-grace:
			return evalResult{err: context.Cause(ctx)}
		case <-tick.C:
			if processMemory()-at > e.limits.Memory/8 {
				return evalResult{err: context.Cause(ctx)}
			}
		}
	}
}

// evalResult is what evalUser returned.
type evalResult struct {
	out []finding.Finding
	err error
}

// evalUserBounded is evalUser within the engine's limits: a deadline, and
// a watchdog that cancels the evaluation when the memory the process
// holds grows by more than the memory limit. OPA checks for cancellation
// before every expression and inside the built-ins that build large
// values (numbers.range, net.cidr_expand), so both a loop and a huge value
// end promptly; one that never checks is left behind, after cancelGrace
// (sooner once the memory is past the limit: awaitStopped).
func (e *Engine) evalUserBounded(ctx context.Context, docs []*manifest.Doc, cur *converted, idx *docIndex) ([]finding.Finding, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ctx, cancelTimeout := context.WithTimeoutCause(ctx, e.limits.Timeout, errPolicyTimeout)
	defer cancelTimeout()
	over := make(chan struct{})
	stop := watchMemory(e.limits.Memory, func() {
		cancel(errPolicyMemory)
		close(over)
	})
	defer stop()
	done := make(chan evalResult, 1)
	go func() {
		out, err := e.evalUser(ctx, docs, cur, idx)
		done <- evalResult{out, err}
	}()
	var res evalResult
	select {
	case res = <-done:
	case <-ctx.Done():
		// OPA stops at the next expression, or a built-in at its next
		// step; one that never checks (hashing a value of exponential
		// size) is left behind, and the run ends without it
		grace := time.NewTimer(cancelGrace)
		defer grace.Stop()
		select {
		case res = <-done:
		case <-grace.C:
			res.err = context.Cause(ctx)
		case <-over:
			res = e.awaitStopped(ctx, done, grace.C)
		}
	}
	out, err := res.out, res.err
	if err != nil {
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, errPolicyTimeout):
			return nil, fmt.Errorf("%s: user policy evaluation stopped after %s (--policy-timeout): a rule runs too long (an unbounded loop?); bound it, or raise --policy-timeout", e.where(err), e.limits.Timeout)
		case errors.Is(cause, errPolicyMemory):
			return nil, fmt.Errorf("%s: user policy evaluation stopped: it grew the memory by more than %s (--policy-memory): a rule builds a huge value (an unbounded numbers.range or comprehension?); bound it, or raise --policy-memory", e.where(err), formatBytes(e.limits.Memory))
		}
	}
	return out, err
}

// where locates a failed user policy evaluation: the innermost policy
// expression on the error's stack trace, else the user policy files.
func (e *Engine) where(err error) string {
	var terr *topdown.Error
	if errors.As(err, &terr) {
		for _, f := range terr.StackTrace {
			if f.Location != nil && f.Location.File != "" {
				return fmt.Sprintf("%s:%d", f.Location.File, f.Location.Row)
			}
		}
	}
	if len(e.userFiles) == 1 {
		return e.userFiles[0]
	}
	return "policies " + strings.Join(e.userFiles, ", ")
}

// watchMemory samples the memory the process holds (processMemory)
// until stop is called, and calls exceeded, once, when it holds more than
// limit bytes above what it held at the start. Garbage not yet collected
// counts (the sample never waits for a collection, which a built-in in
// the middle of copying a huge value would delay), and so does heap the
// runtime keeps for reuse: the bound is on what the machine sees (the
// resident size), not on the live values. The watch goes on after the
// evaluation is cancelled for its time, while it is given cancelGrace to
// end, so that a built-in that never checks cannot grow the memory
// without bound in that second either.
func watchMemory(limit int64, exceeded func()) (stop func()) {
	base := processMemory()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(heapWatchInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if processMemory()-base > limit {
				exceeded()
				return
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// memorySamples are the metrics processMemory reads: all the memory the
// Go runtime mapped, and the part of the heap it gave back to the system
// (cheap to read, no stop of the world).
var memorySamples = [...]string{"/memory/classes/total:bytes", "/memory/classes/heap/released:bytes"}

// processMemory is the memory the Go runtime holds from the system: what
// it mapped less what it released, which is the process's resident size
// but for the binary and the C library's few pages.
func processMemory() int64 {
	s := []metrics.Sample{{Name: memorySamples[0]}, {Name: memorySamples[1]}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64()) - int64(s[1].Value.Uint64())
}

// formatBytes writes a size in MiB or GiB.
func formatBytes(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
