package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInterrupted: once the context is cancelled (Ctrl-C, SIGTERM in run),
// a command stops and the run exits 130 with one line on stderr, even when
// it is in the middle of a long policy evaluation.
func TestInterrupted(t *testing.T) {
	t.Parallel()
	slow := t.TempDir()
	// 10^8 iterations per document: minutes of evaluation unless the context stops it
	policy := `package main

deny contains msg if {
	input.kind == "GitRepository"
	some i in numbers.range(1, 10000)
	some j in numbers.range(1, 10000)
	i * j < 0
	msg := "never"
}
`
	if err := os.WriteFile(filepath.Join(slow, "slow.rego"), []byte(policy), 0o600); err != nil {
		t.Fatal(err)
	}
	clusters := filepath.Join(repoRoot, "fixtures", "clusters")
	tests := []struct {
		name        string
		args        []string
		cancelAfter time.Duration // 0: cancelled before the run starts
	}{
		{name: "validate cancelled before", args: []string{"validate", clusters}},
		{name: "check cancelled before", args: []string{"check", "--specs", filepath.Join(repoRoot, "fixtures", "environments"), "--out", clusters, "--no-baseline"}},
		{name: "validate cancelled during a long policy", args: []string{"validate", clusters, "--policy", slow, "--policy-timeout", "10m"}, cancelAfter: 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelAfter == 0 {
				cancel()
			} else {
				time.AfterFunc(tt.cancelAfter, cancel)
			}
			var out, errb bytes.Buffer
			code := runContext(ctx, tt.args, &out, &errb)
			if code != exitInterrupted {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitInterrupted, errb.String())
			}
			if lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "fluxtf: interrupted") {
				t.Errorf("stderr %q, want one line starting with fluxtf: interrupted", errb.String())
			}
			if out.Len() != 0 {
				t.Errorf("an interrupted run printed a report:\n%s", out.String())
			}
		})
	}
}
