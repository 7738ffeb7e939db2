package manifest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const testCM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"

// TestWalkSkipsYAMLThatIsNotKubernetes: a folder walk skips YAML files
// without a Kubernetes object (a Taskfile, Helm values, mkdocs.yml, a
// top-level list) with one note that counts them and names a few; a file
// with an apiVersion or a kind is a manifest, however broken, and a file
// named expect.yaml is a manifest like any other. Named on the command
// line, such a file stays an error.
func TestWalkSkipsYAMLThatIsNotKubernetes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"Taskfile.yml":           "version: '3'\ntasks:\n  build: {cmds: [go build ./...]}\n",
		"mkdocs.yml":             "site_name: docs\nnav: [index.md]\n",
		"charts/app/values.yaml": "replicaCount: 1\nimage: {repository: nginx}\n",
		"list.yaml":              "- a\n- b\n",
		"empty.yaml":             "# nothing\n",
		"expect.yaml":            fmt.Sprintf(testCM, "expected"),
		"app.yaml":               fmt.Sprintf(testCM, "app"),
		"broken.yaml":            "kind: ConfigMap\nmetadata: {name: broken}\n",
	})
	set, err := Load([]string{dir}, Options{})
	msgs := []string{}
	if err != nil {
		msgs = strings.Split(err.Error(), "\n")
	}
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], filepath.Join(dir, "broken.yaml")+":1:1: not a Kubernetes object") {
		t.Errorf("errors %q, want one for broken.yaml", msgs)
	}
	var names []string
	for _, d := range set.Docs {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, []string{"app", "expected"}) {
		t.Errorf("objects %q, want app and expected (expect.yaml is a manifest)", names)
	}
	want := fmt.Sprintf("skipped 4 YAML files without a Kubernetes object (neither a kind nor a Kubernetes apiVersion: a Taskfile, a workflow, Helm values, Grafana provisioning?): %s, %s, %s and 1 more; name a file on the command line to check it as a manifest",
		filepath.Join(dir, "Taskfile.yml"), filepath.Join(dir, "charts/app/values.yaml"), filepath.Join(dir, "list.yaml"))
	if !slices.Equal(set.Notes, []string{want}) {
		t.Errorf("notes:\n%q\nwant:\n%q", set.Notes, want)
	}
	for _, f := range set.Files {
		if strings.HasSuffix(f, "Taskfile.yml") {
			t.Errorf("a skipped file is in Files: %s", f)
		}
	}

	// named explicitly: an error, no note
	set, err = Load([]string{filepath.Join(dir, "Taskfile.yml")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "Taskfile.yml:1:1: not a Kubernetes object") || len(set.Notes) != 0 {
		t.Errorf("Taskfile.yml named: err %v, notes %q; want an error", err, set.Notes)
	}
}

// TestWalkReadsHiddenAsFlux: a folder walk reads hidden folders and
// hidden YAML files, as Flux's kustomize-controller does where it
// generates a kustomization, and skips, silently and without opening
// them, only what Flux's source artifact leaves out by default
// (fluxignore: .git, .github, .circleci, .sops.yaml, cloudbuild.yaml...).
// Hidden YAML that is no object (a linter's configuration) is a counted
// skip like any other; a file with an upper-case extension stays skipped
// with its note; nothing under a kustomization's folder is walked. An
// in-memory copy of the tree (a git commit) reads the same objects.
func TestWalkReadsHiddenAsFlux(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cm := func(name string) string { return fmt.Sprintf(testCM, name) }
	files := map[string]string{
		"app.yaml":                        cm("app"),
		"Deploy.YAML":                     cm("upper1"),
		"sub/Service.Yml":                 cm("upper2"),
		"Notes.YML":                       "title: not an object\n",
		".staging/sub/cm.yaml":            cm("staging"),
		".staging/README.md":              "kind: x\napiVersion: y\n",
		".tools/config.yaml":              "rules: {line-length: disable}\n",
		".app.yaml":                       cm("dotapp"),
		".pre-commit-config.yaml":         "repos: []\n",
		".github/kind-config.yaml":        cm("github"),
		".github/workflows/x.yaml":        cm("workflow"),
		".circleci/config.yml":            cm("circleci"),
		".git/x.yaml":                     cm("git"),
		".sops.yaml":                      cm("sops"),
		"sub/.flux.yaml":                  cm("flux"),
		"cloudbuild.yaml":                 cm("cloudbuild"),
		"other/.cache/.git/y.yaml":        cm("nestedgit"),
		"kust/kustomization.yaml":         "resources: [cm.yaml]\n",
		"kust/cm.yaml":                    cm("kust"),
		"kust/.hidden/cm.yaml":            cm("kusthidden"),
		"deep/.a/b/c/d/e/f/g/h/late.yaml": cm("late"),
		".built/kustomization.yaml":       "resources: [cm.yaml]\n",
		".built/cm.yaml":                  cm("built"),
	}
	writeTree(t, dir, files)
	// FIFOs where a walk must not open them: upper-case, or left out
	for _, fifo := range []string{"PIPE.YAML", ".github/p.yaml", ".git/p.yaml", ".sops.yaml.d/.sops.yaml"} {
		p := filepath.Join(dir, fifo)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantDocs := []string{"app", "built", "dotapp", "kust", "late", "staging"}
	want := []string{
		fmt.Sprintf("skipped 2 YAML files without a Kubernetes object (neither a kind nor a Kubernetes apiVersion: a Taskfile, a workflow, Helm values, Grafana provisioning?): %s, %s; name a file on the command line to check it as a manifest",
			filepath.Join(dir, ".pre-commit-config.yaml"), filepath.Join(dir, ".tools/config.yaml")),
		fmt.Sprintf("skipped 2 files with an upper-case extension holding a Kubernetes object, first %s: fluxtf, like Flux's kustomize-controller where it generates a kustomization, reads only .yaml and .yml files, so neither applies it; rename it to .yaml",
			filepath.Join(dir, "Deploy.YAML")),
	}
	check := func(what string, set *Set, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var names []string
		for _, d := range set.Docs {
			names = append(names, d.Name)
		}
		slices.Sort(names)
		if !slices.Equal(names, wantDocs) {
			t.Errorf("%s: objects %q, want %q", what, names, wantDocs)
		}
		if !slices.Equal(set.Notes, want) {
			t.Errorf("%s: notes:\n%q\nwant:\n%q", what, set.Notes, want)
		}
	}
	done := make(chan struct{})
	var set *Set
	var err error
	go func() {
		defer close(done)
		set, err = Load([]string{dir}, Options{})
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Load opened a FIFO")
	}
	check("on disk", set, err)

	// in memory (check's copy of a tree, a git commit): the same objects
	mem := filesys.MakeFsInMemory()
	for name, data := range files {
		if err := mem.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	set, err = Load([]string{dir}, Options{FS: mem})
	check("in memory", set, err)
}

// TestWalkSkipsHelmCharts: a folder walk skips a Helm chart (a folder
// with a Chart.yaml, which has an apiVersion but no kind, and templates
// that are not YAML) with one note naming it, as a real Flux repository
// with a charts/ folder needs; the manifests beside it are read, and a
// kustomization in a chart's folder is still built.
func TestWalkSkipsHelmCharts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"charts/app/Chart.yaml":                "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"charts/app/values.yaml":               "replicaCount: 1\n",
		"charts/app/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"app.fullname\" . }}\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\n",
		"charts/app/crds/crd.yaml":             "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\n",
		"charts/kust/Chart.yaml":               "apiVersion: v2\nname: kust\nversion: 0.1.0\n",
		"charts/kust/kustomization.yaml":       "resources: [cm.yaml]\n",
		"charts/kust/cm.yaml":                  fmt.Sprintf(testCM, "kustomized"),
		"app.yaml":                             fmt.Sprintf(testCM, "app"),
	})
	set, err := Load([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range set.Docs {
		names = append(names, d.Name)
	}
	if !slices.Equal(names, []string{"app", "kustomized"}) {
		t.Errorf("objects %q, want app and kustomized", names)
	}
	want := "skipped 1 Helm chart (a folder with a Chart.yaml: Flux installs a chart through a HelmRelease, and its templates are not YAML): " + filepath.Join(dir, "charts", "app") + "; fluxtf does not render charts"
	if !slices.Contains(set.Notes, want) {
		t.Errorf("notes %q, want %q", set.Notes, want)
	}
}

// TestSpecialFileNamedIsNotOpened: a FIFO (or any file that is not a
// regular file) named on the command line is an error, and is never
// opened: opening a FIFO blocks until a writer comes.
func TestSpecialFileNamedIsNotOpened(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no FIFOs here: %v", err)
		}
		t.Skipf("no FIFOs here: %v", err)
	}
	for _, p := range []string{fifo, "/dev/null"} {
		done := make(chan error, 1)
		go func() {
			_, err := Load([]string{p}, Options{})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), p+": is not a regular file (") {
				t.Errorf("%s: err %v, want not a regular file", p, err)
			}
		case <-time.After(30 * time.Second):
			// a writer releases the blocked open, so the test ends
			if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				_ = f.Close()
			}
			t.Fatalf("%s: Load blocked on it", p)
		}
	}
}

// TestUnlistedManifestsGetANote: in a kustomization's folder, a manifest
// that no kustomization reached lists (directly, or as a patch, a
// generator file, a component...) is not read, and a note names it;
// named on the command line it is read, and the note drops it.
func TestUnlistedManifestsGetANote(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"kustomization.yaml":     "resources: [a.yaml, sub]\npatches:\n- path: patch.yaml\n",
		"a.yaml":                 fmt.Sprintf(testCM, "a"),
		"patch.yaml":             fmt.Sprintf(testCM, "a"),
		"sub/kustomization.yaml": "resources: [b.yaml]\nconfigMapGenerator:\n- name: g\n  envs: [g.env]\n",
		"sub/b.yaml":             fmt.Sprintf(testCM, "b"),
		"sub/g.env":              "k=v\n",
		"extra.yaml":             fmt.Sprintf(testCM, "extra"),
		"deeper/c.yml":           fmt.Sprintf(testCM, "c"),
		".hidden/x.yaml":         fmt.Sprintf(testCM, "x"),
		"notes.txt":              "not YAML\n",
	})
	kust := filepath.Join(dir, "kustomization.yaml")
	tests := []struct {
		name  string
		paths []string
		note  string
		extra bool // extra.yaml's object is read
	}{
		{name: "the folder", paths: []string{dir},
			note: fmt.Sprintf("2 manifests are listed by no kustomization: %s builds their folder without them, so neither Flux nor fluxtf reads them (add them to resources, or name them on the command line to validate them): %s, %s", kust, filepath.Join(dir, "deeper/c.yml"), filepath.Join(dir, "extra.yaml"))},
		{name: "the folder and the file", paths: []string{dir, filepath.Join(dir, "extra.yaml")}, extra: true,
			note: fmt.Sprintf("%s is listed by no kustomization: %s builds its folder without it, so neither Flux nor fluxtf reads it (add it to resources, or name it on the command line to validate it)", filepath.Join(dir, "deeper/c.yml"), kust)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			set, err := Load(tt.paths, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(set.Notes, []string{tt.note}) {
				t.Errorf("notes:\n%q\nwant:\n%q", set.Notes, tt.note)
			}
			got := false
			for _, d := range set.Docs {
				got = got || d.Name == "extra"
			}
			if got != tt.extra {
				t.Errorf("extra.yaml read: %v, want %v", got, tt.extra)
			}
		})
	}
}

// TestBudget: the loads of a run share one budget of bytes and objects;
// going over it is one error (ErrBudget) and no objects, and a load whose
// result is dropped can give back what it took.
func TestBudget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 4 {
		files[fmt.Sprintf("f%d.yaml", i)] = fmt.Sprintf(testCM, fmt.Sprintf("a%d", i)) + "---\n" + fmt.Sprintf(testCM, fmt.Sprintf("b%d", i))
	}
	writeTree(t, dir, files)
	size := int64(len(files["f0.yaml"]))

	over := func(t *testing.T, err error, what string) {
		t.Helper()
		var be *BudgetError
		if !errors.Is(err, ErrBudget) || !errors.As(err, &be) || be.What != what || strings.Count(err.Error(), "\n") != 0 {
			t.Errorf("err %v, want one line: over the budget of %s", err, what)
		}
	}
	t.Run("objects", func(t *testing.T) {
		t.Parallel()
		set, err := Load([]string{dir}, Options{Budget: NewBudget(0, 7)})
		over(t, err, "objects")
		if len(set.Docs) != 0 {
			t.Errorf("%d objects returned over the budget", len(set.Docs))
		}
	})
	t.Run("bytes", func(t *testing.T) {
		t.Parallel()
		_, err := Load([]string{dir}, Options{Budget: NewBudget(3*size, 0)})
		over(t, err, "bytes")
	})
	t.Run("fits exactly", func(t *testing.T) {
		t.Parallel()
		set, err := Load([]string{dir}, Options{Budget: NewBudget(4*size, 8)})
		if err != nil || len(set.Docs) != 8 || set.Charge != (Charge{Bytes: 4 * size, Objects: 8}) {
			t.Errorf("err %v, %d objects, charge %+v", err, len(set.Docs), set.Charge)
		}
	})
	t.Run("shared by two loads, refunded", func(t *testing.T) {
		t.Parallel()
		b := NewBudget(0, 12)
		first, err := Load([]string{dir}, Options{Budget: b})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Load([]string{dir}, Options{Budget: b})
		over(t, err, "objects") // 8 + 8 > 12
		b.Refund(first.Charge)
		if _, err := Load([]string{dir}, Options{Budget: b}); err != nil {
			t.Errorf("after the refund: %v", err)
		}
	})
	t.Run("a kustomization's output counts", func(t *testing.T) {
		t.Parallel()
		k := t.TempDir()
		writeTree(t, k, map[string]string{
			"kustomization.yaml": "resources: [a.yaml]\nconfigMapGenerator:\n- {name: g1, literals: [a=b]}\n- {name: g2, literals: [a=b]}\n",
			"a.yaml":             fmt.Sprintf(testCM, "a"),
		})
		_, err := Load([]string{k}, Options{Budget: NewBudget(0, 2)})
		over(t, err, "objects") // a.yaml's 1, then the build's 3
	})
}
