package policies

import (
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/manifest"
)

// summariesQuery is what the library derives from input.facts' summaries
// (facts_summaries.go), or without them by itself; part of factsQuery.
const summariesQuery = `data.fluxtf.lib.tf_source_keys, data.fluxtf.lib.tf_state_key_set,
	data.fluxtf.lib.tf_state_key_names, data.fluxtf.lib.common_tf_version_keys,
	data.fluxtf.lib.baseline_common_tf_version_keys, data.fluxtf.lib.common_tf_account_ids,
	count([1 | data.fluxtf.lib.names_all_valid]),`

// summaryNames are the values facts_summaries.go gives of a generated
// fleet with itself as baseline.
var summaryNames = []string{"tf_source_keys", "tf_state_key_set", "tf_state_key_names",
	"tf_version_keys", "baseline_tf_version_keys", "tf_account_ids", "names_valid"}

// TestEngineSummariesMatchTheLibrary: the summaries the engine computes in
// Go (facts_summaries.go) are those the library derives by itself
// (lib/summaries.rego, its reference) on a generated fleet with itself as
// baseline and with odd names, account ids and sources in it (the
// fixtures, realworld repositories and odd objects of
// TestEngineFactsMatchTheLibrary, whose factsQuery holds summariesQuery,
// too); Go gives every one of the fleet's.
func TestEngineSummariesMatchTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	eval := evalOf(t, e, "x := ["+summariesQuery+"]")
	fleet := fleetCorpus(t, 60)
	var tf map[string]any
	for _, d := range fleet {
		if d.Kind == "Terraform" && tf == nil {
			tf = d.Object
		}
	}
	edit := func(f func(o map[string]any)) map[string]any {
		c := deepCopy(tf).(map[string]any)
		f(c)
		return c
	}
	named := func(n string) map[string]any {
		return edit(func(o map[string]any) { o["metadata"].(map[string]any)["name"] = n })
	}
	accountID := func(v any) map[string]any {
		return edit(func(o map[string]any) {
			o["spec"].(map[string]any)["vars"] = append(o["spec"].(map[string]any)["vars"].([]any), map[string]any{"name": "account_id", "value": v})
		})
	}
	for _, c := range []struct {
		name  string
		objs  []map[string]any
		valid bool // names_all_valid
	}{
		{"fleet", nil, true},
		{"an upper-case name", []map[string]any{named("Upper")}, false},
		{"a name ending in -", []map[string]any{named("a-")}, false},
		{"a name of 63 characters", []map[string]any{named(strings.Repeat("a", 63))}, true},
		{"a name of 64 characters", []map[string]any{named(strings.Repeat("a", 64))}, false},
		{"a name with a newline", []map[string]any{named("a\nb")}, false},
		{"a numeric account id, another of a string", []map[string]any{accountID(123456789012), accountID(" 123456789012 ")}, true},
		{"an account id without a value", []map[string]any{edit(func(o map[string]any) {
			o["spec"].(map[string]any)["vars"] = append(o["spec"].(map[string]any)["vars"].([]any), map[string]any{"name": "account_id"})
		})}, true},
		{"a source in another namespace", []map[string]any{edit(func(o map[string]any) {
			o["spec"].(map[string]any)["sourceRef"].(map[string]any)["namespace"] = "elsewhere"
		})}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var docs []*manifest.Doc
			for i, o := range c.objs {
				docs = append(docs, benchDoc("a-odd.yaml", i, o))
			}
			docs = append(docs, fleet...)
			cur, err := convertDocs(docs)
			if err != nil {
				t.Fatal(err)
			}
			input := builtinInput(Input{Docs: docs, Baseline: docs, Now: fixtureNow}, cur, cur)
			files := input.Get(ast.StringTerm("files")).Value.(*ast.Array)
			baseFiles := input.Get(ast.StringTerm("baseline")).Value.(*ast.Array)
			facts := buildFacts(files, baseFiles)
			got, want := eval(t, withFacts(input, facts)), eval(t, withFacts(input, nil))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the engine's summaries differ from the library's:\n got %v\nwant %v", got, want)
			}
			for _, k := range summaryNames {
				if facts.Get(ast.StringTerm(k)) == nil {
					t.Errorf("no %s from Go", k)
				}
			}
			if v := facts.Get(tNamesValid); v == nil || !v.Equal(ast.BooleanTerm(c.valid)) {
				t.Errorf("names_valid %v, want %v", v, c.valid)
			}
		})
	}
}
