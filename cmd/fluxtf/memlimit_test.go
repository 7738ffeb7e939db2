package main

import (
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
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
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
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
			cmd := exec.Command(exe, "version")
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "GOMEMLIMIT=") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			cmd.Env = append(cmd.Env, memLimitProbeEnv+"=1")
			if tt.gomemlimit != "" {
				cmd.Env = append(cmd.Env, "GOMEMLIMIT="+tt.gomemlimit)
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
			if got != tt.want {
				t.Errorf("memory limit %d, want %d", got, tt.want)
			}
		})
	}
}
