package manifest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	sourcev1beta2 "github.com/fluxcd/source-controller/api/v1beta2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/racedetect"
	"github.com/digx/fluxtf/internal/yamlx"
)

func findingStrings(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%s:%d:%d %s %s/%s [%s] %s", strings.TrimPrefix(f.File, "testdata/"), f.Line, f.Column, f.Field, f.Kind, f.Name, f.Severity, f.Message)
	}
	return out
}

func errStrings(errs yamlx.ErrorList) []string {
	if len(errs) == 0 {
		return nil
	}
	return trimTestdata(strings.Split(errs.Error(), "\n"))
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		path         string
		wantErrs     []string
		wantFindings []string
		wantTyped    any // type of the first document's Typed()
	}{
		{
			name:      "valid generated-style Terraform and GitRepository",
			path:      "testdata/kust/plain",
			wantTyped: &sourcev1.GitRepository{},
		},
		{
			name:     "unknown field in a Terraform",
			path:     "testdata/check/terraform-unknown-field.yaml",
			wantErrs: []string{`check/terraform-unknown-field.yaml:9:3: spec.aprovePlan: unknown field "aprovePlan"; did you mean "approvePlan"?`},
		},
		{
			name:     "unknown field in a GitRepository",
			path:     "testdata/check/gitrepository-unknown-field.yaml",
			wantErrs: []string{`check/gitrepository-unknown-field.yaml:11:5: spec.ref.brnch: unknown field "brnch"; did you mean "branch"?`},
		},
		{
			name:     "wrong type",
			path:     "testdata/check/wrong-type.yaml",
			wantErrs: []string{`check/wrong-type.yaml:10:31: spec.destroyResourcesOnDeletion: expected a boolean (true or false), got the string "yes"`},
		},
		{
			name: "schema violation in a Terraform is a finding at the field",
			path: "testdata/check/schema-varsfrom.yaml",
			wantFindings: []string{
				`check/schema-varsfrom.yaml:15:5 spec.varsFrom[1].kind Terraform/dev-eks [deny] spec.varsFrom[1].kind: Unsupported value: "Foo": supported values: "Secret", "ConfigMap"`,
			},
			wantTyped: &v1alpha2.Terraform{},
		},
		{
			name: "schema violations in a GitRepository",
			path: "testdata/check/schema-gitrepository.yaml",
			wantFindings: []string{
				`check/schema-gitrepository.yaml:8:3 spec.url GitRepository/jeppesen-eks-dev [deny] spec.url: Invalid value: "git@github.com:digx/infrastructure.git": must match ^(http|https|ssh)://.*$`,
				`check/schema-gitrepository.yaml:9:3 spec.provider GitRepository/jeppesen-eks-dev [deny] spec.provider: Unsupported value: "gitlab": supported values: "generic", "aws", "azure", "github"`,
			},
		},
		{
			name:      "v1alpha1 Terraform is accepted; its deprecation is for the policies",
			path:      "testdata/check/v1alpha1.yaml",
			wantTyped: &v1alpha2.Terraform{},
		},
		{
			name:     "v1alpha1 Terraform using a v1alpha2-only field",
			path:     "testdata/check/v1alpha1-planonly.yaml",
			wantErrs: []string{`check/v1alpha1-planonly.yaml:9:3: spec.planOnly: not supported by infra.contrib.fluxcd.io/v1alpha1; only by infra.contrib.fluxcd.io/v1alpha2; use apiVersion infra.contrib.fluxcd.io/v1alpha2 or remove the field`},
		},
		{
			name:      "v1beta2 GitRepository is recognised",
			path:      "testdata/check/v1beta2.yaml",
			wantTyped: &sourcev1beta2.GitRepository{},
		},
		{
			name: "v1beta2 GitRepository constraint",
			path: "testdata/check/v1beta2-invalid.yaml",
			wantFindings: []string{
				`check/v1beta2-invalid.yaml:10:5 spec.verify.mode GitRepository/legacy-source [deny] spec.verify.mode: Unsupported value: "HEAD": supported values: "head"`,
			},
		},
		{
			name:     "v1beta2 GitRepository using a v1-only field",
			path:     "testdata/check/v1beta2-v1-field.yaml",
			wantErrs: []string{`check/v1beta2-v1-field.yaml:9:3: spec.sparseCheckout: unknown field "sparseCheckout"; known fields: accessFrom, gitImplementation, ignore, include, interval, recurseSubmodules, ref, secretRef, suspend, timeout, url, verify`},
		},
		{
			name: "other kinds pass through",
			path: "testdata/check/other-kinds.yaml",
		},
		{
			name:     "unknown field added by a kustomize patch: placed on the source document",
			path:     "testdata/check/patched/unknown",
			wantErrs: []string{`check/patched/base/terraform.yaml:7:3: spec.aprovePlan: unknown field "aprovePlan"; did you mean "approvePlan"?`},
		},
		{
			name: "schema violation made by a kustomize patch: at the source field",
			path: "testdata/check/patched/schema",
			wantFindings: []string{
				`check/patched/base/terraform.yaml:13:5 spec.varsFrom[0].kind Terraform/eks-dev [deny] spec.varsFrom[0].kind: Unsupported value: "Vault": supported values: "Secret", "ConfigMap"`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set, err := Load([]string{tc.path}, Options{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(set.Docs) == 0 {
				t.Fatal("no documents")
			}
			errs, problems := set.Check()
			if got := errStrings(errs); !slices.Equal(got, tc.wantErrs) {
				t.Errorf("errors:\n got %q\nwant %q", got, tc.wantErrs)
			}
			if got := findingStrings(problems); !slices.Equal(got, tc.wantFindings) {
				t.Errorf("findings:\n got %q\nwant %q", got, tc.wantFindings)
			}
			for _, f := range problems {
				if f.Rule != SchemaRule || f.APIVersion == "" || f.Namespace != "flux-system" {
					t.Errorf("finding lacks its identity: %+v", f)
				}
			}
			if tc.wantTyped != nil {
				if got := set.Docs[0].Typed(); reflect.TypeOf(got) != reflect.TypeOf(tc.wantTyped) {
					t.Errorf("Typed() is a %T, want %T", got, tc.wantTyped)
				}
			}
		})
	}
}

// TestCheckDecodesOnce: a second Check reuses each document's decoding.
func TestCheckDecodesOnce(t *testing.T) {
	t.Parallel()
	set, err := Load([]string{"testdata/check"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs1, problems1 := set.Check()
	typed := make([]any, len(set.Docs))
	for i, d := range set.Docs {
		typed[i] = d.Typed()
	}
	errs2, problems2 := set.Check()
	if !slices.Equal(errStrings(errs1), errStrings(errs2)) || !slices.Equal(findingStrings(problems1), findingStrings(problems2)) {
		t.Error("a second Check gave other results")
	}
	for i, d := range set.Docs {
		// Check keeps no decoded objects: Typed decodes anew, to the same
		if got := d.Typed(); !reflect.DeepEqual(got, typed[i]) || (got != nil && got == typed[i]) {
			t.Errorf("%s: Typed gave %v, then %v", describe(d), typed[i], got)
		}
	}
	if len(errs1) == 0 || len(problems1) == 0 {
		t.Errorf("testdata/check should yield errors and findings: %d, %d", len(errs1), len(problems1))
	}
}

// TestUpstreamSamples: every upstream example manifest loads and checks
// clean. They are read where they are, never copied into the project.
func TestUpstreamSamples(t *testing.T) {
	t.Parallel()
	dir := upstreamSamples(t)
	set, err := Load([]string{dir}, Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	errs, problems := set.Check()
	if len(errs) > 0 {
		t.Errorf("errors:\n%v", errs)
	}
	if len(problems) > 0 {
		t.Errorf("schema findings:\n%s", strings.Join(findingStrings(problems), "\n"))
	}
	count := map[string]int{}
	for _, d := range set.Docs {
		count[d.APIVersion+" "+d.Kind]++
		if (d.Kind == "Terraform" || d.Kind == "GitRepository") && d.Typed() == nil {
			t.Errorf("%s %s: not decoded", d.APIVersion, describe(d))
		}
	}
	for _, k := range []string{
		"source.toolkit.fluxcd.io/v1 GitRepository",
		"infra.contrib.fluxcd.io/v1alpha2 Terraform",
		"infra.contrib.fluxcd.io/v1alpha1 Terraform",
	} {
		if count[k] == 0 {
			t.Errorf("no %s among the samples: %v", k, count)
		}
	}
}

// TestFixtures: the whole rendered fixtures tree loads and checks clean.
func TestFixtures(t *testing.T) {
	t.Parallel()
	set, err := Load([]string{repoRoot(t) + "/fixtures/clusters"}, Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	errs, problems := set.Check()
	if len(errs) > 0 {
		t.Errorf("errors:\n%v", errs)
	}
	if len(problems) > 0 {
		t.Errorf("findings:\n%s", strings.Join(findingStrings(problems), "\n"))
	}
	kinds := map[string]int{}
	for _, d := range set.Docs {
		kinds[d.Kind]++
		if d.Kustomization == "" || d.Typed() == nil || d.Root() == nil {
			t.Errorf("%s: kustomization %q, root %v, typed %T", describe(d), d.Kustomization, d.Root() != nil, d.Typed())
		}
	}
	if kinds["GitRepository"] < 3 || kinds["Terraform"] < 20 {
		t.Errorf("objects found: %v", kinds)
	}
}

// TestOddInputsNeverPanic feeds malformed manifests and kustomizations
// through Load and Check: each must be an input error, not a crash.
func TestOddInputsNeverPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
	}{
		{name: "apiVersion is a list", files: map[string]string{"a.yaml": "apiVersion: [x]\nkind: Terraform\n"}},
		{name: "kind is a number", files: map[string]string{"a.yaml": "apiVersion: v1\nkind: 3\n"}},
		{name: "binary", files: map[string]string{"a.yaml": "apiVersion: v1\x00\n"}},
		{name: "metadata is a number", files: map[string]string{"a.yaml": "apiVersion: infra.contrib.fluxcd.io/v1alpha2\nkind: Terraform\nmetadata: 5\n"}},
		{name: "spec is a list", files: map[string]string{"a.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: x}\nspec: [1, 2]\n"}},
		{name: "interval is a number", files: map[string]string{"a.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: x}\nspec: {interval: 5, url: https://x}\n"}},
		{name: "v1alpha1 spec is a string", files: map[string]string{"a.yaml": "apiVersion: infra.contrib.fluxcd.io/v1alpha1\nkind: Terraform\nmetadata: {name: x}\nspec: nope\n"}},
		{name: "kustomization is a list", files: map[string]string{"k/kustomization.yaml": "- a\n- b\n"}},
		{name: "kustomization is empty", files: map[string]string{"k/kustomization.yaml": "# nothing\n"}},
		{name: "resources is a number", files: map[string]string{"k/kustomization.yaml": "resources: 5\n"}},
		{name: "resources holds odd items", files: map[string]string{"k/kustomization.yaml": "resources: [null, 3, {a: b}]\n"}},
		{name: "kustomization lists itself", files: map[string]string{"k/kustomization.yaml": "resources: [.]\n"}},
		{name: "kustomization cycle", files: map[string]string{"k/a/kustomization.yaml": "resources: [../b]\n", "k/b/kustomization.yaml": "resources: [../a]\n", "k/kustomization.yaml": "resources: [a]\n"}},
		{name: "bad YAML in a resource", files: map[string]string{"k/kustomization.yaml": "resources: [x.yaml]\n", "k/x.yaml": "a: [\n"}},
		{name: "object without name in a plain kustomization", files: map[string]string{"k/kustomization.yaml": "resources: [x.yaml]\n", "k/x.yaml": "apiVersion: v1\nkind: ConfigMap\n"}},
		{name: "duplicate objects in a plain kustomization", files: map[string]string{"k/kustomization.yaml": "resources: [x.yaml, x.yaml]\n", "k/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"}},
		{name: "buildMetadata is a string", files: map[string]string{"k/kustomization.yaml": "resources: [x.yaml]\nbuildMetadata: yes\n", "k/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mem := filesys.MakeFsInMemory()
			for name, content := range tc.files {
				if err := mem.WriteFile("/in/"+name, []byte(content)); err != nil {
					t.Fatal(err)
				}
			}
			set, err := Load([]string{"/in"}, Options{FS: mem})
			var errs yamlx.ErrorList
			if err != nil {
				errs = yamlx.AsList(err)
				if errs == nil {
					t.Fatalf("error is a %T: %v", err, err)
				}
			}
			checkErrs, problems := set.Check()
			errs = append(errs, checkErrs...)
			if len(errs) == 0 && len(problems) == 0 {
				t.Errorf("no error or finding; docs %q", describeAll(set.Docs))
			}
			for _, e := range errs {
				if e.Pos.File == "" {
					t.Errorf("error without a file: %v", e)
				}
			}
		})
	}
}

// TestConvertReadsTheSame: with Options.Convert (and NoCheck), every document (read
// directly, from a List, built by kustomize) has as Value what the
// converter makes of the document that is its Object without it, and
// Check reports the same errors and findings.
func TestConvertReadsTheSame(t *testing.T) {
	t.Parallel()
	convert := func() Converter {
		return func(root *yamlx.Node) (any, error) { return root.ToAny(), nil }
	}
	for _, dir := range []string{"testdata/check", "testdata/load", "testdata/kust/plain", "testdata/kust/overlay", "testdata/kust/fallback", "testdata/kust/origin"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			plain, err := Load([]string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			conv, err := Load([]string{dir}, Options{Convert: convert})
			if err != nil {
				t.Fatal(err)
			}
			if len(plain.Docs) == 0 || len(plain.Docs) != len(conv.Docs) {
				t.Fatalf("%d documents read plainly, %d converted", len(plain.Docs), len(conv.Docs))
			}
			for i, d := range conv.Docs {
				p := plain.Docs[i]
				if d.Object != nil || !reflect.DeepEqual(d.Value, any(p.Object)) || !reflect.DeepEqual(d.Annotations(), p.Annotations()) {
					t.Errorf("%s: Value %v, Object %v; annotations %v, want %v", describe(d), d.Value, p.Object, d.Annotations(), p.Annotations())
				}
			}
			// and read with NoCheck (the trees dropped unchecked), Check reads
			// the files again to the same results
			unchecked, err := Load([]string{dir}, Options{Convert: convert, NoCheck: true})
			if err != nil {
				t.Fatal(err)
			}
			errs1, problems1 := plain.Check()
			for _, set := range []*Set{conv, unchecked} {
				errs2, problems2 := set.Check()
				if !slices.Equal(errStrings(errs1), errStrings(errs2)) || !slices.Equal(findingStrings(problems1), findingStrings(problems2)) {
					t.Errorf("Check differs:\n%v\n%v\nwant\n%v\n%v", errs2, problems2, errs1, problems1)
				}
			}
		})
	}
}

// TestArenaReadsTheSame: Load parses each worker's files into one
// yamlx.Arena, reused once a file's documents dropped their trees. Read
// without it, every set gives the same documents, positions and Check
// results; among them a folder where Lists (which keep their trees) come
// before other files of the same worker.
func TestArenaReadsTheSame(t *testing.T) {
	t.Parallel()
	mixed := t.TempDir()
	list, err := os.ReadFile("testdata/load/list/list.yaml")
	if err != nil {
		t.Fatal(err)
	}
	obj, err := os.ReadFile("testdata/load/file/gitrepository.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		data := obj
		if i%3 == 0 {
			data = list
		}
		data = bytes.ReplaceAll(data, []byte("name: "), []byte(fmt.Sprintf("name: f%02d-", i)))
		if err := os.WriteFile(filepath.Join(mixed, fmt.Sprintf("f%02d.yaml", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	convert := func() Converter {
		return func(root *yamlx.Node) (any, error) { return root.ToAny(), nil }
	}
	for _, dir := range []string{mixed, "testdata/check", "testdata/load", "testdata/kust/plain", "testdata/kust/overlay", "testdata/kust/fallback", "testdata/kust/origin"} {
		for _, opts := range []Options{{}, {Convert: convert}, {NoCheck: true}} {
			without := opts
			without.noArena = true
			want, err := Load([]string{dir}, without)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Load([]string{dir}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Docs) == 0 || len(got.Docs) != len(want.Docs) {
				t.Fatalf("%s: %d documents with the arena, %d without", dir, len(got.Docs), len(want.Docs))
			}
			errs1, problems1 := want.Check()
			errs2, problems2 := got.Check()
			if !slices.Equal(errStrings(errs1), errStrings(errs2)) || !slices.Equal(findingStrings(problems1), findingStrings(problems2)) {
				t.Errorf("%s: Check differs:\n%v\n%v\nwant\n%v\n%v", dir, errs2, problems2, errs1, problems1)
			}
			for i, d := range got.Docs {
				w := want.Docs[i]
				if !reflect.DeepEqual(d.Object, w.Object) || !reflect.DeepEqual(d.Value, w.Value) {
					t.Errorf("%s: content differs from %s's", describe(d), describe(w))
				}
				for _, field := range []string{"", "metadata.name", "spec.url", "items[1].metadata.name"} {
					l1, c1 := d.Pos(field)
					l2, c2 := w.Pos(field)
					if l1 != l2 || c1 != c2 {
						t.Errorf("%s: %q at %d:%d, want %d:%d", describe(d), field, l1, c1, l2, c2)
					}
				}
			}
		}
	}
}

// TestLocateMatchesPos holds Locate to Doc.Pos on every document of the
// test folders, read in each mode (released trees, NoCheck, kustomize
// builds that keep theirs), for fields that exist, that go further than
// the document, and none; and to what it promises on top: the trees it
// parses are not kept (Doc.Pos keeps them), and the ones Doc.Pos kept
// are used as they are.
func TestLocateMatchesPos(t *testing.T) {
	t.Parallel()
	ownParse := 0 // files Locate parsed itself
	paths := []string{"", "metadata.name", "spec.url", "spec.ref.tag", "spec.interval", "items[1].metadata.name", "spec.vars[0].value", "data.tier"}
	for _, dir := range []string{"testdata/check", "testdata/load", "testdata/kust/plain", "testdata/kust/overlay", "testdata/kust/fallback", "testdata/kust/origin"} {
		for _, opts := range []Options{{}, {NoCheck: true}} {
			load := func() *Set {
				set, err := Load([]string{dir}, opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(set.Docs) == 0 {
					t.Fatalf("%s: no documents", dir)
				}
				return set
			}
			want, fresh, warm := load(), load(), load()
			for i, d := range warm.Docs {
				if i%2 == 0 {
					d.Pos("metadata.name") // parses the file and keeps its trees
				}
			}
			unparsed := map[*source]bool{} // of fresh, before Locate
			for _, d := range fresh.Docs {
				if d.src != nil && !d.src.parsed {
					unparsed[d.src] = true
				}
			}
			ownParse += len(unparsed)
			for _, got := range []*Set{fresh, warm} {
				var fields []Field
				for _, d := range got.Docs {
					for _, p := range paths {
						fields = append(fields, Field{Doc: d, Path: p})
					}
				}
				pos := Locate(fields)
				if len(pos) != len(fields) {
					t.Fatalf("%s: %d positions for %d fields", dir, len(pos), len(fields))
				}
				for k, f := range fields {
					w := want.Docs[k/len(paths)]
					line, col := w.Pos(f.Path)
					if pos[k] != (Position{line, col}) {
						t.Errorf("%s: Locate %q at %d:%d, Pos says %d:%d", describe(f.Doc), f.Path, pos[k].Line, pos[k].Column, line, col)
					}
				}
			}
			for src := range unparsed {
				if src.parsed || src.docs != nil {
					t.Errorf("%s: Locate kept the trees of %s", dir, src.file)
				}
			}
		}
	}
	if ownParse == 0 {
		t.Error("every file was parsed again before Locate: the test checks nothing of Locate's own parse")
	}
}

// durationSeeds are durations as manifests write them, and not.
var durationSeeds = []string{
	"10m0s", "10m", "1h30m", "0", "0s", "-5s", "+5s", "1.5h", ".5s", "5.s", "1e3s", "300ms", "1us", "1µs", "2ns",
	"", "10", "m", "10x", "10 m", "1h 2m", "9999999999h", "-9223372036854775808ns", "9223372036854775807ns",
	"9223372036854775808ns", "1s1", "<1s>", "a&b", `q"s`, `1\s`, "\u00e91s", "1s\t",
}

// checkDurationShortcut fails when decoding `v: <s>` into a
// metav1.Duration with decodeOptions gives another value or error than
// without (UnmarshalJSON of the JSON string).
func checkDurationShortcut(t *testing.T, s string) {
	t.Helper()
	data := "v: " + strconv.Quote(s) + "\n"
	docs, err := yamlx.Parse("d.yaml", []byte(data), yamlx.DefaultLimits)
	if err != nil || len(docs) != 1 {
		return
	}
	type holder struct {
		V metav1.Duration  `json:"v"`
		P *metav1.Duration `json:"p"`
	}
	var fast, slow holder
	fast.V.Duration, slow.V.Duration = 7, 7 // an error leaves it as it was
	ferr := yamlx.DecodeWith(docs[0].Root, &fast, &decodeOptions)
	serr := yamlx.Decode(docs[0].Root, &slow)
	if fmt.Sprint(ferr) != fmt.Sprint(serr) || fast.V != slow.V {
		t.Errorf("%q: shortcut %v, %v; UnmarshalJSON %v, %v", s, fast.V, ferr, slow.V, serr)
	}
}

// TestDurationShortcutIsUnmarshalJSON holds the decoding of durations
// Check takes (decodeOptions) to metav1.Duration's UnmarshalJSON.
func TestDurationShortcutIsUnmarshalJSON(t *testing.T) {
	t.Parallel()
	for _, s := range durationSeeds {
		checkDurationShortcut(t, s)
	}
}

// FuzzDurationShortcut: the shortcut and UnmarshalJSON agree on any string.
func FuzzDurationShortcut(f *testing.F) {
	for _, s := range durationSeeds {
		f.Add(s)
	}
	f.Fuzz(checkDurationShortcut)
}

// TestDurationShortcutAllocatesNothing: a duration written as a plain
// string is decoded without the JSON detour (which allocated).
func TestDurationShortcutAllocatesNothing(t *testing.T) {
	docs, err := yamlx.Parse("d.yaml", []byte("interval: 10m0s\n"), yamlx.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Interval metav1.Duration `json:"interval"`
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := yamlx.DecodeWith(docs[0].Root, &v, &decodeOptions); err != nil {
			t.Fatal(err)
		}
	})
	if v.Interval.Duration != 10*time.Minute || (allocs > 0 && !racedetect.Enabled) {
		t.Errorf("decoded %v in %.0f allocations, want 10m0s in none", v.Interval, allocs)
	}
}
