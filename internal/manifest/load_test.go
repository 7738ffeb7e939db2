package manifest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/yamlx"
)

// describe renders a Doc as "file#index Kind/name@line:col" with file
// relative to testdata/.
func describe(d *Doc) string {
	return fmt.Sprintf("%s#%d %s/%s@%d:%d", strings.TrimPrefix(d.File, "testdata/"), d.Index, d.Kind, d.Name, d.Line, d.column)
}

func describeAll(docs []*Doc) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = describe(d)
	}
	return out
}

func trimTestdata(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.TrimPrefix(s, "testdata/")
	}
	return out
}

// errorStrings checks that err is a yamlx.ErrorList and renders it.
func errorStrings(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var list yamlx.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is a %T, not a yamlx.ErrorList: %v", err, err)
	}
	return trimTestdata(strings.Split(list.Error(), "\n"))
}

func TestLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		paths     []string
		opts      Options
		wantDocs  []string
		wantFiles []string // when set, Set.Files
		wantErrs  []string
	}{
		{
			name:      "a file",
			paths:     []string{"testdata/load/file/gitrepository.yaml"},
			wantDocs:  []string{"load/file/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@1:1"},
			wantFiles: []string{"load/file/gitrepository.yaml"},
		},
		{
			name:  "multi-document file with empty and comment-only documents",
			paths: []string{"testdata/load/multidoc/objects.yaml"},
			wantDocs: []string{
				"load/multidoc/objects.yaml#1 GitRepository/jeppesen-eks-dev@4:1",
				"load/multidoc/objects.yaml#3 ConfigMap/settings@15:1",
			},
		},
		{
			name:  "folder: recursive and sorted; hidden files and folders read, as Flux reads them; non-YAML and YAML without an object (expect.yaml here) skipped",
			paths: []string{"testdata/load/folder/"},
			wantDocs: []string{
				"load/folder/.dot.yaml#0 ConfigMap/a@1:1",
				"load/folder/.hidden/c.yaml#0 ConfigMap/a@1:1",
				"load/folder/a.yaml#0 ConfigMap/a@1:1",
				"load/folder/deeper/d.yaml#0 ConfigMap/d@1:1",
				"load/folder/sub/b.yml#0 ConfigMap/b@1:1",
			},
			wantFiles: []string{"load/folder/.dot.yaml", "load/folder/.hidden/c.yaml", "load/folder/a.yaml", "load/folder/comments.yaml", "load/folder/deeper/d.yaml", "load/folder/sub/b.yml"},
		},
		{
			name:  "a List's items are objects of their own, as kustomize inlines them",
			paths: []string{"testdata/load/list"},
			wantDocs: []string{
				"load/list/list.yaml#0 GitRepository/jeppesen-eks-dev@5:3",
				"load/list/list.yaml#0 ConfigMap/settings@15:3",
				"load/list/list.yaml#2 NotAList/plain@24:1",
			},
		},
		{
			name:     "a List item that is not an object",
			paths:    []string{"testdata/listerr"},
			wantErrs: []string{"listerr/list.yaml:8:3: items[1]: not a Kubernetes object: apiVersion and kind are required (apiVersion and kind missing)"},
		},
		{
			name:     "expect.yaml named explicitly is read",
			paths:    []string{"testdata/load/folder/expect.yaml"},
			wantErrs: []string{"load/folder/expect.yaml:1:1: not a Kubernetes object: apiVersion and kind are required (apiVersion and kind missing)"},
		},
		{
			name:     "a path given twice is read once",
			paths:    []string{"testdata/load/file", "testdata/load/file/gitrepository.yaml", "./testdata/load/file/"},
			wantDocs: []string{"load/file/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@1:1"},
		},
		{
			name:     "missing path",
			paths:    []string{"testdata/no/such/place", "testdata/load/file"},
			wantDocs: []string{"load/file/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@1:1"},
			wantErrs: []string{"no/such/place: no such file or folder"},
		},
		{
			name:     "bad YAML names the line",
			paths:    []string{"testdata/errors/badyaml.yaml"},
			wantErrs: []string{"errors/badyaml.yaml:6: invalid YAML: did not find expected ',' or ']'"},
		},
		{
			name:     "a document that is not a mapping; the file's other objects are left out",
			paths:    []string{"testdata/errors/notobject.yaml"},
			wantErrs: []string{"errors/notobject.yaml:6:1: not a Kubernetes object: apiVersion and kind are required; this document is a sequence, not a mapping"},
		},
		{
			name:  "documents without kind or apiVersion, each reported",
			paths: []string{"testdata/errors/nokind.yaml"},
			wantErrs: []string{
				"errors/nokind.yaml:1:1: not a Kubernetes object: apiVersion and kind are required (kind missing)",
				"errors/nokind.yaml:5:1: not a Kubernetes object: apiVersion and kind are required (apiVersion missing)",
			},
		},
		{
			name:  "every bad file of a folder at once",
			paths: []string{"testdata/errors", "testdata/load/file"},
			wantDocs: []string{
				"load/file/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@1:1",
			},
			wantErrs: []string{
				"errors/badyaml.yaml:6: invalid YAML: did not find expected ',' or ']'",
				"errors/nokind.yaml:1:1: not a Kubernetes object: apiVersion and kind are required (kind missing)",
				"errors/nokind.yaml:5:1: not a Kubernetes object: apiVersion and kind are required (apiVersion missing)",
				"errors/notobject.yaml:6:1: not a Kubernetes object: apiVersion and kind are required; this document is a sequence, not a mapping",
			},
		},
		{
			name:  "plain kustomization: only what it lists, at exact positions",
			paths: []string{"testdata/kust/plain"},
			wantDocs: []string{
				"kust/plain/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@2:1",
				"kust/plain/targets/eks.yaml#0 Terraform/dev-eks@1:1",
				"kust/plain/targets/eks.yaml#1 Terraform/dev-karpenter@13:1",
			},
			wantFiles: []string{
				"kust/plain/gitrepository.yaml", "kust/plain/kustomization.yaml",
				"kust/plain/targets/eks.yaml", "kust/plain/targets/kustomization.yaml",
			},
		},
		{
			name:  "a file of a kustomization named too is not read twice",
			paths: []string{"testdata/kust/plain/gitrepository.yaml", "testdata/kust/plain"},
			wantDocs: []string{
				"kust/plain/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@2:1",
				"kust/plain/targets/eks.yaml#0 Terraform/dev-eks@1:1",
				"kust/plain/targets/eks.yaml#1 Terraform/dev-karpenter@13:1",
			},
		},
		{
			name:  "NoKustomize walks the folder as written",
			paths: []string{"testdata/kust/plain"},
			opts:  Options{NoKustomize: true},
			wantDocs: []string{
				"kust/plain/gitrepository.yaml#0 GitRepository/jeppesen-eks-dev@2:1",
				"kust/plain/nested/also-unlisted.yaml#0 ConfigMap/not-in-the-kustomization@1:1",
				"kust/plain/targets/eks.yaml#0 Terraform/dev-eks@1:1",
				"kust/plain/targets/eks.yaml#1 Terraform/dev-karpenter@13:1",
				"kust/plain/unlisted.yaml#0 ConfigMap/not-in-the-kustomization@1:1",
			},
		},
		{
			name:  "kustomization with namePrefix, patches and a generator, built by krusty and traced to its sources",
			paths: []string{"testdata/kust/overlay/dev"},
			wantDocs: []string{
				"kust/overlay/base/gitrepository.yaml#0 GitRepository/dev-jeppesen-eks-dev@2:1",
				"kust/overlay/base/terraform.yaml#0 Terraform/dev-eks@1:1",
				"kust/overlay/base/terraform.yaml#1 Terraform/dev-karpenter@13:1",
				"kust/overlay/dev/kustomization.yaml#3 ConfigMap/dev-settings-8mm55tt96m@14:1",
			},
			wantFiles: []string{
				"kust/overlay/base/gitrepository.yaml", "kust/overlay/base/kustomization.yaml",
				"kust/overlay/base/terraform.yaml", "kust/overlay/dev/kustomization.yaml",
			},
		},
		{
			name:  "plain-looking kustomization whose objects kustomize changes goes through krusty",
			paths: []string{"testdata/kust/fallback"},
			wantDocs: []string{
				"kust/fallback/objects.yaml#0 ConfigMap/from-a-list@1:1",
				"kust/fallback/objects.yaml#2 ConfigMap/unquoted-annotation@16:1",
			},
		},
		{
			name:  "a kustomization listing missing files",
			paths: []string{"testdata/kust/missing"},
			wantErrs: []string{
				`kust/missing/kustomization.yaml:5:3: resources[1]: kustomization lists "absent.yaml", but testdata/kust/missing/absent.yaml does not exist`,
				`kust/missing/kustomization.yaml:6:3: resources[2]: kustomization lists "absent-folder", but testdata/kust/missing/absent-folder does not exist`,
			},
		},
		{
			name:     "a kustomization listing a folder without kustomization",
			paths:    []string{"testdata/kust/nokust"},
			wantErrs: []string{`kust/nokust/kustomization.yaml:2:3: resources[0]: kustomization lists the folder "empty", which holds no kustomization.yaml; kustomize needs one in every folder it builds`},
		},
		{
			name:     "remote resources are refused, not fetched",
			paths:    []string{"testdata/kust/remote"},
			wantErrs: []string{`kust/remote/kustomization.yaml:2:3: resources[0]: remote reference "github.com/digx/infrastructure//clusters/dev?ref=main" is not supported: fluxtf reads local files only and never fetches or runs anything; vendor it into this repository, or validate that repository where it lives`},
		},
		{
			name:     "kustomize build failure",
			paths:    []string{"testdata/kust/broken"},
			wantErrs: []string{"kust/broken/kustomization.yaml:1:1: kustomize build failed: trouble configuring builtin PatchTransformer with config: ` path: no-such-patch.yaml `: failed to get the patch file from path(no-such-patch.yaml): open testdata/kust/broken/no-such-patch.yaml: no such file or directory"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set, err := Load(tc.paths, tc.opts)
			if got := errorStrings(t, err); !slices.Equal(got, tc.wantErrs) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.wantErrs)
			}
			if set == nil {
				t.Fatal("Load returned no set")
			}
			if got := describeAll(set.Docs); !slices.Equal(got, tc.wantDocs) {
				t.Errorf("docs:\n got %q\nwant %q", got, tc.wantDocs)
			}
			if tc.wantFiles != nil {
				if got := trimTestdata(set.Files); !slices.Equal(got, tc.wantFiles) {
					t.Errorf("files:\n got %q\nwant %q", got, tc.wantFiles)
				}
			}
		})
	}
}

// TestBuiltObjects checks what krusty's objects carry: the built content
// without the origin annotations fluxtf asked for, field positions in the
// source document, and the kustomization that built them.
func TestBuiltObjects(t *testing.T) {
	t.Parallel()
	set, err := Load([]string{"testdata/kust/overlay/dev"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		doc       string // Kind/name
		field     string
		wantPos   [2]int
		wantSpec  map[string]any // a subset of spec
		wantFile  string
		wantBuilt bool
	}{
		{
			name:     "patched field keeps its source position and its patched value",
			doc:      "Terraform/dev-karpenter",
			field:    "spec.interval",
			wantPos:  [2]int{19, 3},
			wantSpec: map[string]any{"interval": "30m"},
			wantFile: "testdata/kust/overlay/base/terraform.yaml",
		},
		{
			name:     "unpatched object",
			doc:      "Terraform/dev-eks",
			field:    "spec.sourceRef.name",
			wantPos:  [2]int{11, 5},
			wantSpec: map[string]any{"interval": "15m"},
			wantFile: "testdata/kust/overlay/base/terraform.yaml",
		},
		{
			name:     "a field the source lacks points at its nearest parent",
			doc:      "GitRepository/dev-jeppesen-eks-dev",
			field:    "spec.ref.tag",
			wantPos:  [2]int{11, 5},
			wantFile: "testdata/kust/overlay/base/gitrepository.yaml",
		},
		{
			name:     "generated object points at its generator",
			doc:      "ConfigMap/dev-settings-8mm55tt96m",
			field:    "data.tier",
			wantPos:  [2]int{14, 1},
			wantFile: "testdata/kust/overlay/dev/kustomization.yaml",
		},
	}
	byName := map[string]*Doc{}
	for _, d := range set.Docs {
		byName[d.Kind+"/"+d.Name] = d
		md, _ := d.Object["metadata"].(map[string]any)
		if _, ok := md["annotations"]; ok {
			t.Errorf("%s/%s keeps annotations %v; the origin annotation must be stripped", d.Kind, d.Name, md["annotations"])
		}
		if !d.built() || d.Kustomization != "testdata/kust/overlay/dev/kustomization.yaml" {
			t.Errorf("%s/%s: built=%v kustomization=%q", d.Kind, d.Name, d.built(), d.Kustomization)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := byName[tc.doc]
			if d == nil {
				t.Fatalf("no %s in %q", tc.doc, describeAll(set.Docs))
			}
			if line, col := d.Pos(tc.field); [2]int{line, col} != tc.wantPos {
				t.Errorf("Pos(%s) = %d:%d, want %d:%d", tc.field, line, col, tc.wantPos[0], tc.wantPos[1])
			}
			if d.File != tc.wantFile {
				t.Errorf("File = %s, want %s", d.File, tc.wantFile)
			}
			spec, _ := d.Object["spec"].(map[string]any)
			for k, v := range tc.wantSpec {
				if !reflect.DeepEqual(spec[k], v) {
					t.Errorf("spec.%s = %v, want %v", k, spec[k], v)
				}
			}
		})
	}
}

// TestUserOriginAnnotationsKept: a kustomization that asks for origin
// annotations itself gets them, as Flux would apply them.
func TestUserOriginAnnotationsKept(t *testing.T) {
	t.Parallel()
	set, err := Load([]string{"testdata/kust/origin"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Docs) != 1 {
		t.Fatalf("docs: %q", describeAll(set.Docs))
	}
	d := set.Docs[0]
	md, _ := d.Object["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	if got, want := ann["config.kubernetes.io/origin"], "path: objects.yaml\n"; got != want {
		t.Errorf("origin annotation = %q, want %q", got, want)
	}
	if got := describe(d); got != "kust/origin/objects.yaml#0 ConfigMap/x-settings@1:1" {
		t.Errorf("doc = %s", got)
	}
}

// failingFS is an in-memory file system on which some reads fail.
type failingFS struct {
	filesys.FileSystem
	badDir, badFile string
}

func (f failingFS) ReadDir(p string) ([]string, error) {
	if p == f.badDir {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
	}
	return f.FileSystem.ReadDir(p)
}

func (f failingFS) ReadFile(p string) ([]byte, error) {
	if p == f.badFile {
		return nil, &fs.PathError{Op: "read", Path: p, Err: errors.New("input/output error")}
	}
	return f.FileSystem.ReadFile(p)
}

func TestUnreadable(t *testing.T) {
	t.Parallel()
	mem := filesys.MakeFsInMemory()
	for _, name := range []string{"/m/ok.yaml", "/m/locked/x.yaml", "/m/broken.yaml"} {
		if err := mem.WriteFile(name, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")); err != nil {
			t.Fatal(err)
		}
	}
	set, err := Load([]string{"/m"}, Options{FS: failingFS{FileSystem: mem, badDir: "/m/locked", badFile: "/m/broken.yaml"}})
	want := []string{
		"/m/broken.yaml: input/output error",
		"/m/locked: cannot read folder: permission denied; make it readable by this user",
	}
	if got := errorStrings(t, err); !slices.Equal(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
	if got := describeAll(set.Docs); !slices.Equal(got, []string{"/m/ok.yaml#0 ConfigMap/x@1:1"}) {
		t.Errorf("docs: %q", got)
	}
}

// TestSymlinkLoop: a link back to a parent folder is walked once.
func TestSymlinkLoop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no symbolic links here: %v", err)
		}
		t.Skipf("no symbolic links here: %v", err)
	}
	set, err := Load([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Docs) != 1 {
		t.Errorf("docs: %q", describeAll(set.Docs))
	}
}

// TestDigests: with Options.Digests, Load gives the SHA-256 of what it
// read, for the manifests and the kustomization files; without, none.
func TestDigests(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"testdata/load", "testdata/kust/plain", "testdata/kust/overlay"} {
		set, err := Load([]string{dir}, Options{Digests: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Digests) == 0 {
			t.Fatalf("%s: no digests", dir)
		}
		for file, sum := range set.Digests {
			if !slices.Contains(set.Files, file) {
				t.Errorf("%s: a digest of %s, which is not in Files", dir, file)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if sha256.Sum256(data) != sum {
				t.Errorf("%s: wrong digest", file)
			}
		}
		if plain, err := Load([]string{dir}, Options{}); err != nil || plain.Digests != nil {
			t.Errorf("%s: digests %v without Options.Digests (%v)", dir, plain.Digests, err)
		}
	}
}

// TestWalkRefusesEscapesAndSpecialFiles: a folder walk reads nothing
// outside the folder it was given (a symbolic link to a file or folder
// outside is an error naming the link), follows a link that stays
// inside, and never opens a FIFO named like a manifest (opening it would
// block the walk forever).
func TestWalkRefusesEscapesAndSpecialFiles(t *testing.T) {
	t.Parallel()
	const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
	write := func(t *testing.T, p, name string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, fmt.Appendf(nil, cm, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(t *testing.T, target, p string) {
		t.Helper()
		if err := os.Symlink(target, p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("no symbolic links here: %v", err)
			}
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	tests := []struct {
		name     string
		setup    func(t *testing.T, base, root string)
		wantErrs []string // suffixes after "<root>/"
		wantDocs int
	}{
		{name: "file link outside", setup: func(t *testing.T, base, root string) {
			write(t, filepath.Join(base, "outside", "kubeconfig.yaml"), "secret")
			link(t, filepath.Join(base, "outside", "kubeconfig.yaml"), filepath.Join(root, "k.yaml"))
		}, wantErrs: []string{"k.yaml: is a symbolic link to "}, wantDocs: 1},
		{name: "relative link outside", setup: func(t *testing.T, base, root string) {
			write(t, filepath.Join(base, "outside", "x.yaml"), "secret")
			link(t, "../outside/x.yaml", filepath.Join(root, "x.yaml"))
		}, wantErrs: []string{"x.yaml: is a symbolic link to "}, wantDocs: 1},
		{name: "folder link outside", setup: func(t *testing.T, base, root string) {
			write(t, filepath.Join(base, "outside", "x.yaml"), "secret")
			link(t, filepath.Join(base, "outside"), filepath.Join(root, "sub"))
		}, wantErrs: []string{"sub: is a symbolic link to "}, wantDocs: 1},
		{name: "link inside is followed", setup: func(t *testing.T, base, root string) {
			write(t, filepath.Join(root, ".hidden", "in.yaml"), "in")
			link(t, ".hidden/in.yaml", filepath.Join(root, "in.yaml"))
		}, wantDocs: 2},
		{name: "fifo", setup: func(t *testing.T, base, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, "pipe.yaml"), 0o644); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("no FIFOs here: %v", err)
				}
				t.Skipf("no FIFOs here: %v", err)
			}
		}, wantErrs: []string{"pipe.yaml: is not a regular file"}, wantDocs: 1},
		{name: "fifo not named like a manifest is ignored", setup: func(t *testing.T, base, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("no FIFOs here: %v", err)
				}
				t.Skipf("no FIFOs here: %v", err)
			}
		}, wantDocs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := t.TempDir()
			root := filepath.Join(base, "root")
			write(t, filepath.Join(root, "ok.yaml"), "ok")
			tt.setup(t, base, root)
			set, err := Load([]string{root}, Options{})
			var got []string
			if err != nil {
				got = errorStrings(t, err)
			}
			if len(got) != len(tt.wantErrs) {
				t.Fatalf("errors: got %q, want %d starting %q", got, len(tt.wantErrs), tt.wantErrs)
			}
			for i, w := range tt.wantErrs {
				if !strings.HasPrefix(got[i], filepath.Join(root, w)) {
					t.Errorf("error %d: got %q, want prefix %q", i, got[i], filepath.Join(root, w))
				}
			}
			if len(set.Docs) != tt.wantDocs {
				t.Errorf("docs: %q, want %d", describeAll(set.Docs), tt.wantDocs)
			}
		})
	}
}

// TestKeptStructsAreSmall: a run keeps a Doc for every object and a
// source for every file it read until its report (110,000 of each at
// 10,000 environments). A source shares the file system and limits it
// reads its file again with; a Doc holds what Check found behind a
// pointer, nil for a clean document.
func TestKeptStructsAreSmall(t *testing.T) {
	if size := unsafe.Sizeof(source{}); size > 64 {
		t.Errorf("a source takes %d bytes, want at most 64", size)
	}
	if size := unsafe.Sizeof(Doc{}); size > 208 {
		t.Errorf("a Doc takes %d bytes, want at most 208", size)
	}
}

// TestWalkReadsALinkedFileOnceAtItsTarget: a folder walk that meets a
// symbolic link to a file inside the folder reads the file once: not
// twice when the walk meets the file itself as well, or through another
// link (two copies of one object, which rules such as state-key-unique
// report), and under the path of the file the link leads to (through a
// chain of links too), the one to edit, when the walk reads that file
// itself.
func TestWalkReadsALinkedFileOnceAtItsTarget(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{"sub/real.yaml": fmt.Sprintf(testCM, "real"), "data/cm.txt": fmt.Sprintf(testCM, "txt")})
	for link, target := range map[string]string{
		"link.yaml":     "sub/real.yaml",
		"chain.yaml":    "data/cm.yaml",
		"data/cm.yaml":  "cm.txt",
		"sub/also.yaml": "real.yaml",
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("no symbolic links here: %v", err)
			}
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	set, err := Load([]string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range set.Docs {
		rel, _ := filepath.Rel(root, d.File)
		got = append(got, rel+" "+d.Name)
	}
	// cm.txt is no manifest the walk reads: its first link stands for it
	want := []string{"chain.yaml txt", "sub/real.yaml real"}
	if !slices.Equal(got, want) {
		t.Errorf("objects %q, want %q", got, want)
	}
}
