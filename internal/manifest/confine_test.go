package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// TestKustomizeNeverFetches lists an http:// entry under every field
// kustomize loads from; the local server must see no request and the
// entry must be an input error at its line.
func TestKustomizeNeverFetches(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/x.yaml"
	// says is what the error says (default: remote reference)
	tests := []struct{ name, kust, says string }{
		{name: "patches", kust: "patches:\n- path: " + u + "\n"},
		{name: "PATCHES upper case", kust: "PATCHES:\n- path: " + u + "\n"},
		{name: "patchesStrategicMerge", kust: "patchesStrategicMerge:\n- " + u + "\n"},
		{name: "patchesJson6902", kust: "patchesJson6902:\n- path: " + u + "\n  target: {kind: ConfigMap, name: a}\n"},
		{name: "configMapGenerator files", kust: "configMapGenerator:\n- name: x\n  files:\n  - " + u + "\n"},
		{name: "configMapGenerator envs", kust: "configMapGenerator:\n- name: x\n  envs:\n  - " + u + "\n"},
		{name: "secretGenerator", kust: "secretGenerator:\n- name: x\n  files:\n  - k=" + u + "\n"},
		{name: "openapi", kust: "openapi:\n  path: " + u + "\n"},
		{name: "crds", kust: "crds:\n- " + u + "\n"},
		{name: "configurations", kust: "configurations:\n- " + u + "\n"},
		{name: "replacements", kust: "replacements:\n- path: " + u + "\n"},
		{name: "generators", kust: "generators:\n- " + u + "\n"},
		{name: "transformers", kust: "transformers:\n- " + u + "\n"},
		{name: "validators", kust: "validators:\n- " + u + "\n"},
		{name: "helmCharts", kust: "helmCharts:\n- name: x\n  repo: " + srv.URL + "\n", says: "does not inflate Helm charts"},
		{name: "inline generator config", kust: "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: x}\n  files: [" + u + "]\n"},
		// encoding/json, which kustomize decodes with, matches keys under
		// Unicode folding: a long s (U+017F) is an s, a Kelvin sign an K
		{name: "secretGenerator spelt with a long s", kust: "\u017fecretGenerator:\n- name: x\n  files:\n  - " + u + "\n"},
		{name: "resources spelt with a long s", kust: "re\u017fources:\n- a.yaml\n- " + u + "\n"},
		{name: "configMapGenerator files spelt with a long s", kust: "configMapGenerator:\n- name: x\n  file\u017f:\n  - " + u + "\n"},
		{name: "inline generator config field spelt with a long s", kust: "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: x}\n  file\u017f: [" + u + "]\n"},
		// YAML, but no object: kustomize reads it as a path, and fetches it
		{name: "patchesStrategicMerge entry that is a mapping", kust: "patchesStrategicMerge:\n- \"" + u + ": y\"\n"},
		{name: "patchesStrategicMerge entry that is a mapping with a query", kust: "patchesStrategicMerge:\n- \"" + u + "?a=b: c\"\n"},
		// no host: nothing is fetched, but kustomize's loader takes it for
		// a URL, and fluxtf refuses it before the build, at its line
		{name: "http with one slash", kust: "configMapGenerator:\n- name: x\n  files:\n  - http:/" + strings.TrimPrefix(u, "http://") + "\n"},
		{name: "http with backslashes", kust: "configMapGenerator:\n- name: x\n  files:\n  - 'http:\\\\" + strings.TrimPrefix(u, "http://") + "'\n"},
		{name: "inline generator config without a name", kust: "generators:\n- \"" + u + ": y\"\n", says: "needs a kind and a metadata.name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources: [a.yaml]\n"+tc.kust), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load([]string{dir}, Options{})
			says := tc.says
			if says == "" {
				says = "remote reference"
			}
			if err == nil || !strings.Contains(err.Error(), "kustomization.yaml:") || !strings.Contains(err.Error(), says) {
				t.Errorf("err = %v, want an error at the kustomization's line saying %q", err, says)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

// TestKustomizeNeverRunsGit lists, under resources, entries that
// kustomize would clone with git rather than read from the disk: git on
// PATH (a stand-in that records its arguments) must never run, and the
// entry must be an input error at its line. A folder of the entry's name
// exists, so that only the entry's form, not a missing path, stops it.
func TestKustomizeNeverRunsGit(t *testing.T) {
	bin := t.TempDir()
	ran := filepath.Join(bin, "ran")
	script := "#!/bin/sh\necho \"$@\" >> " + ran + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	tests := []struct{ name, entry, kust string }{
		// kustomize takes a leading user@ as an SSH URL, colon or not
		{name: "user@host/path", entry: "git@localhost/org/repo", kust: "resources:\n- a.yaml\n- git@localhost/org/repo\nnamePrefix: p-\n"},
		{name: "components user@host/path", entry: "deploy@localhost/org/repo", kust: "resources:\n- a.yaml\ncomponents:\n- deploy@localhost/org/repo\n"},
		{name: "resources spelt with a long s", entry: "ssh:/x", kust: "resources:\n- a.yaml\nre\u017fources:\n- a.yaml\n- ssh://git@127.0.0.1:1/org/repo\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"a.yaml":             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
				"kustomization.yaml": tc.kust,
				filepath.Join(tc.entry, "kustomization.yaml"): "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
			}
			for name, data := range files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load([]string{dir}, Options{})
			if err == nil || !strings.Contains(err.Error(), "kustomization.yaml:") || !strings.Contains(err.Error(), "remote reference") {
				t.Errorf("err = %v, want a remote reference error at the kustomization's line", err)
			}
			if data, _ := os.ReadFile(ran); len(data) > 0 {
				t.Errorf("git ran: %s", data)
			}
		})
	}
}

// TestKustomizeLogIsNotes: what kustomize logs while building (here an
// unused var whose name holds a new line, a workflow command and an escape
// sequence) is not written to stderr but becomes a note, which every
// format escapes.
func TestKustomizeLogIsNotes(t *testing.T) {
	dir := t.TempDir()
	name := "X\n::error file=a.yaml::injected\x1b]0;title\a"
	files := map[string]string{
		"a.yaml":             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		"kustomization.yaml": "resources: [a.yaml]\nvars:\n- name: " + strconv.Quote(name) + "\n  objref: {kind: ConfigMap, name: a, apiVersion: v1}\n  fieldref: {fieldpath: metadata.name}\n",
	}
	for f, data := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var logged bytes.Buffer
	prev := log.Writer()
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(prev) })
	set, err := Load([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if logged.Len() > 0 {
		t.Errorf("kustomize wrote to the log: %q", logged.String())
	}
	want := "kustomize, building " + filepath.Join(dir, "kustomization.yaml") + ": well-defined vars that were never replaced: " + name
	if !slices.Contains(set.Notes, want) {
		t.Errorf("notes %q, want %q", set.Notes, want)
	}
}

// TestKustomizeConfined: an entry naming a file outside the repository
// root (an absolute path, a `..` chain, a symbolic link that leads out,
// /proc/self/environ) under every field kustomize loads files from is an
// input error at the entry's line, and nothing of the outside file
// reaches an error or an object.
func TestKustomizeConfined(t *testing.T) {
	t.Parallel()
	const secret = "TOKEN=s3cr3t-outside-the-root"
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	app := filepath.Join(repo, "app")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(repo, ".git"), app, filepath.Join(outside, "comp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(outside, "secret.env"):                 secret + "\n",
		filepath.Join(outside, "comp", "kustomization.yaml"): "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- name: c\n  envs: [../secret.env]\n",
		filepath.Join(app, "a.yaml"):                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
	}
	for p, data := range files {
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		filepath.Join(app, "secret-link.env"): filepath.Join(outside, "secret.env"),
		filepath.Join(app, "out"):             outside,
	} {
		if err := os.Symlink(target, link); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("no symbolic links here: %v", err)
			}
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	// where each field puts the entry E, and the line of the entry
	fields := []struct {
		name, kust string
		line       int
	}{
		{name: "configMapGenerator files", kust: "configMapGenerator:\n- name: x\n  files:\n  - E\n", line: 4},
		{name: "configMapGenerator files key=path", kust: "configMapGenerator:\n- name: x\n  files:\n  - key=E\n", line: 4},
		{name: "configMapGenerator envs", kust: "configMapGenerator:\n- name: x\n  envs:\n  - E\n", line: 4},
		{name: "configMapGenerator env", kust: "configMapGenerator:\n- name: x\n  env: E\n", line: 3},
		{name: "secretGenerator files", kust: "secretGenerator:\n- name: x\n  files:\n  - E\n", line: 4},
		{name: "secretGenerator envs", kust: "secretGenerator:\n- name: x\n  envs:\n  - E\n", line: 4},
		{name: "resources", kust: "resources:\n- E\n", line: 2},
		{name: "bases", kust: "bases:\n- E\n", line: 2},
		{name: "components", kust: "components:\n- E\n", line: 2},
		{name: "patches path", kust: "patches:\n- path: E\n  target: {kind: ConfigMap}\n", line: 2},
		{name: "patchesStrategicMerge", kust: "patchesStrategicMerge:\n- E\n", line: 2},
		{name: "patchesJson6902 path", kust: "patchesJson6902:\n- path: E\n  target: {version: v1, kind: ConfigMap, name: a}\n", line: 2},
		{name: "replacements path", kust: "replacements:\n- path: E\n", line: 2},
		{name: "openapi path", kust: "openapi:\n  path: E\n", line: 2},
		{name: "crds", kust: "crds:\n- E\n", line: 2},
		{name: "configurations", kust: "configurations:\n- E\n", line: 2},
		{name: "generators file", kust: "generators:\n- E\n", line: 2},
		{name: "transformers file", kust: "transformers:\n- E\n", line: 2},
		{name: "generators inline ConfigMapGenerator", kust: "generators:\n- |\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata: {name: x}\n  files: [E]\n", line: 2},
		{name: "transformers inline PatchTransformer", kust: "transformers:\n- |\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata: {name: x}\n  path: E\n", line: 2},
	}
	// what E is, and what the error says of it
	escapes := []struct{ name, entry, says string }{
		{name: "environ", entry: "/proc/self/environ", says: "is an absolute path"},
		{name: "absolute", entry: "/etc/passwd", says: "is an absolute path"},
		{name: "absolute into the outside", entry: filepath.Join(outside, "secret.env"), says: "is an absolute path"},
		{name: "dotdot chain", entry: "../../../../../../../../../../etc/passwd", says: "is outside the repository root"},
		{name: "dotdot to a file", entry: "../../outside/secret.env", says: "is outside the repository root"},
		{name: "symlinked file", entry: "secret-link.env", says: "leads through a symbolic link to"},
		{name: "symlinked folder", entry: "out/secret.env", says: "leads through a symbolic link to"},
		{name: "symlinked component folder", entry: "out/comp", says: "leads through a symbolic link to"},
	}
	for _, f := range fields {
		for _, e := range escapes {
			t.Run(f.name+"/"+e.name, func(t *testing.T) {
				t.Parallel()
				// each case its own copy of app/, beside the links
				caseDir := filepath.Join(app, strings.NewReplacer(" ", "-", "/", "-", "=", "-").Replace(f.name+"-"+e.name))
				if err := os.Mkdir(caseDir, 0o755); err != nil {
					t.Fatal(err)
				}
				entry := e.entry
				if !filepath.IsAbs(entry) && !strings.HasPrefix(entry, "..") {
					entry = "../" + entry // the links live in app/
				} else if strings.HasPrefix(entry, "..") {
					entry = "../" + entry
				}
				kust := strings.ReplaceAll(f.kust, "E", entry)
				kfile := filepath.Join(caseDir, "kustomization.yaml")
				if err := os.WriteFile(kfile, []byte(kust), 0o644); err != nil {
					t.Fatal(err)
				}
				set, err := Load([]string{caseDir}, Options{})
				if err == nil {
					t.Fatalf("no error; docs %q", describeAll(set.Docs))
				}
				msgs := errorStrings(t, err)
				at := fmt.Sprintf("%s:%d:", kfile, f.line)
				found := false
				for _, m := range msgs {
					if strings.HasPrefix(m, at) && strings.Contains(m, strconv.Quote(entry)) && strings.Contains(m, e.says) {
						found = true
					}
					for _, leak := range []string{"s3cr3t", "root:x:", "PATH="} {
						if strings.Contains(m, leak) {
							t.Errorf("the outside file's content reached an error: %s", m)
						}
					}
				}
				if !found {
					t.Errorf("errors %q, want one at %s naming %q and saying %q", msgs, at, entry, e.says)
				}
				if len(set.Docs) != 0 {
					t.Errorf("objects of a kustomization that reads outside the root: %q", describeAll(set.Docs))
				}
			})
		}
	}
}

// TestConfinedFSRefusesOutside: the build's file system (the second lock,
// behind checkRefs) refuses every read outside its root, through `..` and
// through symbolic links, and every write.
func TestConfinedFSRefusesOutside(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(base, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cr3t"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "in.yaml"), []byte("in"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(root, "link.txt")); err != nil {
		t.Fatal(err)
	}
	c := confinedFS{FileSystem: filesys.MakeFsOnDisk(), root: realPath(root)}
	if data, err := c.ReadFile(filepath.Join(root, "in.yaml")); err != nil || string(data) != "in" {
		t.Fatalf("inside: %q %v", data, err)
	}
	for _, p := range []string{secret, filepath.Join(root, "..", "secret.txt"), filepath.Join(root, "link.txt"), "/proc/self/environ", "/etc/passwd"} {
		if data, err := c.ReadFile(p); !errors.Is(err, errOutside) || data != nil {
			t.Errorf("ReadFile(%s) = %q, %v; want errOutside", p, data, err)
		}
		if f, err := c.Open(p); !errors.Is(err, errOutside) || f != nil {
			t.Errorf("Open(%s) = %v; want errOutside", p, err)
		}
		if c.Exists(p) {
			t.Errorf("Exists(%s)", p)
		}
	}
	if err := c.WriteFile(filepath.Join(root, "new.yaml"), []byte("x")); err == nil {
		t.Error("WriteFile inside the root succeeded")
	}
}

// TestResolverMatchesRealPath holds the analysis's remembering resolver
// to realPath(absPath(p)) and within over a tree with every kind of path
// an entry can name: files, folders, links to files and folders inside
// and outside, a link to a link, dangling links, a path through a file,
// missing paths below a link, relative paths; each path is resolved twice
// (the second answer comes from memory) and after its folder (so the
// folder's real path is remembered first), by Lstat and from the
// folders' listings.
func TestResolverMatchesRealPath(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{root + "/a/b", root + "/c", outside + "/o"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{root + "/a/b/f.yaml", root + "/c/g.yaml", outside + "/o/x.yaml"} {
		if err := os.WriteFile(f, []byte("k: v\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		root + "/a/linkdir":  "b",                   // a folder inside
		root + "/a/linkfile": "b/f.yaml",            // a file inside
		root + "/c/out":      "../../outside/o",     // a folder outside
		root + "/c/outfile":  outside + "/o/x.yaml", // a file outside, absolute
		root + "/c/chain":    "../a/linkdir",        // a link to a link
		root + "/c/dangling": "nowhere",             // dangling
		root + "/c/loop1":    "loop2",               // a loop
		root + "/c/loop2":    "loop1",
		root + "/linkrepo":   ".", // a link to its own folder
	}
	for l, target := range links {
		if err := os.Symlink(target, l); err != nil {
			t.Fatal(err)
		}
	}
	rel, err := filepath.Rel(mustGetwd(t), root+"/a/b/f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{
		root, root + "/a", root + "/a/b", root + "/a/b/f.yaml", root + "/a/b/missing.yaml",
		root + "/a/linkdir", root + "/a/linkdir/f.yaml", root + "/a/linkdir/missing/deeper.yaml",
		root + "/a/linkfile", root + "/c/out", root + "/c/out/x.yaml", root + "/c/outfile",
		root + "/c/chain/f.yaml", root + "/c/dangling", root + "/c/dangling/x.yaml",
		root + "/c/loop1", root + "/c/loop1/x", root + "/linkrepo/a/linkdir/f.yaml",
		root + "/a/b/f.yaml/through-a-file", root + "/missing/a/b.yaml", root + "/c/../a/b/f.yaml",
		rel, "/", outside,
	}
	// answered by Lstat, and (served) from the folders' listings
	plain, served := newResolver(), newResolver()
	served.serve(root)
	for pass := range 4 {
		r := served
		if pass < 2 {
			r = plain
		}
		for _, p := range paths {
			want := realPath(absPath(p))
			if got := r.real(r.abs(p)); got != want {
				t.Errorf("pass %d: resolver real(%s) = %s, realPath = %s", pass, p, got, want)
			}
			wantReal, wantIn := within(root, p)
			if gotReal, gotIn := r.within(root, p); gotReal != wantReal || gotIn != wantIn {
				t.Errorf("pass %d: resolver within(%s) = %s, %v; within = %s, %v", pass, p, gotReal, gotIn, wantReal, wantIn)
			}
			fsys := filesys.MakeFsOnDisk()
			if exists, isDir := r.kind(fsys, p); exists != fsys.Exists(p) || isDir != fsys.IsDir(p) {
				t.Errorf("pass %d: resolver kind(%s) = %v, %v; file system says %v, %v", pass, p, exists, isDir, fsys.Exists(p), fsys.IsDir(p))
			}
		}
	}
}

// TestResolverStatsEachPathOnce: the entries of the kustomizations of a
// run cost one Lstat each, however deep their folder, not one per element
// of their path (as filepath.EvalSymlinks does), and nothing when asked
// again.
func TestResolverStatsEachPathOnce(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b", "c", "d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r := newResolver()
	calls := map[string]int{}
	r.lstat = func(p string) (os.FileInfo, error) {
		calls[p]++
		return os.Lstat(p)
	}
	const n = 50
	for range 2 {
		for i := range n {
			p := filepath.Join(dir, fmt.Sprintf("f%d.yaml", i))
			r.within("/", p)
			r.kind(filesys.MakeFsOnDisk(), p)
		}
	}
	total := 0
	for p, c := range calls {
		if c > 1 {
			t.Errorf("%s: %d Lstat calls, want 1", p, c)
		}
		total += c
	}
	// n files, and each folder from the root down once
	if depth := strings.Count(dir, string(filepath.Separator)); total > n+depth {
		t.Errorf("%d Lstat calls for %d files in a folder %d deep, want at most %d", total, n, depth, n+depth)
	}
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// TestLoadListsEachFolderOnce: reading a tree of rendered environments
// (a kustomization per environment listing the files of its target
// folders) lists each folder once, for the walk, the analysis and the
// note on unlisted manifests together, and stats nothing inside the
// folder named: the listings give every entry's type. (It took an Lstat
// per entry and per kustomization name probed, two listings of every
// folder, and eight stats per environment folder for the walk.)
func TestLoadListsEachFolderOnce(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "out")
	folders := 1
	for e := range 5 {
		env := filepath.Join(root, fmt.Sprintf("env%d", e))
		var resources []string
		for _, target := range []string{"t1", "t2"} {
			if err := os.MkdirAll(filepath.Join(env, target), 0o755); err != nil {
				t.Fatal(err)
			}
			for f := range 3 {
				name := fmt.Sprintf("c%d.yaml", f)
				doc := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env%d-%s-c%d\n", e, target, f)
				if err := os.WriteFile(filepath.Join(env, target, name), []byte(doc), 0o644); err != nil {
					t.Fatal(err)
				}
				resources = append(resources, "- "+target+"/"+name)
			}
		}
		k := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + strings.Join(resources, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(env, "kustomization.yaml"), []byte(k), 0o644); err != nil {
			t.Fatal(err)
		}
		folders += 3
	}
	res := newResolver()
	res.foldsCase = false // the count on a case-sensitive file system
	lstats, lists := map[string]int{}, map[string]int{}
	res.lstat = func(p string) (os.FileInfo, error) {
		lstats[p]++
		return os.Lstat(p)
	}
	res.readDir = func(p string) ([]os.DirEntry, error) {
		lists[p]++
		return os.ReadDir(p)
	}
	set, err := Load([]string{root}, Options{res: res})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Docs) != 30 || len(set.Notes) != 0 {
		t.Fatalf("%d objects, notes %q; want 30 objects and no note", len(set.Docs), set.Notes)
	}
	if len(lists) != folders {
		t.Errorf("%d folders listed, want %d: %v", len(lists), folders, lists)
	}
	for p, n := range lists {
		if n != 1 {
			t.Errorf("%s listed %d times, want once", p, n)
		}
	}
	for p, n := range lstats {
		if strings.HasPrefix(p, root+string(filepath.Separator)) || n != 1 {
			t.Errorf("Lstat of %s (%d times); want none inside %s and one of each folder above it", p, n, root)
		}
	}
}

// TestResolverAsksLstatWhereNamesFoldCase: on a file system that matches
// names regardless of case (macOS, Windows), a name a folder's listing
// lacks is asked of Lstat, which finds deploy.yaml for "Deploy.yaml";
// elsewhere the listing's answer stands.
func TestResolverAsksLstatWhereNamesFoldCase(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "deploy.yaml"), []byte("k: v\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	asked := filepath.Join(root, "Deploy.yaml")
	for _, folds := range []bool{false, true} {
		r := newResolver()
		r.foldsCase = folds
		r.lstat = func(p string) (os.FileInfo, error) {
			if p == asked { // as a case-folding file system answers
				return os.Lstat(filepath.Join(root, "deploy.yaml"))
			}
			return os.Lstat(p)
		}
		r.serve(root)
		if got := r.info(asked).exists; got != folds {
			t.Errorf("foldsCase %v: %s exists = %v, want %v", folds, asked, got, folds)
		}
		if !r.info(filepath.Join(root, "deploy.yaml")).exists {
			t.Errorf("foldsCase %v: deploy.yaml, listed, not found", folds)
		}
	}
}
