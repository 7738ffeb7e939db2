package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicyLimitFlags: --policy-timeout and --policy-memory are read on
// validate and check; a value that bounds nothing is exit 2.
func TestPolicyLimitFlags(t *testing.T) {
	t.Parallel()
	manifests := filepath.Join(repoRoot, "fixtures", "clusters", "uat")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{name: "zero timeout", args: []string{"validate", manifests, "--policy-timeout", "0s"}, code: exitInput,
			want: "--policy-timeout must be positive, got 0s"},
		{name: "negative timeout on check", args: []string{"check", "--policy-timeout", "-1s"}, code: exitInput,
			want: "--policy-timeout must be positive, got -1s"},
		{name: "memory not a size", args: []string{"validate", manifests, "--policy-memory", "lots"}, code: exitInput,
			want: `--policy-memory must be a positive size such as 512Mi or 2Gi, got "lots"`},
		{name: "memory zero", args: []string{"validate", manifests, "--policy-memory", "0"}, code: exitInput,
			want: `--policy-memory must be a positive size such as 512Mi or 2Gi, got "0"`},
		{name: "good values", args: []string{"validate", manifests, "--policy-timeout", "5s", "--policy-memory", "512Mi"}, code: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}
