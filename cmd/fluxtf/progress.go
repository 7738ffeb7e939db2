package main

import (
	"fmt"
	"os"
	"sync"

	"github.com/digx/fluxtf/internal/report"
)

// progress returns a callback that shows "rendering N/M environments" on
// stderr when stderr is a terminal and the run is long enough to need it;
// otherwise nil (quiet).
func progress(s streams) func(done, total int) {
	f, ok := s.err.(*os.File)
	if !ok || !report.IsTerminal(f) {
		return nil
	}
	var mu sync.Mutex
	return func(done, total int) {
		if total < 20 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if done == total {
			fmt.Fprintf(f, "\r\033[Krendered %d environments\n", total)
			return
		}
		if done%10 == 0 {
			fmt.Fprintf(f, "\rrendering %d/%d environments", done, total)
		}
	}
}
