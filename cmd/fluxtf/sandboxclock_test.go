package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	_ "time/tzdata" // the zones below, on a machine without them
)

// TestPolicyClockIsNotTheMachines: a user policy cannot read the
// machine's time zone (the TZ environment variable, /etc/localtime)
// through OPA's time built-ins: the zone "Local" and the zone
// abbreviations time.parse_ns reads are UTC, so the same input gives the
// same findings in Tokyo, New York and CI.
func TestPolicyClockIsNotTheMachines(t *testing.T) {
	t.Parallel()
	run := t.TempDir()
	writeFile(t, filepath.Join(run, "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n"))
	policy := filepath.Join(run, "policy")
	if err := os.Mkdir(policy, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(policy, "clock.rego"), []byte(`package user.clock

import rego.v1

deny contains msg if {
	msg := sprintf("clock %v, %v, %v", [
		time.clock([0, "Local"]),
		time.format([0, "Local", "15:04 MST"]),
		time.parse_ns("2006-01-02 15:04 MST", "2020-01-01 00:00 JST"),
	])
}
`))
	const want = `deny user.clock: clock [0, 0, 0], 00:00 UTC, 1577836800000000000`
	for _, tz := range []string{"UTC", "Asia/Tokyo", "America/New_York"} {
		cmd := badCommand(t, run, false, "validate", "cm.yaml", "--no-baseline", "--policy", "policy")
		cmd.Env = append(cmd.Env, "TZ="+tz)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitFindings {
			t.Fatalf("TZ=%s: %v, want exit %d; stderr %s", tz, err, exitFindings, stderr.String())
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("TZ=%s: stdout %q, want %q", tz, stdout.String(), want)
		}
	}
}
