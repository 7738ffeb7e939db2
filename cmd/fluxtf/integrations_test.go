package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/digx/fluxtf/internal/crdtest"
	"github.com/digx/fluxtf/internal/gittest"
)

// The CI integrations: the pre-commit hooks (.pre-commit-hooks.yaml), the
// composite action (action.yml) and the workflows, tested with the real
// tools. Nothing is downloaded: the tools come from `make tools`, Go
// modules from the module cache.

// tool finds a test tool in bin/tools (where `make tools` installs the
// pinned ones) or on PATH; a missing tool fails the test with how to
// install it.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	crdtest.Integration(t, name)
	if p := filepath.Join(repoRoot, "bin", "tools", name); isExecutable(p) {
		return p
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: %s", name, install)
	}
	return p
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// cleanEnv is the test process's environment without what would change
// how git, Go or pre-commit behave in a child (a surrounding git hook's
// GIT_DIR, the developer's GOFLAGS, ...), plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "PRE_COMMIT") || k == "FLUXTF_TEST_AS_CLI" {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range gittest.Env() {
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// command runs name in dir and returns its exit code and combined output.
func command(t *testing.T, dir string, env []string, name string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return 0, string(out)
}

func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	code, out := command(t, dir, env, name, args...)
	if code != 0 {
		t.Fatalf("%s %s exited %d:\n%s", name, strings.Join(args, " "), code, out)
	}
	return out
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	v := strings.TrimSpace(string(out))
	if v == "" || v == "off" {
		t.Fatalf("go env %s is %q; the test needs a module and a build cache", name, v)
	}
	return v
}

// snapshot commits the repository checkout as it is, uncommitted and
// untracked (not ignored) files included, into a new repository.
// pre-commit try-repo would carry over only staged and modified tracked
// files of a dirty checkout (its shadow repository runs `git add -u`), so a
// new hook manifest or Go file not yet committed would be missing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	env := cleanEnv()
	out := mustRun(t, repoRoot, env, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, rel := range strings.Split(strings.TrimRight(out, "\x00"), "\x00") {
		src := filepath.Join(repoRoot, filepath.FromSlash(rel))
		st, err := os.Lstat(src)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && st.IsDir()) {
			continue // deleted in the work tree, or a submodule
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, dst); err != nil {
				t.Fatal(err)
			}
			continue
		}
		copyFile(t, src, dst)
		if err := os.Chmod(dst, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, dir, env, "git", "init", "-q", "-b", "main")
	mustRun(t, dir, env, "git", "add", "-A")
	mustRun(t, dir, env, "git", "commit", "-q", "-m", "snapshot of the fluxtf checkout")
	return dir
}

// TestPreCommitTryRepo installs this repository's hooks with Debian's
// pre-commit into a repository made by fluxtf init, the way a consumer's
// .pre-commit-config.yaml would: pre-commit clones the hook repository and
// builds it with `go install ./...` (language: golang), here from the
// module cache only.
func TestPreCommitTryRepo(t *testing.T) {
	t.Parallel()
	precommit := tool(t, "pre-commit", "make tools installs it (apt-get install pre-commit), or pip install pre-commit")
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go is not on PATH; pre-commit builds the hook with the system Go")
	}
	tmp := t.TempDir()
	for _, d := range []string{"snapshot", "consumer", "pre-commit-home", "tmp"} {
		if err := os.Mkdir(filepath.Join(tmp, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hooks := snapshot(t, filepath.Join(tmp, "snapshot"))
	env := cleanEnv(
		"GOMODCACHE="+goEnv(t, "GOMODCACHE"),
		"GOCACHE="+goEnv(t, "GOCACHE"),
		"GOFLAGS=-mod=mod",
		"GOPROXY=off",
		"GOTOOLCHAIN=local",
		"PRE_COMMIT_HOME="+filepath.Join(tmp, "pre-commit-home"),
		"TMPDIR="+filepath.Join(tmp, "tmp"), // try-repo's own store
	)

	// a consumer repository, committed
	repo := filepath.Join(tmp, "consumer")
	if code, _, stderr := runCLI(t, "init", repo); code != 0 {
		t.Fatalf("fluxtf init exited %d: %s", code, stderr)
	}
	mustRun(t, repo, env, "git", "init", "-q", "-b", "main")
	mustRun(t, repo, env, "git", "add", "-A")
	mustRun(t, repo, env, "git", "commit", "-q", "-m", "fluxtf init")

	tryRepo := func(hook ...string) (int, string) {
		t.Helper()
		args := append([]string{"try-repo", hooks}, hook...)
		args = append(args, "--all-files", "--color", "never")
		start := time.Now()
		code, out := command(t, repo, env, precommit, args...)
		t.Logf("pre-commit %s: exit %d in %s", strings.Join(args, " "), code, time.Since(start).Round(100*time.Millisecond))
		return code, out
	}
	hookLine := regexp.MustCompile(`(?m)^fluxtf (check|render)\.+(Passed|Failed)$`)
	results := func(out string) string {
		var r []string
		for _, m := range hookLine.FindAllStringSubmatch(out, -1) {
			r = append(r, m[1]+" "+m[2])
		}
		return strings.Join(r, ", ")
	}

	// 1. the scaffold passes
	if code, out := tryRepo("fluxtf-check"); code != 0 || results(out) != "check Passed" {
		t.Fatalf("fresh scaffold: exit %d, want 0 and fluxtf check Passed:\n%s", code, out)
	}

	// 1b. the language: system hook runs the fluxtf on PATH, no build:
	// here this test binary acting as the CLI
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(bin, "fluxtf"), []byte("#!/bin/sh\nFLUXTF_TEST_AS_CLI=1 exec '"+self+"' \"$@\"\n"))
	if err := os.Chmod(filepath.Join(bin, "fluxtf"), 0o755); err != nil {
		t.Fatal(err)
	}
	systemEnv := append(append([]string{}, env...), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	start := time.Now()
	code, out := command(t, repo, systemEnv, precommit, "try-repo", hooks, "fluxtf-check-system", "--all-files", "--color", "never")
	t.Logf("pre-commit try-repo fluxtf-check-system (first run): exit %d in %s", code, time.Since(start).Round(100*time.Millisecond))
	if code != 0 || results(out) != "check Passed" {
		t.Fatalf("system hook, fresh scaffold: exit %d, want 0 and fluxtf check Passed:\n%s", code, out)
	}
	// without fluxtf on PATH it fails, saying so, instead of passing
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if !isExecutable(filepath.Join(d, "fluxtf")) {
			dirs = append(dirs, d)
		}
	}
	noFluxtf := append(append([]string{}, env...), "PATH="+strings.Join(dirs, string(os.PathListSeparator)))
	code, out = command(t, repo, noFluxtf, precommit, "try-repo", hooks, "fluxtf-check-system", "--all-files", "--color", "never")
	if code == 0 || !strings.Contains(out, "Executable `fluxtf` not found") {
		t.Fatalf("system hook without fluxtf on PATH: exit %d, want a failure naming the missing executable:\n%s", code, out)
	}

	// 2. a spec edited without re-rendering fails, naming the drifted file
	uat := filepath.Join(repo, "environments", "uat.yaml")
	dev := filepath.Join(repo, "environments", "dev.yaml") // dev takes a version first (release-order)
	edit(t, dev, "  velero: {}\n", "  velero: {version: \"8.2.0\"}\n")
	edit(t, uat, "  velero: {}\n", "  velero: {version: \"8.2.0\"}\n")
	code, out = tryRepo("fluxtf-check")
	if code != 1 || results(out) != "check Failed" {
		t.Fatalf("edited spec: exit %d, want 1 and fluxtf check Failed:\n%s", code, out)
	}
	drifted := filepath.Join("clusters", "uat", "digx-uat-eu-west-1", "velero.yaml")
	for _, want := range []string{"- hook id: fluxtf-check", drifted + ":1: deny render-drift: ", "run make render ENV=uat"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// 3. re-rendered, it passes again
	if code, _, stderr := runCLI(t, "render", "--all", "--specs", filepath.Join(repo, "environments"), "--out", filepath.Join(repo, "clusters")); code != 0 {
		t.Fatalf("render exited %d: %s", code, stderr)
	}
	if code, out := tryRepo("fluxtf-check"); code != 0 || results(out) != "check Passed" {
		t.Fatalf("re-rendered: exit %d, want 0:\n%s", code, out)
	}

	// 4. the scaffold's own .pre-commit-config.yaml, pointed at the
	// snapshot and with fluxtf-render enabled, as `pre-commit run` uses it:
	// fluxtf-render re-renders and stops the commit (fluxtf-check, after
	// it, sees the re-rendered tree), then both pass
	sha := strings.TrimSpace(mustRun(t, hooks, env, "git", "rev-parse", "HEAD"))
	config := filepath.Join(repo, ".pre-commit-config.yaml")
	edit(t, config, "repo: https://github.com/digx/fluxtf\n", "repo: "+hooks+"\n")
	edit(t, config, "rev: main\n", "rev: "+sha+"\n")
	edit(t, config, "      # - id: fluxtf-render\n", "      - id: fluxtf-render\n")
	mustRun(t, repo, env, "git", "commit", "-q", "-a", "-m", "re-render; hooks from the snapshot")
	run := func() (int, string) {
		t.Helper()
		start := time.Now()
		code, out := command(t, repo, env, precommit, "run", "--all-files", "--color", "never")
		t.Logf("pre-commit run --all-files: exit %d in %s", code, time.Since(start).Round(100*time.Millisecond))
		return code, out
	}
	edit(t, dev, "version: \"8.2.0\"", "version: \"8.3.0\"")
	edit(t, uat, "version: \"8.2.0\"", "version: \"8.3.0\"")
	code, out = run()
	if code != 1 || results(out) != "render Failed, check Passed" || !strings.Contains(out, "- files were modified by this hook") {
		t.Fatalf("after an edit: exit %d, want 1, render Failed (files modified) and check Passed:\n%s", code, out)
	}
	if b, err := os.ReadFile(filepath.Join(repo, drifted)); err != nil || !bytes.Contains(b, []byte("value: 8.3.0")) {
		t.Fatalf("fluxtf-render did not re-render %s: %v\n%s", drifted, err, b)
	}
	if code, out := run(); code != 0 || results(out) != "render Passed, check Passed" {
		t.Fatalf("after the re-render: exit %d, want 0:\n%s", code, out)
	}

	// 5. a commit whose only change is a deleted spec: pre-commit passes
	// no deleted files, yet both hooks run (always_run) on the staged
	// change, as a commit would run them: fluxtf-check fails with drift
	// naming the orphaned output, and fluxtf-render deletes it
	mustRun(t, repo, env, "git", "add", "-A")
	mustRun(t, repo, env, "git", "commit", "-q", "-m", "velero 8.3.0")
	mustRun(t, repo, env, "git", "rm", "-q", filepath.Join("environments", "uat.yaml"))
	args := []string{"try-repo", hooks, "fluxtf-check", "--color", "never"} // staged files only
	start = time.Now()
	code, out = command(t, repo, env, precommit, args...)
	t.Logf("pre-commit %s: exit %d in %s", strings.Join(args, " "), code, time.Since(start).Round(100*time.Millisecond))
	orphan := filepath.Join("clusters", "uat", "kustomization.yaml")
	if code != 1 || results(out) != "check Failed" || !strings.Contains(out, orphan+":1: deny render-drift: ") || !strings.Contains(out, "is no longer rendered by any spec; run fluxtf render --all") {
		t.Fatalf("deleted spec, staged: exit %d, want 1 and fluxtf check Failed with drift on %s:\n%s", code, orphan, out)
	}
	start = time.Now()
	code, out = command(t, repo, env, precommit, "run", "--color", "never")
	t.Logf("pre-commit run: exit %d in %s", code, time.Since(start).Round(100*time.Millisecond))
	if code != 1 || results(out) != "render Failed, check Passed" {
		t.Fatalf("deleted spec, staged, with the scaffold's config: exit %d, want 1, render Failed (files deleted) and check Passed:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(repo, orphan)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("fluxtf-render left the orphaned %s: %v", orphan, err)
	}
	mustRun(t, repo, env, "git", "add", "-A")
	if code, out := command(t, repo, env, precommit, "run", "--color", "never"); code != 0 || results(out) != "render Passed, check Passed" {
		t.Fatalf("orphaned output deleted and staged: exit %d, want 0:\n%s", code, out)
	}
}

// TestPreCommitHooksManifest checks .pre-commit-hooks.yaml against what
// the README and the scaffold promise.
func TestPreCommitHooksManifest(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Name          string `yaml:"name"`
		Description   string `yaml:"description"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames *bool  `yaml:"pass_filenames"`
		AlwaysRun     bool   `yaml:"always_run"`
		Files         string `yaml:"files"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	// each hook twice: built from source (golang) and the fluxtf on PATH
	// (system), for teams that install fluxtf once
	type hook struct{ entry, language string }
	want := map[string]hook{
		"fluxtf-check":         {"fluxtf check", "golang"},
		"fluxtf-render":        {"fluxtf render --all", "golang"},
		"fluxtf-check-system":  {"fluxtf check", "system"},
		"fluxtf-render-system": {"fluxtf render --all", "system"},
	}
	if len(hooks) != len(want) {
		t.Fatalf("%d hooks, want %d", len(hooks), len(want))
	}
	for _, h := range hooks {
		if want[h.ID].entry != h.Entry || want[h.ID].language != h.Language {
			t.Errorf("hook %q: entry %q, language %q, want %+v", h.ID, h.Entry, h.Language, want[h.ID])
		}
		if h.PassFilenames == nil || *h.PassFilenames || h.Name == "" || h.Description == "" {
			t.Errorf("hook %q: pass_filenames %v, name %q, description %q", h.ID, h.PassFilenames, h.Name, h.Description)
		}
		// pre-commit passes no deleted files: a hook filtered by files
		// skips a commit that only deletes a spec (TestPreCommitTryRepo)
		if !h.AlwaysRun || h.Files != "" {
			t.Errorf("hook %q: always_run %v, files %q; want always_run: true and no files filter", h.ID, h.AlwaysRun, h.Files)
		}
	}
}

// TestPreCommitConfigs validates with pre-commit itself the hook
// manifest, the .pre-commit-config.yaml fluxtf init writes and the one in
// the README.
func TestPreCommitConfigs(t *testing.T) {
	t.Parallel()
	precommit := tool(t, "pre-commit", "make tools installs it (apt-get install pre-commit), or pip install pre-commit")
	dir := t.TempDir()
	env := cleanEnv("PRE_COMMIT_HOME=" + filepath.Join(dir, "home"))
	mustRun(t, repoRoot, env, precommit, "validate-manifest", ".pre-commit-hooks.yaml")

	// a release pins its own tag; a development build uses main, which
	// pre-commit warns about (pre-commit autoupdate pins a release)
	release, dev := filepath.Join(dir, "release"), filepath.Join(dir, "dev")
	for _, args := range [][]string{{"init", release, "--rev", "v1.0.0"}, {"init", dev}} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("fluxtf %s exited %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	readme := filepath.Join(dir, "readme.yaml")
	writeFile(t, readme, []byte(readmeBlock(t, "repos:")))
	mutable := regexp.MustCompile(`(?m)^\[WARNING\] The 'rev' field of repo 'https://github.com/digx/fluxtf' appears to be a mutable reference.*\n?`)
	for _, f := range []string{filepath.Join(release, ".pre-commit-config.yaml"), filepath.Join(dev, ".pre-commit-config.yaml"), readme} {
		out := mustRun(t, dir, env, precommit, "validate-config", f)
		if strings.HasPrefix(f, dev) {
			if !mutable.MatchString(out) {
				t.Errorf("%s: rev main but no mutable-reference warning:\n%s", f, out)
			}
			out = mutable.ReplaceAllString(out, "")
		}
		if strings.TrimSpace(out) != "" {
			t.Errorf("pre-commit validate-config %s:\n%s", f, out)
		}
		var cfg struct {
			Repos []struct {
				Repo  string `yaml:"repo"`
				Hooks []struct {
					ID string `yaml:"id"`
				} `yaml:"hooks"`
			} `yaml:"repos"`
		}
		b, _ := os.ReadFile(f)
		if err := yaml.Unmarshal(b, &cfg); err != nil {
			t.Fatal(err)
		}
		if len(cfg.Repos) != 1 || cfg.Repos[0].Repo != "https://github.com/digx/fluxtf" || len(cfg.Repos[0].Hooks) != 1 || cfg.Repos[0].Hooks[0].ID != "fluxtf-check" {
			t.Errorf("%s: want the repository https://github.com/digx/fluxtf with the fluxtf-check hook, got %+v", f, cfg)
		}
	}
}

// readmeBlock returns the first fenced code block of README.md whose first
// line (after comments) starts with prefix.
func readmeBlock(t *testing.T, prefix string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?ms)^```[a-z]*\n(.*?)^```$").FindAllStringSubmatch(string(b), -1)
	for _, m := range blocks {
		first := ""
		for _, l := range strings.Split(m[1], "\n") {
			if !strings.HasPrefix(l, "#") {
				first = l
				break
			}
		}
		if strings.HasPrefix(first, prefix) {
			return m[1]
		}
	}
	t.Fatalf("README.md has no code block starting with %q", prefix)
	return ""
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	writeFile(t, path, bytes.Replace(b, []byte(old), []byte(new), 1))
}

// TestActionlint lints every workflow with actionlint: the project's own,
// the one fluxtf init writes, and the steps of the composite action, which
// actionlint does not read from action.yml, wrapped into a reusable
// workflow whose inputs are the action's. actionlint runs shellcheck on
// every run: script when shellcheck is installed.
func TestActionlint(t *testing.T) {
	t.Parallel()
	actionlint := tool(t, "actionlint", "run make tools (go install github.com/rhysd/actionlint/cmd/actionlint into bin/tools)")
	args := []string{"-no-color", "-pyflakes="}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		args = append(args, "-shellcheck="+sc)
		t.Logf("shellcheck %s checks the run: scripts", sc)
	} else {
		args = append(args, "-shellcheck=")
		t.Logf("shellcheck is not installed (apt-get install shellcheck): run: scripts are not shellchecked")
	}
	lint := func(t *testing.T, dir string, files ...string) {
		t.Helper()
		code, out := command(t, dir, cleanEnv(), actionlint, append(args, files...)...)
		if code != 0 {
			t.Errorf("actionlint %s exited %d:\n%s", strings.Join(files, " "), code, out)
		}
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			checkWorkflowPolicy(t, f, data)
		}
	}

	t.Run("workflows", func(t *testing.T) {
		t.Parallel()
		files, err := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", "*.y*ml"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no workflows in .github/workflows: %v", err)
		}
		names := map[string]bool{}
		for i, f := range files {
			names[filepath.Base(f)] = true
			files[i], _ = filepath.Rel(repoRoot, f)
		}
		for _, want := range []string{"ci.yml", "examples.yml"} {
			if !names[want] {
				t.Errorf(".github/workflows/%s is missing", want)
			}
		}
		lint(t, repoRoot, files...)
	})

	t.Run("README workflow", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		p := filepath.Join(dir, ".github", "workflows", "fluxtf.yml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, []byte(readmeBlock(t, "name: fluxtf")))
		lint(t, dir, filepath.Join(".github", "workflows", "fluxtf.yml"))
	})

	t.Run("init scaffold", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if code, _, stderr := runCLI(t, "init", dir, "--rev", "v1.0.0"); code != 0 {
			t.Fatalf("fluxtf init exited %d: %s", code, stderr)
		}
		lint(t, dir, filepath.Join(".github", "workflows", "fluxtf.yml"))
	})

	t.Run("action steps", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		wf := actionWorkflow(t, filepath.Join(repoRoot, "action.yml"))
		p := filepath.Join(dir, ".github", "workflows", "action.yml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, wf)
		lint(t, dir, filepath.Join(".github", "workflows", "action.yml"))
		if t.Failed() {
			t.Logf("the workflow made from action.yml:\n%s", wf)
		}
	})
}

// pinnedAction is how this project references actions: a local path, or
// owner/repo[/path] at a major version tag or a full commit.
var pinnedAction = regexp.MustCompile(`^(\./.*|[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@(v[0-9]+(\.[0-9]+\.[0-9]+)?|[0-9a-f]{40}))$`)

// checkWorkflowPolicy holds a workflow to the project's rules beyond
// actionlint: permissions set explicitly (at the top or on every job), and
// every action pinned to a version tag.
func checkWorkflowPolicy(t *testing.T, name string, data []byte) {
	t.Helper()
	var wf struct {
		Permissions any `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions any              `yaml:"permissions"`
			Steps       []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for id, job := range wf.Jobs {
		if wf.Permissions == nil && job.Permissions == nil {
			t.Errorf("%s: job %s runs with the default token permissions; set permissions", name, id)
		}
		for _, step := range job.Steps {
			if uses, ok := step["uses"].(string); ok && !pinnedAction.MatchString(uses) {
				t.Errorf("%s: job %s uses %q, not pinned to a major version or commit (owner/repo@vN)", name, id, uses)
			}
		}
	}
}

// actionMeta is the part of action.yml the tests read.
type actionMeta struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Inputs      map[string]struct {
		Description string  `yaml:"description"`
		Default     *string `yaml:"default"`
		Required    bool    `yaml:"required"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string           `yaml:"using"`
		Steps []map[string]any `yaml:"steps"`
	} `yaml:"runs"`
}

// actionWorkflow turns a composite action into a reusable workflow that
// actionlint checks like any other: the action's inputs become
// workflow_call inputs (so inputs.* resolve and are type-checked), its
// steps one job's steps, its outputs the job's and the workflow's outputs.
func actionWorkflow(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a actionMeta
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(false)
	if err := dec.Decode(&a); err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("%s: %v", path, err)
	}
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 {
		t.Fatalf("%s: want name, description and runs.using composite with steps", path)
	}
	inputs := map[string]any{}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("%s: input %s has no description", path, name)
		}
		spec := map[string]any{"type": "string", "required": in.Required, "description": in.Description}
		if in.Default != nil {
			spec["default"] = *in.Default
		}
		inputs[name] = spec
	}
	jobOutputs, callOutputs := map[string]any{}, map[string]any{}
	for name, out := range a.Outputs {
		if out.Description == "" || out.Value == "" {
			t.Errorf("%s: output %s needs a description and a value", path, name)
		}
		jobOutputs[name] = out.Value
		callOutputs[name] = map[string]any{"description": out.Description, "value": "${{ jobs.action.outputs." + name + " }}"}
	}
	for i, s := range a.Runs.Steps {
		if uses, ok := s["uses"].(string); ok && !pinnedAction.MatchString(uses) {
			t.Errorf("%s: step %d uses %q, not pinned to a major version (owner/repo@vN)", path, i, uses)
		}
		if _, ok := s["run"]; ok {
			if sh, _ := s["shell"].(string); sh == "" {
				t.Errorf("%s: step %d runs a script without shell:, which composite actions require", path, i)
			}
		}
	}
	wf := map[string]any{
		"name": "steps of " + filepath.Base(path),
		"on": map[string]any{"workflow_call": map[string]any{
			"inputs":  inputs,
			"outputs": callOutputs,
		}},
		"permissions": map[string]any{"contents": "read", "security-events": "write"},
		"jobs": map[string]any{"action": map[string]any{
			"runs-on": "ubuntu-latest",
			"outputs": jobOutputs,
			"steps":   a.Runs.Steps,
		}},
	}
	out, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestActionInputsDocumented keeps the README's table of the action's
// inputs in step with action.yml.
func TestActionInputsDocumented(t *testing.T) {
	t.Parallel()
	a := readAction(t)
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range a.Inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !bytes.Contains(readme, []byte("| `"+name+"` |")) {
			t.Errorf("README.md does not document the action input %s (a table row starting | `%s` |)", name, name)
		}
	}
}
