package check_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digx/fluxtf/check"
	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/gitfs"
	"github.com/digx/fluxtf/internal/gittest"
	"github.com/digx/fluxtf/internal/manifest"
	"github.com/digx/fluxtf/policies"
)

// now is the date waivers are checked against.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// repo makes a repository of the example specs and their rendered output
// (fixtures/), committed when commit is set, else with no commit yet.
func repo(t *testing.T, commit bool) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "fixtures", "environments"), filepath.Join(dir, "environments"))
	copyTree(t, filepath.Join("..", "fixtures", "clusters"), filepath.Join(dir, "clusters"))
	gittest.Init(t, dir)
	if commit {
		gittest.CommitAll(t, dir, "specs and output")
	}
	return dir
}

// run checks the repository in dir against ref, as `fluxtf check
// --baseline-ref ref` there would, with absolute paths.
func run(t *testing.T, dir, ref string) (*check.Result, error) {
	t.Helper()
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return check.Run(ctx, engine, check.Options{
		Render: generator.Options{
			LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join(dir, "environments")},
			OutDir:      filepath.Join(dir, "clusters"),
		},
		BaselineRef: ref,
		RepoDir:     dir,
		Now:         now,
	})
}

// findings returns the report's findings of a rule.
func findings(rep *finding.Report, rule string) []finding.Finding {
	var out []finding.Finding
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// TestBaselineFailsClosed: a baseline that was asked for and cannot be
// read is an error naming the reason and the fix, never a run without the
// baseline rules. These cases change the process environment (git runs
// as a child), so they do not run in parallel.
func TestBaselineFailsClosed(t *testing.T) {
	tests := []struct {
		name string
		// env is set for the check; nogit puts git off PATH
		env   map[string]string
		nogit bool
		// ref is the baseline ref; plain makes the folder a plain one
		// (no .git)
		ref   string
		plain bool
		want  error
		// msg is in the error, with the fix
		msg []string
	}{
		{
			name: "git not on PATH", nogit: true, ref: "HEAD", want: gitfs.ErrNoGit,
			msg: []string{"cannot read the baseline HEAD: git is not installed or not on PATH; install git"},
		},
		{
			// git's own switch for its ownership check: the repository is
			// treated as another user's, as in a CI container running as
			// another uid than the checkout's owner
			name: "dubious ownership", env: map[string]string{"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}, ref: "HEAD",
			want: gitfs.ErrDubiousOwnership,
			msg:  []string{"dubious ownership", "git config --global --add safe.directory "},
		},
		{
			name: "ref not fetched", ref: "origin/main", want: gitfs.ErrUnknownRef,
			msg: []string{`git ref "origin/main" does not name a commit`, "fetch it first: git fetch origin main"},
		},
		{
			name: "unknown ref", ref: "no-such-branch", want: gitfs.ErrUnknownRef,
			msg: []string{`git ref "no-such-branch" does not name a commit`},
		},
		{
			name: "not a git checkout", ref: "HEAD", plain: true, want: gitfs.ErrNotRepository,
			msg: []string{"is not inside a git work tree; run fluxtf in a git checkout"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := repo(t, true)
			if tt.plain {
				if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
					t.Fatal(err)
				}
				// stop git's search for a repository at the test's folder
				t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
			}
			gittest.Setenv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.nogit {
				t.Setenv("PATH", t.TempDir())
				if _, err := exec.LookPath("git"); err == nil {
					t.Fatal("git is still on PATH")
				}
			}
			if tt.env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] != "" {
				// the switch must work on this git, or the case tests nothing
				out, err := exec.Command("git", "-C", dir, "status").CombinedOutput()
				if err == nil || !strings.Contains(string(out), "dubious ownership") {
					t.Fatalf("git does not report dubious ownership here (%v): %s", err, out)
				}
			}
			res, err := run(t, dir, tt.ref)
			if err == nil {
				t.Fatalf("check passed without the baseline it was asked for; notes: %q", res.Report.Notes)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %v", err, tt.want)
			}
			for _, m := range tt.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q lacks %q", err, m)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// TestNoCommitsYet: only HEAD of a repository without commits is no
// baseline, with a note, and the run goes on as without one; another ref
// there is an error.
func TestNoCommitsYet(t *testing.T) {
	t.Parallel()
	dir := repo(t, false)
	res, err := run(t, dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Report.Notes, "\n"); !strings.Contains(got, "no baseline: the repository has no commits yet") || !strings.Contains(got, "skipped ") || !strings.Contains(got, "k8s-sequential-upgrade") {
		t.Errorf("notes = %q, want the no-commits note and the skipped baseline rules", got)
	}
	if res.Report.Failed() {
		t.Errorf("the example specs fail: %+v", res.Report.Findings)
	}
	if _, err := run(t, dir, "origin/main"); !errors.Is(err, gitfs.ErrUnknownRef) {
		t.Errorf("origin/main in a repository without commits: %v, want an unknown ref error", err)
	}
}

// TestBaselineIsRead: the baseline rules compare with the files at the
// ref, also when the paths are absolute (they were once looked up at
// relative paths, so the baseline was silently empty).
func TestBaselineIsRead(t *testing.T) {
	t.Parallel()
	dir := repo(t, true)
	// uat moves two Kubernetes minors down, re-rendered: no drift, but a deny
	// against HEAD
	spec := filepath.Join(dir, "environments", "uat.yaml")
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `kubernetesVersion: "1.34"`, `kubernetesVersion: "1.32"`, 1)
	if edited == string(data) {
		t.Fatal("uat.yaml has no kubernetesVersion 1.34")
	}
	if err := os.WriteFile(spec, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := generator.Render(generator.Options{LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join(dir, "environments")}, OutDir: filepath.Join(dir, "clusters"), All: true}); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if d := findings(res.Report, check.RuleDrift); len(d) > 0 {
		t.Errorf("drift after rendering: %+v", d)
	}
	if got := findings(res.Report, "k8s-sequential-upgrade"); len(got) == 0 {
		t.Errorf("no k8s-sequential-upgrade finding for 1.34 -> 1.32 against HEAD; notes %q", res.Report.Notes)
	}
}

// TestOrphanedOutput: the output of a deleted or renamed spec is drift
// (exit 1 in the CLI) naming the fix, never an input error; the
// validation sees the tree as it will be (without the orphans).
func TestOrphanedOutput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// change edits the committed repository
		change func(t *testing.T, dir string)
		// deleted and created are environments whose whole output is
		// orphaned or missing
		deleted, created string
		// note is in the report's notes
		note string
	}{
		{
			name: "deleted spec",
			change: func(t *testing.T, dir string) {
				gittest.Git(t, dir, "rm", "-q", filepath.Join("environments", "uat.yaml"))
			},
			deleted: "uat",
		},
		{
			name: "renamed spec",
			change: func(t *testing.T, dir string) {
				old := filepath.Join(dir, "environments", "dev.yaml")
				data, err := os.ReadFile(old)
				if err != nil {
					t.Fatal(err)
				}
				renamed := strings.Replace(string(data), "\nname: dev\n", "\nname: sandbox\ntier: dev\n", 1)
				if renamed == string(data) {
					t.Fatal("dev.yaml has no top-level name: dev")
				}
				// recorded, so that the rename is no identity-moved finding
				renamed += "moved:\n  - {from: dev, to: sandbox, reason: the team's name}\n"
				if err := os.WriteFile(filepath.Join(dir, "environments", "sandbox.yaml"), []byte(renamed), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Remove(old); err != nil {
					t.Fatal(err)
				}
			},
			deleted: "dev", created: "sandbox",
		},
		{
			// the tree without the orphans does not load: it is validated
			// with them, and a note says what deleting them breaks
			name: "deleted spec listed by a hand-written kustomization",
			change: func(t *testing.T, dir string) {
				root := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- dev\n- uat\n- prod\n"
				if err := os.WriteFile(filepath.Join(dir, "clusters", "kustomization.yaml"), []byte(root), 0o644); err != nil {
					t.Fatal(err)
				}
				gittest.Git(t, dir, "rm", "-q", filepath.Join("environments", "uat.yaml"))
			},
			deleted: "uat",
			// validate's error once rendering deleted uat's files and
			// the folder they leave empty
			note: filepath.Join("clusters", "kustomization.yaml") + `:5:3: resources[1]: kustomization lists "uat", but `,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := repo(t, true)
			tt.change(t, dir)
			res, err := run(t, dir, "HEAD")
			if err != nil {
				t.Fatalf("want drift findings, got the error %v", err)
			}
			drift := findings(res.Report, check.RuleDrift)
			var deleted, created int
			for _, f := range drift {
				rel, _ := filepath.Rel(filepath.Join(dir, "clusters"), f.File)
				env, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
				switch {
				case env == tt.deleted && strings.Contains(f.Message, "is no longer rendered by any spec; run fluxtf render --all"):
					deleted++
				case env == tt.created && tt.created != "" && strings.Contains(f.Message, "is missing: the "+tt.created+" spec renders it"):
					created++
				default:
					t.Errorf("unexpected drift finding: %s: %s", f.File, f.Message)
				}
			}
			if deleted == 0 || (tt.created != "" && created == 0) {
				t.Errorf("%d orphaned and %d missing files reported, want both for the changed environments: %+v", deleted, created, drift)
			}
			if !res.Report.Failed() {
				t.Error("the report does not fail")
			}
			if notes := strings.Join(res.Report.Notes, "\n"); tt.note != "" && !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q lack %q", notes, tt.note)
			}
			for _, f := range res.Report.Findings {
				if f.Rule != check.RuleDrift && f.Severity == finding.Deny {
					t.Errorf("deny finding besides drift: %+v", f)
				}
			}
		})
	}
}

// TestCheckNotesAndBudget: check, like validate, notes a hand-written
// manifest in the output root that no kustomization lists (whether the
// tree is read from disk or, after a drift, in memory), and stops with
// the budget's error when the tree and its baseline hold too much, drift
// or not.
func TestCheckNotesAndBudget(t *testing.T) {
	t.Parallel()
	drift := func(t *testing.T, dir string) {
		spec := filepath.Join(dir, "environments", "uat.yaml")
		data, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(string(data), "v4.2.0", "v4.2.1", 1)
		if changed == string(data) {
			t.Fatal("uat.yaml has no v4.2.0")
		}
		if err := os.WriteFile(spec, []byte(changed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, drifted := range []bool{false, true} {
		name := "no drift"
		if drifted {
			name = "drift"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := repo(t, true)
			extra := filepath.Join(dir, "clusters", "uat", "extra.yaml")
			if err := os.WriteFile(extra, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: flux-system}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if drifted {
				drift(t, dir)
			}
			ctx := context.Background()
			engine, err := policies.New(ctx, policies.Options{})
			if err != nil {
				t.Fatal(err)
			}
			opts := check.Options{
				Render: generator.Options{
					LoadOptions: generator.LoadOptions{SpecsDir: filepath.Join(dir, "environments")},
					OutDir:      filepath.Join(dir, "clusters"),
				},
				BaselineRef: "HEAD", RepoDir: dir, Now: now,
			}
			res, err := check.Run(ctx, engine, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := extra + " is listed by no kustomization: " + filepath.Join(dir, "clusters", "uat", "kustomization.yaml") + " builds its folder without it"
			found := false
			for _, n := range res.Report.Notes {
				found = found || strings.HasPrefix(n, want)
			}
			if !found {
				t.Errorf("notes %q, want one starting %q", res.Report.Notes, want)
			}
			if got := len(findings(res.Report, check.RuleDrift)) > 0; got != drifted {
				t.Errorf("drift %v, want %v", got, drifted)
			}
			// the example output is about 58 objects (EKS and ocm-client);
			// twice that with HEAD
			for _, max := range []int64{10, 60} {
				opts.MaxObjects = max
				if _, err := check.Run(ctx, engine, opts); !errors.Is(err, manifest.ErrBudget) {
					t.Errorf("--max-objects %d: err %v, want the budget's", max, err)
				}
			}
			// the tree and HEAD fit in 150; after a drift, only because
			// the validation of the tree as it was gave back its share.
			// The count is the fast paths' (FLUXTF_SLOW's reference
			// paths charge the budget differently; not investigated this stop).
			for _, p := range fastpath.Paths {
				if !fastpath.Enabled(p) {
					t.Logf("the exact fit is checked with the fast paths on (%s is off)", p)
					return
				}
			}
			opts.MaxObjects = 150
			if _, err := check.Run(ctx, engine, opts); err != nil {
				t.Errorf("--max-objects 150: %v", err)
			}
		})
	}
}
