package check_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/gittest"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/pipeline"
	"github.com/digx/fluxtf/policies"
)

// devRepo makes a repository of the dev example spec and its rendered
// output, committed when commit is set.
func devRepo(t *testing.T, commit bool) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"defaults.yaml", "dev.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "fixtures", "environments", f))
		if err != nil {
			t.Fatal(err)
		}
		gittest.WriteFile(t, filepath.Join(dir, "environments", f), string(data))
	}
	copyTree(t, filepath.Join("..", "fixtures", "clusters", "dev"), filepath.Join(dir, "clusters", "dev"))
	gittest.Init(t, dir)
	if commit {
		gittest.CommitAll(t, dir, "specs and output")
	}
	return dir
}

// makeDrift edits the dev spec so that its rendered output changes.
func makeDrift(t *testing.T, dir string) {
	t.Helper()
	spec := filepath.Join(dir, "environments", "dev.yaml")
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(data), "maxSize: 10", "maxSize: 12", 1)
	if changed == string(data) {
		t.Fatal("dev.yaml has no maxSize: 10")
	}
	gittest.WriteFile(t, spec, changed)
}

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: flux-system}\n"

// commitThenRemove commits a file under clusters/ and removes it from the
// work tree: it is in the baseline (HEAD) only.
func commitThenRemove(t *testing.T, dir, name, data string) {
	t.Helper()
	gittest.WriteFile(t, filepath.Join(dir, "clusters", name), data)
	gittest.CommitAll(t, dir, "add "+name)
	if err := os.Remove(filepath.Join(dir, "clusters", name)); err != nil {
		t.Fatal(err)
	}
}

// TestValidateAndCheckAgree: `fluxtf validate` and `fluxtf check` meet
// each situation of the baseline and of the tree read with the same note
// or the same error (both read through package pipeline), and check does
// so whether or not the specs drifted (after a drift, it validates the
// tree in memory, with the rendered output in place).
func TestValidateAndCheckAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// commit makes the first commit; setup then edits the repository
		noCommit bool
		setup    func(t *testing.T, dir string)
		// ref and baseDir are the baseline (baseDir relative to the
		// repository); both empty: HEAD
		ref, baseDir string
		maxBytes     int64
		maxObjects   int64
		// note is one of the notes both give; err is in the error both
		// give, errIs its kind
		note  string
		err   string
		errIs error
	}{
		{name: "baseline HEAD", ref: "HEAD"},
		{name: "no commits and HEAD", noCommit: true, ref: "HEAD", note: "no baseline: the repository has no commits yet"},
		{name: "no commits and another ref", noCommit: true, ref: "origin/main", err: "cannot read the baseline origin/main: ", errIs: gitfs.ErrUnknownRef},
		{name: "unknown ref", ref: "no-such-branch", err: `git ref "no-such-branch" does not name a commit`, errIs: gitfs.ErrUnknownRef},
		{name: "baseline folder missing", baseDir: "none", err: "baseline: "},
		{name: "baseline folder", baseDir: "clusters"},
		{
			name: "bad YAML at the ref", ref: "HEAD", err: "bad.yaml:3: invalid YAML",
			setup: func(t *testing.T, dir string) { commitThenRemove(t, dir, "bad.yaml", "apiVersion: v1\nkind: [\n") },
		},
		{
			name: "huge file at the ref", ref: "HEAD", err: "huge.yaml: file is 9.0 MiB, over the 8.0 MiB limit",
			setup: func(t *testing.T, dir string) {
				commitThenRemove(t, dir, "huge.yaml", configMap+"data:\n  k: \""+strings.Repeat("x", 9<<20)+"\"\n")
			},
		},
		{
			name: "symbolic link at the ref", ref: "HEAD", // followed at the ref as in the tree: no note
			setup: func(t *testing.T, dir string) {
				gittest.WriteFile(t, filepath.Join(dir, "clusters", "shared", "cm.yaml"), configMap)
				if err := os.Symlink(filepath.Join("shared", "cm.yaml"), filepath.Join(dir, "clusters", "link.yaml")); err != nil {
					t.Fatal(err)
				}
				gittest.CommitAll(t, dir, "link")
			},
		},
		{
			name: "symbolic links to a file and a folder in the tree", ref: "HEAD",
			setup: func(t *testing.T, dir string) {
				gittest.WriteFile(t, filepath.Join(dir, "clusters", "shared", "cm.yaml"), configMap)
				for target, link := range map[string]string{"shared": "alink", filepath.Join("shared", "cm.yaml"): "link.yaml"} {
					if err := os.Symlink(target, filepath.Join(dir, "clusters", link)); err != nil {
						t.Fatal(err)
					}
				}
			},
		},
		{
			name: "broken symbolic link in the tree", ref: "HEAD", err: "broken.yaml: broken symbolic link",
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("missing.yaml", filepath.Join(dir, "clusters", "broken.yaml")); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "symbolic link out of the tree", ref: "HEAD", err: "out.yaml: is a symbolic link to ",
			setup: func(t *testing.T, dir string) {
				gittest.WriteFile(t, filepath.Join(dir, "outside.yaml"), configMap)
				if err := os.Symlink(filepath.Join("..", "outside.yaml"), filepath.Join(dir, "clusters", "out.yaml")); err != nil {
					t.Fatal(err)
				}
			},
		},
		{name: "over --max-objects", ref: "HEAD", maxObjects: 5, errIs: manifest.ErrBudget, err: "budget of objects per run (--max-objects)"},
		{name: "over --max-input-bytes with the git baseline", ref: "HEAD", maxBytes: 20 << 10, errIs: manifest.ErrBudget, err: "budget of file bytes per run (--max-input-bytes)"},
	}
	for _, tt := range tests {
		for _, drift := range []bool{false, true} {
			name := tt.name
			if drift {
				name += " with drift"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := devRepo(t, !tt.noCommit)
				if tt.setup != nil {
					tt.setup(t, dir)
				}
				if drift {
					makeDrift(t, dir)
				}
				clusters := filepath.Join(dir, "clusters")
				baseDir := ""
				if tt.baseDir != "" {
					baseDir = filepath.Join(dir, tt.baseDir)
				}
				rep, verr := pipeline.Validate(ctx, engine, pipeline.Options{
					Paths: []string{clusters}, BaselineRef: tt.ref, BaselineDir: baseDir, RepoDir: dir, Now: now,
					MaxInputBytes: tt.maxBytes, MaxObjects: tt.maxObjects,
				})
				res, cerr := check.Run(ctx, engine, check.Options{
					Render: generator.Options{
						LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join(dir, "environments")},
						OutDir:      clusters,
					},
					BaselineRef: tt.ref, BaselineDir: baseDir, RepoDir: dir, Now: now,
					MaxInputBytes: tt.maxBytes, MaxObjects: tt.maxObjects,
				})
				for cmd, err := range map[string]error{"validate": verr, "check": cerr} {
					switch {
					case tt.err == "" && err != nil:
						t.Errorf("%s: %v", cmd, err)
					case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
						t.Errorf("%s: err %v, want one with %q", cmd, err, tt.err)
					case tt.errIs != nil && !errors.Is(err, tt.errIs):
						t.Errorf("%s: err %v is not %v", cmd, err, tt.errIs)
					}
				}
				if verr != nil || cerr != nil {
					if verr != nil && cerr != nil && verr.Error() != cerr.Error() {
						t.Errorf("the commands disagree:\nvalidate: %v\ncheck:    %v", verr, cerr)
					}
					return
				}
				if !slices.Equal(rep.Notes, res.Report.Notes) {
					t.Errorf("the commands' notes disagree:\nvalidate: %q\ncheck:    %q", rep.Notes, res.Report.Notes)
				}
				if tt.note != "" && !slices.Contains(rep.Notes, tt.note) && !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.HasPrefix(n, tt.note) }) {
					t.Errorf("notes %q lack %q", rep.Notes, tt.note)
				}
				if rep.Files != res.Report.Files || rep.Objects != res.Report.Objects {
					t.Errorf("validate read %d files, %d objects; check %d, %d", rep.Files, rep.Objects, res.Report.Files, res.Report.Objects)
				}
				if got := len(findings(res.Report, check.RuleDrift)) > 0; got != drift {
					t.Errorf("drift %v, want %v", got, drift)
				}
			})
		}
	}
}
