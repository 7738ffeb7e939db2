package manifest

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/fastpath"
)

// kustomizationFolders returns the folders under root that hold a
// kustomization.
func kustomizationFolders(t *testing.T, root string) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isKustomizationName(d.Name()) {
			dirs = append(dirs, filepath.Dir(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

type docKey struct{ kind, namespace, name string }

func byKey(t *testing.T, set *Set) map[docKey]*Doc {
	t.Helper()
	m := map[docKey]*Doc{}
	for _, d := range set.Docs {
		k := docKey{d.Kind, d.Namespace, d.Name}
		if m[k] != nil {
			t.Errorf("%v appears twice", k)
		}
		m[k] = d
	}
	return m
}

// TestFastPathMatchesKrusty proves that reading plain kustomizations
// directly yields what kustomize builds, object for object: same ids, same
// content, same source file, index and line. Every kustomization of
// fixtures/clusters is plain; the fallback case looks plain but holds
// objects kustomize changes (a List, a local-config object, a non-string
// annotation), so it must go through krusty. Under FLUXTF_SLOW every
// kustomization goes through krusty.
func TestFastPathMatchesKrusty(t *testing.T) {
	t.Parallel()
	fixtures := kustomizationFolders(t, filepath.Join(repoRoot(t), "fixtures", "clusters"))
	if len(fixtures) < 3 {
		t.Fatalf("found only %d kustomizations under fixtures/clusters: %q", len(fixtures), fixtures)
	}
	type testCase struct {
		name     string
		dir      string
		wantFast bool
	}
	var tests []testCase
	for _, dir := range fixtures {
		rel, _ := filepath.Rel(repoRoot(t), dir)
		tests = append(tests, testCase{name: rel, dir: dir, wantFast: true})
	}
	tests = append(tests,
		testCase{name: "nested plain kustomizations", dir: "testdata/kust/plain", wantFast: true},
		testCase{name: "plain shape, objects kustomize changes", dir: "testdata/kust/fallback", wantFast: false},
	)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fast, err := Load([]string{tc.dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			slow, err := Load([]string{tc.dir}, Options{forceKrusty: true})
			if err != nil {
				t.Fatal(err)
			}
			// under FLUXTF_SLOW, krusty builds every kustomization
			wantFast := tc.wantFast && fastpath.Enabled(fastpath.Kustomize)
			for _, d := range fast.Docs {
				if d.built() == wantFast {
					t.Errorf("%s: built by krusty = %v, want %v", describe(d), d.built(), !wantFast)
				}
			}
			for _, d := range slow.Docs {
				if !d.built() {
					t.Errorf("%s: not built by krusty", describe(d))
				}
			}
			if len(fast.Docs) == 0 {
				t.Fatal("no objects")
			}
			f, s := byKey(t, fast), byKey(t, slow)
			if len(f) != len(s) {
				t.Errorf("fast path read %d objects, krusty built %d", len(f), len(s))
			}
			for k, sd := range s {
				fd := f[k]
				if fd == nil {
					t.Errorf("%v: built by krusty, missing from the fast path", k)
					continue
				}
				if !reflect.DeepEqual(fd.Object, sd.Object) {
					t.Errorf("%v: content differs\nfast:   %v\nkrusty: %v", k, fd.Object, sd.Object)
				}
				if describe(fd) != describe(sd) || fd.APIVersion != sd.APIVersion || fd.Kustomization != sd.Kustomization {
					t.Errorf("%v: located differently\nfast:   %s %s\nkrusty: %s %s", k, describe(fd), fd.Kustomization, describe(sd), sd.Kustomization)
				}
			}
			if !slices.Equal(fast.Files, slow.Files) {
				t.Errorf("files differ:\nfast:   %q\nkrusty: %q", fast.Files, slow.Files)
			}
		})
	}
}

// TestInMemoryFS loads the same trees from kustomize's in-memory file
// system (as a baseline read from git is) and from the disk.
func TestInMemoryFS(t *testing.T) {
	t.Parallel()
	mem := filesys.MakeFsInMemory()
	for _, root := range []string{"testdata/kust", "testdata/load", "testdata/errors"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return mem.WriteFile(path, data)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		paths []string
	}{
		{name: "plain files and folders", paths: []string{"testdata/load/folder", "testdata/load/multidoc/objects.yaml"}},
		{name: "plain kustomization", paths: []string{"testdata/kust/plain"}},
		{name: "kustomization built by krusty", paths: []string{"testdata/kust/overlay/dev"}},
		{name: "kustomization errors", paths: []string{"testdata/kust/missing", "testdata/kust/broken", "testdata/kust/remote"}},
		{name: "input errors", paths: []string{"testdata/errors", "testdata/nowhere"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			disk, diskErr := Load(tc.paths, Options{})
			inMem, memErr := Load(tc.paths, Options{FS: mem})
			if got, want := describeAll(inMem.Docs), describeAll(disk.Docs); !slices.Equal(got, want) {
				t.Errorf("docs:\nmemory: %q\ndisk:   %q", got, want)
			}
			// kustomize's own messages name the file system's errors,
			// which differ: compare up to them
			cut := func(list []string) []string {
				for i, s := range list {
					if before, _, ok := strings.Cut(s, ": failed to get"); ok {
						list[i] = before
					}
				}
				return list
			}
			if got, want := cut(errorStrings(t, memErr)), cut(errorStrings(t, diskErr)); !slices.Equal(got, want) {
				t.Errorf("errors:\nmemory: %q\ndisk:   %q", got, want)
			}
			for i := range disk.Docs {
				if i < len(inMem.Docs) && !reflect.DeepEqual(inMem.Docs[i].Object, disk.Docs[i].Object) {
					t.Errorf("%s: content differs", describe(disk.Docs[i]))
				}
			}
		})
	}
}
