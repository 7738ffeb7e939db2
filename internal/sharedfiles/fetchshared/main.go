// Command fetchshared downloads the test data pinned in .ci/shared.lock
// into the shared folder beside the checkout (../shared by default),
// checking every file's SHA-256. The GitHub workflow runs it; machines
// that already have ../shared need nothing.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/digx/fluxtf/internal/sharedfiles"
)

func main() {
	lock := flag.String("lock", ".ci/shared.lock", "lock file")
	dir := flag.String("dir", "../shared", "shared folder to fill")
	flag.Parse()
	if err := run(*lock, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "fetchshared:", err)
		os.Exit(1)
	}
}

func run(lock, dir string) error {
	f, err := os.Open(lock)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read only
	entries, err := sharedfiles.Parse(lock, f)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := sharedfiles.Fetch(ctx, &http.Client{Timeout: time.Minute}, dir, entries); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "fetchshared: %d files in %s match %s\n", len(entries), dir, lock)
	return nil
}
