package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
	"go.yaml.in/yaml/v3"
)

// baselineFixturesRego is the generated Rego test of the rule fixtures
// that have a baseline/ folder (conftest has no baseline, so these run the
// fixtures with their baseline under `opa test` and `fluxtf policy test`).
const baselineFixturesRego = "rules/baseline_fixtures_test.rego"

const baselineFixturesHeader = `# Generated from fixtures/policies/<rule>/{baseline,deny,pass}/ for the
# rules whose fixtures have a baseline: conftest has no baseline, so these
# tests check those fixtures with their baseline, over all rules: deny/
# finds exactly the findings of its expect.yaml (rule, file, and the field
# in the comment after the rule), pass/ finds nothing, and deny/ without
# the baseline finds nothing (as under conftest).
# DO NOT EDIT: go test ./policies -run TestBaselineFixturesRegoIsFresh -update
package fluxtf.fixtures_test

import data.fluxtf.test as t

context := {"repositoryURL": "github.com/digx/fluxtf"}
`

// fixtureFiles reads the documents of one fixture folder as the engine's
// input lists them: {"path": file, "contents": object}, files by name.
func fixtureFiles(t *testing.T, dir string) []any {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var out []any
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("%s: %v", name, err)
			}
			if doc == nil {
				continue
			}
			out = append(out, map[string]any{"path": filepath.Base(name), "contents": doc})
		}
	}
	return out
}

// expectedLocated reads a rule folder's expect.yaml as [rule, file, field] triples:
// the field is the comment after the rule (`- rule: x  # spec.vars[4].value`).
func expectedLocated(t *testing.T, file string) [][3]string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var out [][3]string
	if len(root.Content) == 0 {
		return nil
	}
	for _, item := range root.Content[0].Content {
		var rule, path, field string
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i], item.Content[i+1]
			switch k.Value {
			case "rule":
				rule = v.Value
				field = strings.TrimSpace(strings.TrimPrefix(v.LineComment, "#"))
			case "file":
				path = v.Value
			}
		}
		if field == "" {
			// a finding with no field (on a file only in baseline/): the
			// folder's own Rego test covers it
			return nil
		}
		out = append(out, [3]string{rule, path, field})
	}
	return out
}

// baselineFixturesModule generates baselineFixturesRego's text.
func baselineFixturesModule(t *testing.T) []byte {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "fixtures", "policies", "*", "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	var b strings.Builder
	b.WriteString(baselineFixturesHeader)
	term := func(v any) string {
		val, err := ast.InterfaceToValue(v)
		if err != nil {
			t.Fatal(err)
		}
		return val.String()
	}
	// indented JSON is Rego too, and opa fmt keeps its lines
	multiline := func(v any) string {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "\t")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(buf.String())
	}
	for _, dir := range dirs {
		root := filepath.Dir(dir)
		rule := filepath.Base(root)
		if expectedLocated(t, filepath.Join(root, "expect.yaml")) == nil {
			continue // see expectedLocated
		}
		v := strings.ReplaceAll(rule, "-", "_")
		for _, kind := range []string{"baseline", "deny", "pass"} {
			fmt.Fprintf(&b, "\n%s_%s := %s\n", v, kind, multiline(fixtureFiles(t, filepath.Join(root, kind))))
		}
		var located []string
		for _, l := range expectedLocated(t, filepath.Join(root, "expect.yaml")) {
			located = append(located, term([]any{l[0], l[1], l[2]}))
		}
		sort.Strings(located)
		fmt.Fprintf(&b, `
test_%[1]s_deny_fixture if {
	t.located == {%[2]s} with input as {"files": %[1]s_deny, "baseline": %[1]s_baseline, "context": context}
}

test_%[1]s_pass_fixture if {
	count(t.located) == 0 with input as {"files": %[1]s_pass, "baseline": %[1]s_baseline, "context": context}
}

test_%[1]s_deny_fixture_without_baseline if {
	count(t.located) == 0 with input as {"files": %[1]s_deny, "context": context}
	count(t.located) == 0 with input as [f | some f in %[1]s_deny]
}
`, v, strings.Join(located, ", "))
	}
	out, err := format.Source(baselineFixturesRego, []byte(b.String()))
	if err != nil {
		t.Fatalf("format the generated %s: %v", baselineFixturesRego, err)
	}
	return out
}

// TestBaselineFixturesRegoIsFresh: rules/baseline_fixtures_test.rego is
// generated from the rule fixtures with a baseline; -update rewrites it.
func TestBaselineFixturesRegoIsFresh(t *testing.T) {
	t.Parallel()
	want := baselineFixturesModule(t)
	path := filepath.Join(baselineFixturesRego)
	got, err := os.ReadFile(path)
	if err == nil && bytes.Equal(got, want) {
		return
	}
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("policies/%s is stale (or missing: %v); run go test ./policies -run TestBaselineFixturesRegoIsFresh -update", baselineFixturesRego, err)
}
