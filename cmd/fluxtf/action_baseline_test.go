package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// readAction parses the repository's action.yml.
func readAction(t *testing.T) actionMeta {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionMeta
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// actionStep returns the run script of the action.yml step with the id.
func actionStep(t *testing.T, id string) string {
	t.Helper()
	a := readAction(t)
	for _, s := range a.Runs.Steps {
		if s["id"] == id {
			run, _ := s["run"].(string)
			if run == "" {
				t.Fatalf("action.yml step %s has no run script", id)
			}
			return run
		}
	}
	t.Fatalf("action.yml has no step with id %s", id)
	return ""
}

// TestActionBaselineFailsClosed runs the action's "Fetch the baseline"
// step with bash in local repositories: a baseline that cannot be fetched
// is still handed to fluxtf check (which then exits 2 saying why), never
// replaced by --no-baseline; only a push of the repository's first commit
// has no baseline. Nothing reaches the network: the remotes are local.
func TestActionBaselineFailsClosed(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is not on PATH; the action's steps run with bash")
	}
	script := actionStep(t, "baseline")
	env := cleanEnv()
	// upstream: a repository with two commits on main, as a remote
	upstream := t.TempDir()
	mustRun(t, upstream, env, "git", "init", "-q", "-b", "main")
	mustRun(t, upstream, env, "git", "commit", "-q", "--allow-empty", "-m", "one")
	mustRun(t, upstream, env, "git", "commit", "-q", "--allow-empty", "-m", "two")

	tests := []struct {
		name string
		// setup makes the checkout in dir
		setup func(t *testing.T, dir string)
		// ref is the baseline-ref input, base GITHUB_BASE_REF
		ref, base string
		want      string // the step's ref output
	}{
		{
			name: "base branch fetched into a shallow checkout",
			setup: func(t *testing.T, dir string) {
				mustRun(t, dir, env, "git", "clone", "-q", "--depth=1", "--no-single-branch", "file://"+upstream, ".")
				mustRun(t, dir, env, "git", "update-ref", "-d", "refs/remotes/origin/main")
			},
			base: "main", want: "origin/main",
		},
		{
			name: "base branch that cannot be fetched",
			setup: func(t *testing.T, dir string) {
				mustRun(t, dir, env, "git", "init", "-q", "-b", "feature")
				mustRun(t, dir, env, "git", "commit", "-q", "--allow-empty", "-m", "pr")
			},
			base: "main", want: "origin/main",
		},
		{
			name: "explicit ref that cannot be fetched",
			setup: func(t *testing.T, dir string) {
				mustRun(t, dir, env, "git", "clone", "-q", "file://"+upstream, ".")
			},
			ref: "v9.9.9", want: "v9.9.9",
		},
		{
			name: "push: the previous commit",
			setup: func(t *testing.T, dir string) {
				mustRun(t, dir, env, "git", "clone", "-q", "file://"+upstream, ".")
			},
			want: "HEAD~1",
		},
		{
			name: "push of the first commit",
			setup: func(t *testing.T, dir string) {
				mustRun(t, dir, env, "git", "init", "-q", "-b", "main")
				mustRun(t, dir, env, "git", "commit", "-q", "--allow-empty", "-m", "first")
			},
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tt.setup(t, dir)
			output := filepath.Join(t.TempDir(), "github_output")
			stepEnv := append(cleanEnv(), "BASELINE_REF="+tt.ref, "GITHUB_OUTPUT="+output)
			if tt.base != "" {
				stepEnv = append(stepEnv, "GITHUB_BASE_REF="+tt.base)
			}
			code, out := command(t, dir, stepEnv, "bash", "-c", script)
			if code != 0 {
				t.Fatalf("the step exited %d:\n%s", code, out)
			}
			data, err := os.ReadFile(output)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(data)); got != "ref="+tt.want {
				t.Errorf("step output %q, want ref=%s\n%s", got, tt.want, out)
			}
		})
	}
}

// TestActionCheckWritesSummary: the action's check step appends the job
// summary (findings and, below them, the release changes against the
// same --baseline-ref) to $GITHUB_STEP_SUMMARY; check_summary_release.txtar
// shows what the summary holds.
func TestActionCheckWritesSummary(t *testing.T) {
	t.Parallel()
	run := actionStep(t, "check")
	for _, want := range []string{`check --specs "$SPECS" --out "$OUT"`, `--summary-file "$GITHUB_STEP_SUMMARY"`, `--baseline-ref "$BASELINE"`} {
		if !strings.Contains(run, want) {
			t.Errorf("action.yml's check step lacks %s:\n%s", want, run)
		}
	}
}
