package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// TestNestedKustomizationsAreBuilt: below a kustomization's folder, a
// folder with a kustomization of its own that nothing the parent builds
// reaches (a Flux repository's app folder, the spec.path of the Flux
// Kustomization beside it) is built on its own, as the walk builds one it
// meets outside any other, also further down and in an in-memory tree;
// its files are not "listed by no kustomization" of the parent. A nested
// folder the parent, or a nested build, reaches is built once, through
// it; a manifest no kustomization lists still gets the note, naming the
// nearest kustomization built.
func TestNestedKustomizationsAreBuilt(t *testing.T) {
	t.Parallel()
	ks := "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: %s, namespace: flux-system}\nspec:\n  interval: 1h\n  path: ./apps/%[1]s/app\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n"
	files := map[string]string{
		"apps/kustomization.yaml":                     "resources: [ns.yaml, one/ks.yaml, two/ks.yaml, listed]\n",
		"apps/ns.yaml":                                fmt.Sprintf(testCM, "ns"),
		"apps/one/ks.yaml":                            fmt.Sprintf(ks, "one"),
		"apps/one/app/kustomization.yaml":             "resources: [cm.yaml]\n",
		"apps/one/app/cm.yaml":                        fmt.Sprintf(testCM, "one"),
		"apps/one/app/stray.yaml":                     fmt.Sprintf(testCM, "stray"),
		"apps/one/app/deeper/kustomization.yaml":      "resources: [cm.yaml]\n",
		"apps/one/app/deeper/cm.yaml":                 fmt.Sprintf(testCM, "deeper"),
		"apps/two/ks.yaml":                            fmt.Sprintf(ks, "two"),
		"apps/two/app/kustomization.yaml":             "resources: [../base]\nnamePrefix: x-\n",
		"apps/two/base/kustomization.yaml":            "resources: [cm.yaml]\n",
		"apps/two/base/cm.yaml":                       fmt.Sprintf(testCM, "two"),
		"apps/listed/kustomization.yaml":              "resources: [cm.yaml]\n",
		"apps/listed/cm.yaml":                         fmt.Sprintf(testCM, "listed"),
		"apps/listed/inner/kustomization.yaml":        "resources: [cm.yaml]\n",
		"apps/listed/inner/cm.yaml":                   fmt.Sprintf(testCM, "inner"),
		"apps/.hidden/kustomization.yaml":             "resources: [cm.yaml]\n",
		"apps/.hidden/cm.yaml":                        fmt.Sprintf(testCM, "hidden"),
		"apps/two/app/unused/kustomization.yaml":      "resources: [missing.yaml]\n",
		"apps/two/app/unused/kustomization.yml":       "resources: [missing.yaml]\n",
		"apps/two/app/unused/cm.yaml":                 fmt.Sprintf(testCM, "unused"),
		"apps/one/app/deeper/not-listed/kustomiz.txt": "not YAML\n",
	}
	want := []string{"deeper", "inner", "listed", "ns", "one", "one", "two", "x-two"}
	check := func(t *testing.T, set *Set, err error, dir string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, d := range set.Docs {
			names = append(names, d.Name)
		}
		sort.Strings(names)
		if !slices.Equal(names, want) {
			t.Errorf("objects %q, want %q", names, want)
		}
		var unlisted []string
		for _, n := range set.Notes {
			if strings.Contains(n, "listed by no kustomization") {
				unlisted = append(unlisted, n)
			}
		}
		p := func(s string) string { return filepath.Join(dir, filepath.FromSlash(s)) }
		wantNotes := []string{
			fmt.Sprintf("%s is listed by no kustomization: %s builds its folder without it, so neither Flux nor fluxtf reads it (add it to resources, or name it on the command line to validate it)", p("apps/one/app/stray.yaml"), p("apps/one/app/kustomization.yaml")),
			fmt.Sprintf("%s is listed by no kustomization: %s builds its folder without it, so neither Flux nor fluxtf reads it (add it to resources, or name it on the command line to validate it)", p("apps/two/app/unused/cm.yaml"), p("apps/two/app/kustomization.yaml")),
		}
		sort.Strings(unlisted)
		if !slices.Equal(unlisted, wantNotes) {
			t.Errorf("notes:\n%q\nwant:\n%q", unlisted, wantNotes)
		}
	}
	t.Run("disk", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeTree(t, dir, files)
		set, err := Load([]string{dir}, Options{})
		check(t, set, err, dir)
	})
	t.Run("in memory", func(t *testing.T) {
		t.Parallel()
		fsys := filesys.MakeFsInMemory()
		for name, data := range files {
			if err := fsys.WriteFile("/repo/"+name, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		set, err := Load([]string{"/repo"}, Options{FS: fsys})
		check(t, set, err, "/repo")
	})
}

// TestNestedReachedThroughLinkOrDotDot: a nested kustomization folder that
// a built kustomization reaches through a symbolic link, or through a
// ".." chain that leaves the working directory and re-enters it (the path
// named relative, as on the command line), is reached: it is built once,
// through that kustomization, not a second time as a nested build (its
// objects twice: state-key-unique on every Terraform), and its files are
// not "listed by no kustomization". (Not parallel: it changes the working
// directory.)
func TestNestedReachedThroughLinkOrDotDot(t *testing.T) {
	for name, entry := range map[string]string{
		"link":    "applink",
		"dot-dot": "../../repo/apps/../apps/app",
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "repo")
			writeTree(t, dir, map[string]string{
				"apps/kustomization.yaml":     "resources:\n- " + entry + "\n",
				"apps/app/kustomization.yaml": "resources: [cm.yaml]\n",
				"apps/app/cm.yaml":            fmt.Sprintf(testCM, "app"),
			})
			if err := os.Symlink("app", filepath.Join(dir, "apps", "applink")); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			set, err := Load([]string{"apps"}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Docs) != 1 {
				t.Errorf("%d objects, want the one ConfigMap once", len(set.Docs))
			}
			for _, n := range set.Notes {
				if strings.Contains(n, "listed by no kustomization") {
					t.Errorf("note %q: the file is listed", n)
				}
			}
		})
	}
}

// TestNestedReachedFromDeeper: a nested folder (apps/z) that a nested
// build found further down (apps/x/y, below apps/x) reaches is built
// through that one only, as one found beside it is, not a second time on
// its own (its objects twice: state-key-unique on every Terraform).
func TestNestedReachedFromDeeper(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"apps/kustomization.yaml":     "resources: [cm.yaml]\n",
		"apps/cm.yaml":                fmt.Sprintf(testCM, "top"),
		"apps/x/kustomization.yaml":   "resources: [cm.yaml]\n",
		"apps/x/cm.yaml":              fmt.Sprintf(testCM, "x"),
		"apps/x/y/kustomization.yaml": "resources: [../../z]\n",
		"apps/z/kustomization.yaml":   "resources: [cm.yaml]\n",
		"apps/z/cm.yaml":              fmt.Sprintf(testCM, "z"),
	}
	dir := t.TempDir()
	writeTree(t, dir, files)
	set, err := Load([]string{filepath.Join(dir, "apps")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range set.Docs {
		names = append(names, d.Name)
	}
	sort.Strings(names)
	if want := []string{"top", "x", "z"}; !slices.Equal(names, want) {
		t.Errorf("objects %q, want %q", names, want)
	}
}
