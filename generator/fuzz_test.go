package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/templates"
)

// The fuzzers here feed arbitrary bytes to spec loading the way a user's
// files reach it: as an environment file and as defaults.yaml in a specs
// folder, through Load. Seeds: testdata/fuzz/<name>/ and the examples in
// fixtures/environments.
//
//	go test ./generator -run '^$' -fuzz '^FuzzLoadSpec$' -fuzztime 60s

// fuzzSpecs writes files into a fresh specs folder of this fuzz worker and
// returns the folder. Each worker is one process running inputs one after
// the other, so one folder per process is enough.
type fuzzSpecs struct{ dir string }

func newFuzzSpecs(f *testing.F) *fuzzSpecs {
	dir, err := os.MkdirTemp("", "fluxtf-fuzz-")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = os.RemoveAll(dir) })
	return &fuzzSpecs{dir: dir}
}

func (s *fuzzSpecs) write(t *testing.T, files map[string][]byte) string {
	t.Helper()
	ents, _ := os.ReadDir(s.dir)
	for _, e := range ents {
		_ = os.RemoveAll(filepath.Join(s.dir, e.Name()))
	}
	for name, data := range files {
		if data == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(s.dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return s.dir
}

func fixtureFile(f *testing.F, name string) []byte {
	f.Helper()
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "environments", name))
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// checkLoadErr asserts what Load promises of its errors: each is a
// yamlx.Error in one of the user's files, with a message, and with a line
// inside that file unless it is about the file as a whole (too big,
// unreadable).
func checkLoadErr(t *testing.T, err error, files map[string][]byte) {
	t.Helper()
	l := yamlx.AsList(err)
	if len(l) == 0 {
		t.Fatalf("error without a file position: %v", err)
	}
	if strings.Contains(err.Error(), "internal error") {
		t.Fatalf("internal error: %v", err)
	}
	for _, e := range l {
		data, ok := files[filepath.Base(e.Pos.File)]
		if !ok || e.Msg == "" {
			t.Fatalf("error not in a spec file: %q", e)
		}
		lines := yamlLineCount(data)
		if e.Pos.Line > lines+1 {
			t.Fatalf("error at line %d of a %d-line file: %q", e.Pos.Line, lines, e)
		}
		if e.Pos.Line == 0 && !strings.Contains(e.Msg, "file") && !strings.Contains(e.Msg, "folder") {
			t.Fatalf("error without a line: %q", e)
		}
		if strings.Contains(e.Error(), "\n") {
			t.Fatalf("error of several lines: %q", e)
		}
	}
}

// loadFuzz loads environment uat from the files and checks the outcome;
// it returns the loaded environment or nil.
func loadFuzz(t *testing.T, s *fuzzSpecs, files map[string][]byte) *Loaded {
	t.Helper()
	dir := s.write(t, files)
	l, err := Load(LoadOptions{SpecsDir: dir}, "uat")
	if err != nil {
		if l != nil {
			t.Fatal("environment returned with an error")
		}
		checkLoadErr(t, err, files)
		return nil
	}
	if l.Env.Name != "uat" || !l.Env.Tier.Valid() || l.Stack == nil || l.File != filepath.Join(dir, "uat.yaml") {
		t.Fatalf("loaded %q tier %q from %s", l.Env.Name, l.Env.Tier, l.File)
	}
	// a loaded environment expands and marshals without error
	objs, err := Expand(l)
	if err != nil {
		t.Fatalf("Expand: %v", err)
	}
	for _, o := range objs {
		if _, err := Marshal(o.Object); err != nil {
			t.Fatalf("Marshal %s: %v", o.Path, err)
		}
	}
	return l
}

var fuzzSpecSeeds = []string{
	"",
	"apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: uat\n",
	"name: uat\nname: uat\n",
	"a: &a [*a]\n",
	"- 1\n",
	"apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: uat\n---\nname: uat\n",
	"apiVersion: fluxtf/v1alpha1\nkind: Environment\nname: uat\ncluster: {kubernetesVersion: 1.30}\n",
	"\xff\xfe",
	"a: \x00",
}

// FuzzLoadSpec loads arbitrary bytes as environments/uat.yaml beside the
// examples' defaults.yaml.
func FuzzLoadSpec(f *testing.F) {
	f.Add(fixtureFile(f, "uat.yaml"))
	f.Add(fixtureFile(f, "prod.yaml"))
	f.Add(bytes.ReplaceAll(fixtureFile(f, "dev.yaml"), []byte("name: dev"), []byte("name: uat\ntier: dev")))
	// More errors than MaxSpecErrors: the summary line must name a line too.
	many, err := os.ReadFile(filepath.Join("testdata", "specerrors", "many", "uat.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(many)
	for _, s := range fuzzSpecSeeds {
		f.Add([]byte(s))
	}
	defaults := fixtureFile(f, DefaultsFile)
	s := newFuzzSpecs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		loadFuzz(t, s, map[string][]byte{"uat.yaml": data, DefaultsFile: defaults})
	})
}

// FuzzLoadDefaults loads the example uat.yaml beside arbitrary bytes as
// defaults.yaml.
func FuzzLoadDefaults(f *testing.F) {
	f.Add(fixtureFile(f, DefaultsFile))
	f.Add([]byte("terraform: {approvePlan: manual}\ncomponents: {efs: {enabled: false}}\n"))
	f.Add([]byte("tier: prod\n"))
	for _, s := range fuzzSpecSeeds {
		f.Add([]byte(s))
	}
	env := fixtureFile(f, "uat.yaml")
	s := newFuzzSpecs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		loadFuzz(t, s, map[string][]byte{"uat.yaml": env, DefaultsFile: data})
	})
}

// specModel is the defaults merge on plain values (maps merge, lists and
// scalars replace, an explicit null replaces), the same model as yamlx's
// FuzzMerge.
func specModel(base, overlay any) any {
	bm, bok := base.(map[string]any)
	om, ook := overlay.(map[string]any)
	if !bok || !ook {
		return overlay
	}
	out := make(map[string]any, len(bm)+len(om))
	for k, v := range bm {
		out[k] = v
	}
	for k, v := range om {
		if bv, ok := bm[k]; ok {
			out[k] = specModel(bv, v)
		} else {
			out[k] = v
		}
	}
	return out
}

// decodeModel decodes the model's merged value the plain way: JSON, by the
// same tags, refusing unknown fields.
func decodeModel(v any) (*Environment, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var e Environment
	if err := dec.Decode(&e); err != nil {
		return nil, err
	}
	return &e, nil
}

func firstDoc(file string, data []byte) (*yamlx.Node, bool) {
	docs, err := yamlx.Parse(file, data, yamlx.DefaultLimits)
	if err != nil || len(docs) > 1 {
		return nil, false
	}
	if len(docs) == 0 || docs[0].Root == nil {
		return nil, true
	}
	return docs[0].Root, docs[0].Root.Kind == yamlx.MappingNode
}

// FuzzDefaultsMerge merges arbitrary defaults.yaml and environment trees
// over the embedded tier defaults, decodes the result strictly and
// compares it with the model: the plain merge of the same values decoded
// with encoding/json. Whatever Decode accepts the model accepts with the
// same value; Load on the same files never panics and places its errors.
func FuzzDefaultsMerge(f *testing.F) {
	f.Add(fixtureFile(f, DefaultsFile), fixtureFile(f, "uat.yaml"))
	f.Add(fixtureFile(f, DefaultsFile), fixtureFile(f, "prod.yaml"))
	f.Add([]byte("source: {url: 'https://x/y.git', tag: v1.0.0}\ncluster: {vars: {a: {b: 1}}}\n"),
		[]byte("name: uat\nsource: {tag: ~, branch: alpha}\ncluster: {vars: {a: {c: [1]}}}\n"))
	f.Add([]byte("components: {efs: {vars: {x: 1}}, karpenter: {}}\n"),
		[]byte("name: uat\ncomponents: {efs: {enabled: false}, karpenter: {version: '1.1.0'}}\n"))
	f.Add([]byte("terraform: {interval: 5m}\n"), []byte("name: uat\nterraform: {interval: 1h30m, approvePlan: manual}\n"))
	f.Add([]byte("targets: [{account: a, accountId: '111111111111', region: eu-west-1}]\n"), []byte("name: uat\ntargets: []\n"))
	tiers := map[string]*yamlx.Node{}
	for _, t := range Tiers {
		n, err := templates.Embedded().TierDefaults(string(t))
		if err != nil {
			f.Fatal(err)
		}
		tiers[string(t)] = n
	}
	s := newFuzzSpecs(f)
	f.Fuzz(func(t *testing.T, defaultsData, envData []byte) {
		files := map[string][]byte{"uat.yaml": envData, DefaultsFile: defaultsData}
		loadFuzz(t, s, files)

		defaults, ok := firstDoc("defaults.yaml", defaultsData)
		if !ok {
			return
		}
		env, ok := firstDoc("uat.yaml", envData)
		if !ok || env == nil {
			return
		}
		tier := env.Get("tier").String()
		if tier == "" {
			tier = "uat"
		}
		base := tiers[tier]
		tree := yamlx.Merge(yamlx.Merge(base, defaults), env)
		var got Environment
		if err := yamlx.Decode(tree, &got); err != nil {
			for _, e := range yamlx.AsList(err) {
				if e.Pos.File != "defaults.yaml" && e.Pos.File != "uat.yaml" && !strings.Contains(e.Pos.File, "tiers.yaml") {
					t.Fatalf("decode error in no file: %q", e)
				}
			}
			return
		}
		var want any
		if base != nil {
			want = base.ToAny()
		}
		if defaults != nil {
			want = specModel(want, defaults.ToAny())
		}
		want = specModel(want, env.ToAny())
		model, err := decodeModel(want)
		if err != nil {
			var ute *json.UnmarshalTypeError
			if errors.As(err, &ute) && strings.Contains(err.Error(), "Duration") {
				return // a bad duration: both refuse it, with different words
			}
			t.Fatalf("Decode accepted what the model refuses (%v): %s", err, mustJSON(t, want))
		}
		if g, w := mustJSON(t, got), mustJSON(t, model); g != w {
			t.Fatalf("Decode and the model differ:\n got %s\nwant %s", g, w)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// yamlLineCount is an upper bound of the lines YAML sees in data: LF, CR,
// NEL, LS and PS all end a line.
func yamlLineCount(data []byte) int {
	n := 1
	for _, r := range string(data) {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}
