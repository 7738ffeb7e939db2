package main

import (
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/gctune"
)

// memLimitProbeEnv makes the test binary run its arguments as the CLI
// and then print the soft memory limit they ran under on stderr
// (TestMain).
const memLimitProbeEnv = "FLUXTF_TEST_MEMLIMIT"

// TestMemoryLimit: a CLI process runs under defaultMemoryLimit unless
// GOMEMLIMIT sets another (or off), which is then left as the runtime
// read it.
func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		gomemlimit string // "": unset
		want       int64
	}{
		{name: "default", want: defaultMemoryLimit},
		{name: "GOMEMLIMIT raises it", gomemlimit: "2GiB", want: 2 << 30},
		{name: "GOMEMLIMIT lowers it", gomemlimit: "100MiB", want: 100 << 20},
		{name: "GOMEMLIMIT off", gomemlimit: "off", want: math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := runProbe(t, memLimitProbeEnv, "GOMEMLIMIT", tt.gomemlimit); got != tt.want {
				t.Errorf("memory limit %d, want %d", got, tt.want)
			}
		})
	}
}

// gcPercentProbeEnv makes the test binary run its arguments as the CLI
// and then print the GOGC they ended with on stderr (TestMain).
const gcPercentProbeEnv = "FLUXTF_TEST_GCPERCENT"

// TestGCPercent: a CLI process tunes GOGC to its live heap (package
// gctune: gctune.MaxPercent while the heap is small, as after `version`)
// unless GOGC sets it, which is then left as the runtime read it.
func TestGCPercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		gogc string // "": unset
		want int
	}{
		{name: "default", want: gctune.MaxPercent},
		{name: "GOGC 100", gogc: "100", want: 100},
		{name: "GOGC lowers it", gogc: "50", want: 50},
		{name: "GOGC raises it", gogc: "800", want: 800},
		{name: "GOGC off", gogc: "off", want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := runProbe(t, gcPercentProbeEnv, "GOGC", tt.gogc); got != int64(tt.want) {
				t.Errorf("GOGC %d, want %d", got, tt.want)
			}
		})
	}
}

// runProbe runs `version` in the test binary with probe set (TestMain
// then prints a number on stderr) and variable name set to value, or
// unset when value is "", and returns the number.
func runProbe(t *testing.T, probe, name, value string) int64 {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "version")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, name+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, probe+"=1")
	if value != "" {
		cmd.Env = append(cmd.Env, name+"="+value)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	got, err := strconv.ParseInt(strings.TrimSpace(stderr.String()), 10, 64)
	if err != nil {
		t.Fatalf("probe printed %q: %v", stderr.String(), err)
	}
	return got
}
