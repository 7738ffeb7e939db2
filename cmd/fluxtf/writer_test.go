package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/digx/fluxtf/bench/fleet"
	"github.com/digx/fluxtf/generator"
)

// cliCommand runs this test binary as the CLI in dir, through sh when
// shell (a prefix such as "ulimit -n 64") is set.
func cliCommand(t *testing.T, dir, shell string, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	if shell != "" {
		cmd = exec.Command("sh", append([]string{"-c", shell + ` && exec "$0" "$@"`, bin}, args...)...)
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FLUXTF_TEST_AS_CLI=1")
	return cmd
}

// cliRun runs cliCommand and returns its exit code and stderr.
func cliRun(t *testing.T, dir, shell string, args ...string) (int, string) {
	t.Helper()
	cmd := cliCommand(t, dir, shell, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stderr.String()
	}
	t.Fatal(err)
	return 0, ""
}

// TestInitRefusesLinkedFolder: fluxtf init in a folder whose environments/
// is a symlink to elsewhere exits 2 naming the link, and writes nothing,
// there or elsewhere.
func TestInitRefusesLinkedFolder(t *testing.T) {
	t.Parallel()
	dir, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dir, "environments")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "init", dir)
	if code != exitInput {
		t.Errorf("exit %d, want %d", code, exitInput)
	}
	want := `^fluxtf: ` + regexp.QuoteMeta(filepath.Join(dir, "environments")) + ` is a symlink; fluxtf init never writes through links`
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !regexp.MustCompile(want).MatchString(lines[0]) {
		t.Errorf("stderr:\n%s\nwant one line matching %s", stderr, want)
	}
	if ents, _ := os.ReadDir(elsewhere); len(ents) != 0 {
		t.Errorf("wrote through the link: %v", ents)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left in the folder: %v", ents)
	}
}

// TestRenderOnlyPrunesItsOwnFolders: render --all --out . in a repository
// whose real output root is clusters/ leaves every folder that is not an
// environment folder of fluxtf untouched (clusters/ itself, a hand-written
// folder, even a file with fluxtf's header in one), says so in a note, and
// prunes only the environment folder fluxtf owns whose spec is gone.
func TestRenderOnlyPrunesItsOwnFolders(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	for _, f := range []string{"defaults.yaml", "dev.yaml", "uat.yaml", "prod.yaml"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, "fixtures", "environments", f))
		if err != nil {
			t.Fatal(err)
		}
		putFile(t, filepath.Join(repo, "environments", f), data)
	}
	if code, _, stderr := runCLI(t, "render", "--all", "--specs", filepath.Join(repo, "environments"), "--out", filepath.Join(repo, "clusters")); code != 0 {
		t.Fatalf("render into clusters: %d %s", code, stderr)
	}
	generated, err := os.ReadFile(filepath.Join(repo, "clusters", "uat", "gitrepository.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	putFile(t, filepath.Join(repo, "flux-system", "gotk-sync.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\n"))
	putFile(t, filepath.Join(repo, "notes", "copied.yaml"), generated) // fluxtf's header, not fluxtf's folder
	putFile(t, filepath.Join(repo, "notes", "sub", "copied.yaml"), generated)
	before := badTree(t, repo)

	// a stale environment folder of fluxtf: a spec renamed from qa
	if code, _, stderr := runCLI(t, "render", "--env", "uat", "--specs", filepath.Join(repo, "environments"), "--out", repo); code != 0 {
		t.Fatalf("render uat into the repository root: %d %s", code, stderr)
	}
	if err := os.Rename(filepath.Join(repo, "uat"), filepath.Join(repo, "qa")); err != nil {
		t.Fatal(err)
	}
	putFile(t, filepath.Join(repo, "qa", "mine.yaml"), []byte("kind: ConfigMap\n")) // hand-written

	code, _, stderr := runCLI(t, "render", "--all", "--specs", filepath.Join(repo, "environments"), "--out", repo)
	if code != 0 {
		t.Fatalf("render --all --out REPO: exit %d: %s", code, stderr)
	}
	if want := "fluxtf: note: " + filepath.Join(repo, "clusters") + " is not an environment folder"; !strings.Contains(stderr, want) {
		t.Errorf("stderr:\n%s\nwant a note starting %q", stderr, want)
	}
	after := badTree(t, repo)
	for name, data := range before {
		if got, ok := after[name]; !ok {
			t.Errorf("%s deleted", name)
		} else if !bytes.Equal(got, data) {
			t.Errorf("%s changed", name)
		}
	}
	// qa: its generated files pruned, the hand-written one kept
	for name := range after {
		if strings.HasPrefix(name, "qa"+string(filepath.Separator)) && name != filepath.Join("qa", "mine.yaml") && !strings.HasSuffix(name, "/") {
			t.Errorf("%s not pruned", name)
		}
	}
	if _, ok := after[filepath.Join("qa", "mine.yaml")]; !ok {
		t.Error("qa/mine.yaml, hand-written, deleted")
	}
}

// TestFewFileDescriptors renders, checks and validates 300 environments
// in a process that may open only 64 files (ulimit -n 64): the descriptors
// fluxtf holds do not grow with the number of environments.
func TestFewFileDescriptors(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no ulimit on Windows")
	}
	dir := t.TempDir()
	if err := fleet.Write(filepath.Join(dir, "environments"), 300, 5); err != nil {
		t.Fatal(err)
	}
	const limit = "ulimit -n 64"
	for _, step := range []struct {
		name string
		args []string
	}{
		{name: "render into an empty root", args: []string{"render", "--all"}},
		{name: "render, up to date", args: []string{"render", "--all"}},
		{name: "check", args: []string{"check", "--no-baseline"}},
		{name: "validate", args: []string{"validate", "clusters"}},
	} {
		code, stderr := cliRun(t, dir, limit, step.args...)
		if code != 0 {
			t.Fatalf("%s under %s: exit %d: %s", step.name, limit, code, lastLines(stderr, 3))
		}
	}
	// a render of every file again, the old ones replaced
	if err := os.RemoveAll(filepath.Join(dir, "environments")); err != nil {
		t.Fatal(err)
	}
	if err := fleet.Write(filepath.Join(dir, "environments"), 300, 6); err != nil {
		t.Fatal(err)
	}
	if code, stderr := cliRun(t, dir, limit, "render", "--all"); code != 0 {
		t.Fatalf("render of a changed fleet under %s: exit %d: %s", limit, code, lastLines(stderr, 3))
	}
	if code, stderr := cliRun(t, dir, limit, "render", "--all", "--check"); code != 0 {
		t.Fatalf("render --check after it: exit %d: %s", code, lastLines(stderr, 3))
	}
}

// putFile writes a file, creating its folder.
func putFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFailedRenderUnderFewDescriptors: a render of 300 environments under
// ulimit -n 64 that fails in its last environment (a folder it may not
// write) leaves the output root as it was: no folder it created, empty or
// not, no staging file, no journal.
func TestFailedRenderUnderFewDescriptors(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no ulimit on Windows")
	}
	dir := t.TempDir()
	for d := dir; d != filepath.Dir(d) && strings.HasPrefix(d, os.TempDir()) && d != os.TempDir(); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755) // for the unprivileged user
	}
	specs := filepath.Join(dir, "environments")
	if err := fleet.Write(specs, 300, 5); err != nil {
		t.Fatal(err)
	}
	names, err := generator.ListEnvironments(specs)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "clusters")
	last := filepath.Join(out, names[len(names)-1])
	if err := os.MkdirAll(last, 0o755); err != nil {
		t.Fatal(err)
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", `ulimit -n 64 && exec "$0" "$@"`, bin, "render", "--all", "--specs", specs, "--out", out)
	cmd.Env = append(os.Environ(), "FLUXTF_TEST_AS_CLI=1")
	if os.Getuid() == 0 {
		// root writes anywhere: run as nobody, who owns the output root
		// but not the last environment's folder
		copyFile(t, bin, filepath.Join(dir, "fluxtf"))
		cmd.Args[3] = filepath.Join(dir, "fluxtf")
		if err := os.Chown(out, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	} else if err := os.Chmod(last, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(last, 0o755) })
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInput {
		t.Fatalf("render: %v, want exit %d: %s", err, exitInput, lastLines(stderr.String(), 3))
	}
	if !strings.Contains(stderr.String(), " "+last+string(filepath.Separator)) || !strings.Contains(stderr.String(), "permission denied; nothing was changed") {
		t.Errorf("stderr: %s\nwant the failed write into %s", lastLines(stderr.String(), 3), last)
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != filepath.Base(last) {
		var left []string
		for _, e := range ents {
			left = append(left, e.Name())
		}
		t.Errorf("%d entries left in the output root, want only %s: %.200v", len(ents), filepath.Base(last), left)
	}
	if inner, _ := os.ReadDir(last); len(inner) != 0 {
		t.Errorf("left in %s: %v", last, inner)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// envTree is the generated files of each environment folder of an output
// root: env → file path inside the folder → content.
type envTree map[string]map[string]string

// readEnvTree reads the generated files under out, and fails on staging
// files and journals when clean is set.
func readEnvTree(t *testing.T, out string, clean bool) envTree {
	t.Helper()
	tree := envTree{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if clean && (strings.Contains(rel, ".fluxtf-tmp-") || strings.Contains(rel, ".fluxtf-journal")) {
			t.Errorf("%s left behind", rel)
		}
		env, inner, ok := strings.Cut(rel, "/")
		if !ok || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || !generator.IsGenerated(data) {
			return err
		}
		if tree[env] == nil {
			tree[env] = map[string]string{}
		}
		tree[env][inner] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func sameTree(a, b envTree) bool {
	for env := range a {
		if !sameFiles(a[env], b[env]) {
			return false
		}
	}
	for env := range b {
		if !sameFiles(a[env], b[env]) {
			return false
		}
	}
	return true
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// journalState reads the state of the journal an interrupted render left
// in out, "" when there is none.
func journalState(t *testing.T, out string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, ".fluxtf-journal"))
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	var j struct{ State string }
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatalf("journal: %v", err)
	}
	return j.State
}

// TestRenderKilled kills renders (SIGKILL, at random points) that switch
// an output root between two fleets, and checks after each kill that
// every environment folder is entirely old or entirely new unless the
// render had passed its commit point (journal committed), that the next
// render (of one environment) first completes or undoes the interrupted
// one, leaving every folder entirely old or new and no staging file or
// journal behind, and that no hand-written file is ever lost.
func TestRenderKilled(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	dir := t.TempDir()
	const envs = 60
	specs := [2]string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}
	var want [2]envTree
	for i, s := range specs {
		if err := fleet.Write(s, envs, uint64(11+i)); err != nil {
			t.Fatal(err)
		}
		ref := filepath.Join(dir, "ref", filepath.Base(s))
		if code, _, stderr := runCLI(t, "render", "--all", "--specs", s, "--out", ref); code != 0 {
			t.Fatalf("render %s: %s", s, stderr)
		}
		want[i] = readEnvTree(t, ref, true)
	}
	out := filepath.Join(dir, "clusters")
	start := time.Now()
	if code, stderr := cliRun(t, dir, "", "render", "--all", "--specs", specs[0], "--out", out); code != 0 {
		t.Fatalf("first render: %s", stderr)
	}
	full := time.Since(start) // a render of every file, process start to exit
	// hand-written files: in the root, in a folder of its own, and in an
	// environment folder of each fleet and of both
	handWritten := map[string]string{
		"README.md":                      "# clusters\n",
		"flux-system/gotk-sync.yaml":     "kind: Kustomization\n",
		"flux-system/gotk-components.md": "hand-written\n",
	}
	var inA, inB, inBoth string
	for env := range want[0] {
		if want[1][env] != nil && inBoth == "" {
			inBoth = env
		}
		if want[1][env] == nil && inA == "" {
			inA = env
		}
	}
	for env := range want[1] {
		if want[0][env] == nil {
			inB = env
			break
		}
	}
	if inA == "" || inB == "" || inBoth == "" {
		t.Fatalf("the two fleets do not differ in environments: %q %q %q", inA, inB, inBoth)
	}
	handWritten[inA+"/mine.yaml"] = "kind: ConfigMap # in a's " + inA + "\n"
	handWritten[inBoth+"/mine.yaml"] = "kind: ConfigMap # in both's " + inBoth + "\n"
	for rel, data := range handWritten {
		putFile(t, filepath.Join(out, filepath.FromSlash(rel)), []byte(data))
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	states := map[string]int{}
	lo, hi := time.Duration(0), full*12/10
	for i := range 20 {
		target := 1 - i%2
		before := readEnvTree(t, out, true)
		cmd := cliCommand(t, dir, "", "render", "--all", "--specs", specs[target], "--out", out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// a random point between lo and hi, which close in on the switch:
		// a kill before the commit point raises lo, one after the render
		// finished lowers hi
		delay := lo + time.Duration(rng.Int64N(int64(hi-lo)+1))
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		state := journalState(t, out)

		// right after the kill: entirely old or new, unless committed
		got := readEnvTree(t, out, false)
		if state != "committed" {
			consistent(t, i, "after the kill ("+state+")", got, before, want[target])
		}
		switch {
		case state == "committed":
		case state == "staging" || sameTree(got, before):
			lo = delay
			state += " (old)"
		case sameTree(got, want[target]):
			hi = delay
			state = "done"
		}
		states[state]++
		if hi-lo < 2*time.Millisecond { // noise: open the window again
			lo, hi = max(0, lo-10*time.Millisecond), hi+10*time.Millisecond
		}
		// the next render of one environment completes or undoes it first
		next := sortedEnvs(want[target])[0]
		if code, stderr := cliRun(t, dir, "", "render", "--env", next, "--specs", specs[target], "--out", out); code != 0 {
			t.Fatalf("iteration %d: the render after the kill: exit %d: %s", i, code, stderr)
		}
		got = readEnvTree(t, out, true)
		consistent(t, i, "after the next render", got, before, want[target])
		if state == "committed" {
			for env := range want[target] {
				if !sameFiles(got[env], want[target][env]) {
					t.Errorf("iteration %d: %s not completed by the next render", i, env)
				}
			}
		}
		for rel, data := range handWritten {
			if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel))); err != nil || string(b) != data {
				t.Fatalf("iteration %d: hand-written %s lost or changed: %v", i, rel, err)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("20 kills of %s renders (last window %s–%s): the tree at the kill %v", full.Round(time.Millisecond), lo.Round(time.Millisecond), hi.Round(time.Millisecond), states)
	if code, stderr := cliRun(t, dir, "", "render", "--all", "--specs", specs[0], "--out", out); code != 0 {
		t.Fatalf("last render: %s", stderr)
	}
	if got := readEnvTree(t, out, true); len(got) != len(want[0]) {
		t.Errorf("%d environment folders after the last render, want %d", len(got), len(want[0]))
	}
	if code, stderr := cliRun(t, dir, "", "render", "--all", "--check", "--specs", specs[0], "--out", out); code != 0 {
		t.Errorf("render --check after the last render: exit %d: %s", code, stderr)
	}
}

// consistent fails unless every environment folder of got holds exactly
// its files of old or of new (none when the environment has none there).
func consistent(t *testing.T, i int, when string, got, old, new envTree) {
	t.Helper()
	envs := map[string]bool{}
	for _, tr := range []envTree{got, old, new} {
		for env := range tr {
			envs[env] = true
		}
	}
	for env := range envs {
		if !sameFiles(got[env], old[env]) && !sameFiles(got[env], new[env]) {
			t.Errorf("iteration %d, %s: %s is a mix of old and new: %d files, old %d, new %d", i, when, env, len(got[env]), len(old[env]), len(new[env]))
		}
	}
}

func sortedEnvs(tr envTree) []string {
	envs := make([]string, 0, len(tr))
	for env := range tr {
		envs = append(envs, env)
	}
	sort.Strings(envs)
	return envs
}

// TestRenderNotesAreOneLine: render's notes name folders on one line,
// whatever their names hold (a newline here), like every note and error.
func TestRenderNotesAreOneLine(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	specs := filepath.Join(repo, "environments")
	for _, f := range []string{"defaults.yaml", "uat.yaml"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, "fixtures", "environments", f))
		if err != nil {
			t.Fatal(err)
		}
		putFile(t, filepath.Join(specs, f), data)
	}
	out := filepath.Join(repo, "out")
	code, _, stderr := runCLI(t, "render", "--all", "--specs", specs, "--out", filepath.Join(out, "cl\nusters"))
	if code != 0 {
		t.Fatalf("render: %d %s", code, stderr)
	}
	if want := "fluxtf: rendered uat into " + filepath.Join(out, `cl\nusters`) + ": "; strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr:\n%s\nwant one line starting %q", stderr, want)
	}
	code, _, stderr = runCLI(t, "render", "--all", "--specs", specs, "--out", out)
	if code != 0 {
		t.Fatalf("render --out above the output root: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if want := "fluxtf: note: " + filepath.Join(out, `cl\nusters`) + " is not an environment folder"; len(lines) != 2 || !strings.HasPrefix(lines[0], want) {
		t.Errorf("stderr:\n%s\nwant a note on one line starting %q, and the summary", stderr, want)
	}
}
