package policies

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/manifest"
)

// stateFactsQuery is what the library derives from input.facts' state and
// contract facts (facts_state.go) and their summaries (facts_summaries.go),
// or without them by itself.
const stateFactsQuery = `x := [data.fluxtf.lib.tf_state_keys, data.fluxtf.lib.tf_contract_shapes, data.fluxtf.lib.secret_writers,
	data.fluxtf.lib.tf_contract_shape_firsts, data.fluxtf.lib.tf_state_key_set, data.fluxtf.lib.tf_state_key_names]`

// stateFactNames are the lists facts_state.go gives.
var stateFactNames = []string{"tf_state_keys", "tf_contract_shapes", "secret_writers"}

// TestEngineStateFactsMatchTheLibrary: the state keys, contract shapes and
// Secret writers the engine computes in Go (facts_state.go) are those the
// library derives by itself (lib/state.rego, its reference), item for item
// and in order, on every rule fixture, the realworld repositories, a
// generated fleet and odd objects (backend blocks of every type, odd
// spacing, a disabled backend, odd workspaces and suffixes, varsFrom and
// writeOutputsToSecret of every form); Go gives them on a generated
// fleet.
func TestEngineStateFactsMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	eval := evalOf(t, e, stateFactsQuery)
	// check holds the values equal and returns which state facts Go gave
	check := func(t *testing.T, input ast.Object, files *ast.Array) map[string]bool {
		t.Helper()
		facts := buildFacts(files, nil)
		got := eval(t, withFacts(input, facts))
		want := eval(t, withFacts(input, nil))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the engine's state facts differ from the library's:\n got %v\nwant %v", got, want)
		}
		given := map[string]bool{}
		if facts != nil {
			for _, k := range stateFactNames {
				given[k] = facts.Value.(ast.Object).Get(ast.StringTerm(k)) != nil
			}
		}
		return given
	}
	fromDocs := func(t *testing.T, docs []*manifest.Doc) map[string]bool {
		t.Helper()
		cur, err := convertDocs(docs)
		if err != nil {
			t.Fatal(err)
		}
		input := builtinInput(Input{Docs: docs, Now: fixtureNow}, cur, nil)
		files, _ := input.Get(ast.StringTerm("files")).Value.(*ast.Array)
		return check(t, input, files)
	}

	t.Run("fixtures", func(t *testing.T) {
		t.Parallel()
		for name, c := range batchCases(t) {
			input := batchInput(t, c[0], c[1])
			files, _ := input.Get(ast.StringTerm("files")).Value.(*ast.Array)
			t.Run(name, func(t *testing.T) { check(t, input, files) })
		}
	})
	t.Run("realworld", func(t *testing.T) {
		t.Parallel()
		dir := realworldDir(t)
		repos, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range repos {
			if r.IsDir() {
				docs := loadKubernetesObjects(t, filepath.Join(dir, r.Name()))
				t.Run(r.Name(), func(t *testing.T) { fromDocs(t, docs) })
			}
		}
	})
	t.Run("fleet", func(t *testing.T) {
		t.Parallel()
		given := fromDocs(t, fleetCorpus(t, 400))
		for _, k := range stateFactNames {
			if !given[k] {
				t.Errorf("no %s from Go on a generated fleet", k)
			}
		}
	})
	t.Run("odd objects", func(t *testing.T) {
		t.Parallel()
		fleet := fleetCorpus(t, 60)
		var writer, reader map[string]any
		for _, d := range fleet {
			spec, _ := d.Object["spec"].(map[string]any)
			switch {
			case d.Kind != "Terraform":
			case writer == nil && spec["writeOutputsToSecret"] != nil:
				writer = d.Object
			case reader == nil && spec["varsFrom"] != nil && spec["writeOutputsToSecret"] == nil:
				reader = d.Object
			}
		}
		if writer == nil || reader == nil {
			t.Fatal("no writer or reader of a Secret in the fleet")
		}
		spec := func(o map[string]any) map[string]any { return o["spec"].(map[string]any) }
		edit := func(o map[string]any, f func(s map[string]any)) map[string]any {
			c := deepCopy(o).(map[string]any)
			f(spec(c))
			return c
		}
		custom := func(cfg any) func(s map[string]any) {
			return func(s map[string]any) { s["backendConfig"] = map[string]any{"customConfiguration": cfg} }
		}
		vf := func(s map[string]any) map[string]any { return s["varsFrom"].([]any)[0].(map[string]any) }
		wo := func(s map[string]any) map[string]any { return s["writeOutputsToSecret"].(map[string]any) }
		for _, c := range []struct {
			name string
			objs []map[string]any
		}{
			{"s3 with odd spacing", []map[string]any{edit(reader, custom("  backend \"s3\"{\n\tbucket=\"b\"\n key   \"k\"\n}\n"))}},
			{"gcs", []map[string]any{edit(reader, custom("backend \"gcs\" {\n  bucket = \"b\"\n  prefix = \"p\"\n}\n"))}},
			{"azurerm", []map[string]any{edit(reader, custom("backend \"azurerm\" {\n  storage_account_name = \"a\"\n  container_name = \"c\"\n  key = \"k\"\n}\n"))}},
			{"azurerm with nothing", []map[string]any{edit(reader, custom("backend \"azurerm\" {}\n"))}},
			{"consul", []map[string]any{edit(reader, custom("backend \"consul\" {\n  path = \"x\"\n}\n"))}},
			{"no backend type", []map[string]any{edit(reader, custom("bucket = \"b\"\nkey = \"k\"\n"))}},
			{"an attribute twice with one value", []map[string]any{edit(reader, custom("backend \"s3\" {\n  key = \"k\"\n  key = \"k\"\n}\n"))}},
			{"an attribute twice with two values", []map[string]any{edit(reader, custom("backend \"s3\" {\n  key = \"a\"\n  key = \"b\"\n}\n"))}},
			{"an attribute twice with two values, disabled", []map[string]any{edit(reader, func(s map[string]any) {
				s["backendConfig"] = map[string]any{"customConfiguration": "backend \"s3\" {\n  key = \"a\"\n  key = \"b\"\n}\n", "disable": true}
			})}},
			{"customConfiguration empty", []map[string]any{edit(reader, custom(""))}},
			{"customConfiguration a number", []map[string]any{edit(reader, custom(7))}},
			{"customConfiguration null", []map[string]any{edit(reader, custom(nil))}},
			{"s3 disabled", []map[string]any{edit(reader, func(s map[string]any) {
				s["backendConfig"] = map[string]any{"customConfiguration": "backend \"s3\" {\n  key = \"a\"\n}\n", "disable": true}
			})}},
			{"kubernetes disabled", []map[string]any{edit(reader, func(s map[string]any) { s["backendConfig"] = map[string]any{"disable": true} })}},
			{"disable not true", []map[string]any{edit(reader, func(s map[string]any) { s["backendConfig"] = map[string]any{"disable": "true"} })}},
			{"no backendConfig", []map[string]any{edit(reader, func(s map[string]any) { delete(s, "backendConfig") })}},
			{"backendConfig a string", []map[string]any{edit(reader, func(s map[string]any) { s["backendConfig"] = "x" })}},
			{"secretSuffix empty, numeric workspace", []map[string]any{edit(reader, func(s map[string]any) {
				s["backendConfig"] = map[string]any{"secretSuffix": ""}
				s["workspace"] = 3
			})}},
			{"secretSuffix numeric, workspace empty", []map[string]any{edit(reader, func(s map[string]any) {
				s["backendConfig"] = map[string]any{"secretSuffix": 3}
				s["workspace"] = ""
			})}},
			{"workspace", []map[string]any{edit(reader, func(s map[string]any) { s["workspace"] = "w" })}},
			{"s3 in a workspace, with and without workspace_key_prefix", []map[string]any{
				edit(reader, func(s map[string]any) {
					custom("backend \"s3\" {\n  bucket = \"b\"\n  key = \"k\"\n  workspace_key_prefix = \"p\"\n}\n")(s)
					s["workspace"] = "w"
				}),
				edit(reader, func(s map[string]any) {
					custom("backend \"s3\" {\n  bucket = \"b\"\n  key = \"k\"\n}\n")(s)
					s["workspace"] = "w"
				}),
				edit(reader, custom("backend \"s3\" {\n  bucket = \"b\"\n  key = \"k\"\n  workspace_key_prefix = \"p\"\n}\n")),
			}},
			{"varsFrom not a list", []map[string]any{edit(reader, func(s map[string]any) { s["varsFrom"] = "x" })}},
			{"varsFrom entry not an object", []map[string]any{edit(reader, func(s map[string]any) { s["varsFrom"] = []any{"x"} })}},
			{"varsFrom entry without kind", []map[string]any{edit(reader, func(s map[string]any) { delete(vf(s), "kind") })}},
			{"varsFrom entry without varsKeys", []map[string]any{edit(reader, func(s map[string]any) { delete(vf(s), "varsKeys") })}},
			{"varsFrom entry with a numeric name", []map[string]any{edit(reader, func(s map[string]any) { vf(s)["name"] = 3 })}},
			{"varsFrom of a Secret nobody writes", []map[string]any{edit(reader, func(s map[string]any) { vf(s)["name"] = "nobody" })}},
			{"no varsFrom", []map[string]any{edit(reader, func(s map[string]any) { delete(s, "varsFrom") })}},
			{"tfVarsFiles and values", []map[string]any{edit(reader, func(s map[string]any) {
				s["tfVarsFiles"] = []any{"a.tfvars"}
				s["values"] = map[string]any{"a": []any{1, "b"}}
			})}},
			{"writer with aliases and a numeric output", []map[string]any{edit(writer, func(s map[string]any) {
				wo(s)["outputs"] = []any{"a:b", "c", 3, "d:e:f"}
			})}},
			{"writer without outputs (the catalogue's)", []map[string]any{edit(writer, func(s map[string]any) { delete(wo(s), "outputs") })}},
			{"writer with empty outputs off the catalogue", []map[string]any{edit(writer, func(s map[string]any) {
				wo(s)["outputs"] = []any{}
				s["path"] = "./elsewhere"
			})}},
			{"writer with outputs a string", []map[string]any{edit(writer, func(s map[string]any) { wo(s)["outputs"] = "x" })}},
			{"writer without a name", []map[string]any{edit(writer, func(s map[string]any) { delete(wo(s), "name") })}},
			{"writeOutputsToSecret a list", []map[string]any{edit(writer, func(s map[string]any) { s["writeOutputsToSecret"] = []any{"x"} })}},
			{"writeOutputsToSecret a string", []map[string]any{edit(writer, func(s map[string]any) { s["writeOutputsToSecret"] = "x" })}},
			{"two writers of one Secret", []map[string]any{
				edit(writer, func(s map[string]any) { wo(s)["outputs"] = []any{"x"} }),
				edit(writer, func(s map[string]any) { wo(s)["outputs"] = []any{"y"} }),
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				// (first, so that an odd writer is its Secret's first)
				var docs []*manifest.Doc
				for i, o := range c.objs {
					docs = append(docs, benchDoc("a-odd.yaml", i, o))
				}
				docs = append(docs, fleet...)
				given := fromDocs(t, docs)
				for _, k := range stateFactNames {
					if !given[k] {
						t.Errorf("no %s from Go", k)
					}
				}
			})
		}
	})
}

// backendAttrPattern is lib._backend_attrs' pattern (lib/state.rego),
// which eachBackendAttr matches by hand.
var backendAttrPattern = regexp.MustCompile(`(?m)^\s*(backend|bucket|key|prefix|storage_account_name|container_name|workspace_key_prefix)\s*=?\s*"([^"]*)"`)

// TestEachBackendAttrMatchesThePattern: eachBackendAttr finds what the
// pattern's FindAllStringSubmatch finds, name and value, in order, on
// backend blocks as written and on strings made of the pattern's pieces
// (names, prefixes of names, spaces of every kind, =, quotes, newlines)
// in random order; and stops when its callback says so.
func TestEachBackendAttrMatchesThePattern(t *testing.T) {
	t.Parallel()
	all := func(c string) [][2]string {
		var got [][2]string
		eachBackendAttr(c, func(a int, v string) bool {
			got = append(got, [2]string{backendAttrNames[a], v})
			return true
		})
		return got
	}
	want := func(c string) [][2]string {
		var out [][2]string
		for _, m := range backendAttrPattern.FindAllStringSubmatch(c, -1) {
			out = append(out, [2]string{m[1], m[2]})
		}
		return out
	}
	cases := []string{
		"", "\n", `backend "s3"`, "backend \"s3\" {\n  bucket = \"b\"\n  key = \"k\"\n}\n",
		"terraform {\n  backend \"gcs\" {\n    bucket = \"b\"\n    prefix = \"p\"\n  }\n}\n",
		"backend \"azurerm\" {\n\tstorage_account_name=\"sa\"\n\tcontainer_name =\"c\"\n\tkey= \"k\"\n}",
		"x backend \"s3\"\n key = \"k\"", "\n\n   \n key\n=\n\"k\"", `key = "a"key = "b"`,
		"key = \"a\nb\"\nbucket = \"c\"", "key = \"unclosed\nbucket = \"b\"", "keys = \"k\"\nkey_id = \"i\"",
		"\r\nkey\r=\r\"k\"\f\nprefix \"p\"", "bucket == \"b\"", "backend  =  = \"x\"", "\"key = \"x\"\nkey = \"y\"",
		"key = \"\"\nkey = \"\"", "bucket = \"\xff\xfe\"", "\vkey = \"v\"", "\u00a0key = \"nbsp\"",
	}
	for _, c := range cases {
		if got, w := all(c), want(c); !reflect.DeepEqual(got, w) {
			t.Errorf("%q: got %q, want %q", c, got, w)
		}
	}
	pieces := []string{"backend", "bucket", "key", "prefix", "storage_account_name", "container_name", "workspace_key_prefix", "ke", "buck", "k",
		" ", "\t", "\n", "\r", "\f", "\v", "=", "==", `"`, `"s3"`, `"x y"`, "{", "}", "a", "#", "\n  "}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(24) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		c := b.String()
		if got, w := all(c), want(c); !reflect.DeepEqual(got, w) {
			t.Fatalf("%q: got %q, want %q", c, got, w)
		}
	}
	n := 0
	eachBackendAttr("key = \"a\"\nkey = \"b\"\nkey = \"c\"", func(int, string) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("eachBackendAttr called its callback %d times after it returned false on the second, want 2", n)
	}
}
