package fastpath_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/policies"
)

// childEnv marks the test binary run by TestSwitchReachesEveryPath.
const childEnv = "FLUXTF_FASTPATH_CHILD"

// TestSwitchReachesEveryPath runs exercise in a child process
// (FLUXTF_SLOW is read once per process) under several values of
// FLUXTF_SLOW, and checks from the hit counters that each fast path ran
// exactly when the switch left it on: a path the switch does not reach
// keeps producing results under FLUXTF_SLOW=1, and a path the exercise
// does not reach produces none without it.
func TestSwitchReachesEveryPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		slow string
		off  []fastpath.Path
	}{
		{name: "unset", slow: "", off: nil},
		{name: "all off", slow: "1", off: fastpath.Paths[:]},
		{name: "yaml and kustomize off", slow: "yaml,kustomize", off: []fastpath.Path{fastpath.YAML, fastpath.Kustomize}},
		{name: "emit and convert off", slow: "emit,convert", off: []fastpath.Path{fastpath.Emit, fastpath.Convert}},
		{name: "compile off", slow: "compile", off: []fastpath.Path{fastpath.Compile}},
		{name: "facts off", slow: "facts", off: []fastpath.Path{fastpath.Facts}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), childEnv+"=1", fastpath.EnvVar+"="+tc.slow, "TMPDIR="+t.TempDir())
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("child: %v\n%s%s", err, stdout.String(), stderr.String())
			}
			var hits map[string]int64
			if err := json.Unmarshal(stdout.Bytes(), &hits); err != nil {
				t.Fatalf("child printed %q: %v\n%s", stdout.String(), err, stderr.String())
			}
			off := map[fastpath.Path]bool{}
			for _, p := range tc.off {
				off[p] = true
			}
			for _, p := range fastpath.Paths {
				n, ok := hits[p.String()]
				switch {
				case !ok:
					t.Errorf("%s: no count", p)
				case off[p] && n != 0:
					t.Errorf("%s: the fast path produced %d results with %s=%q", p, n, fastpath.EnvVar, tc.slow)
				case !off[p] && n == 0:
					t.Errorf("%s: the fast path produced nothing with %s=%q (the exercise does not reach it)", p, fastpath.EnvVar, tc.slow)
				}
			}
		})
	}
}

// TestMain runs exercise instead of the tests in the child of
// TestSwitchReachesEveryPath.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		if err := exercise(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// exercise reads and writes through every fast path (or its reference),
// checks the results, and prints the hit counters as a JSON object.
func exercise() error {
	// yaml: a manifest the fast parser reads
	docs, err := yamlx.Parse("a.yaml", []byte("a: 1\nb: [x, y]\n"), yamlx.DefaultLimits)
	if err != nil || len(docs) != 1 || docs[0].Root.Get("a").Value != "1" {
		return fmt.Errorf("parse: %v: %w", docs, err)
	}
	// emit: an object the fast emitter writes
	out, err := generator.Marshal(map[string]any{"kind": "ConfigMap", "data": map[string]any{"b": "2", "a": 1}})
	if want := generator.Header + "data:\n  a: 1\n  b: \"2\"\nkind: ConfigMap\n"; err != nil || string(out) != want {
		return fmt.Errorf("marshal: %q, want %q: %w", out, want, err)
	}
	// kustomize and convert: a plain kustomization read for the policies
	dir, err := os.MkdirTemp("", "fastpath")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		"kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n",
		"cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\ndata:\n  k: v\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	set, err := manifest.Load([]string{dir}, manifest.Options{Convert: policies.NewInputConverter})
	if err != nil || len(set.Docs) != 1 || set.Docs[0].Name != "c" {
		return fmt.Errorf("load: %v: %w", set, err)
	}
	// compile, and convert's engine part: the policies compiled, the
	// documents made into the input
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		return err
	}
	if _, err := engine.Evaluate(context.Background(), policies.Input{Docs: set.Docs}); err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	hits := map[string]int64{}
	for _, p := range fastpath.Paths {
		hits[p.String()] = fastpath.Hits(p)
	}
	return json.NewEncoder(os.Stdout).Encode(hits)
}
