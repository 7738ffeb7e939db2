package policies

import (
	"context"
	"path/filepath"
	"testing"
)

// apiPolicy is a user policy written against data.fluxtf.api.
const apiPolicy = `package team.sources

import data.fluxtf.api

deny contains api.finding(o, "spec.sourceRef.name", msg) if {
	some o in api.terraforms
	o.source.name == "src"
	msg := sprintf("Terraform %s (component %s) uses the shared source", [o.name, o.component])
}
`

// TestUserPoliciesUseTheAPI: a --policy folder's policies import
// data.fluxtf.api, per document and with --combine, beside a
// conftest-style policy on the raw input, which keeps working.
func TestUserPoliciesUseTheAPI(t *testing.T) {
	t.Parallel()
	pol := writeTree(t, map[string]string{"main.rego": userPolicy, "sources.rego": apiPolicy})
	man := writeTree(t, map[string]string{"tf.yaml": tfDoc + "---\n" + srcDoc})
	for _, combine := range []bool{false, true} {
		e := newEngine(t, Options{UserDirs: []string{pol}, Combine: combine, NoBuiltin: true})
		rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{filepath.Join(man, "tf.yaml")}})
		if err != nil {
			t.Fatalf("combine %v: %v", combine, err)
		}
		rules := map[string]int{}
		for _, f := range rep.Findings {
			rules[f.Rule]++
			if f.Rule == "team.sources" {
				if f.Line != 11 || f.Name != "a-very-long-name" || f.Message != "Terraform a-very-long-name (component x) uses the shared source" {
					t.Errorf("combine %v: the API policy's finding: %+v", combine, f)
				}
			}
		}
		if rules["team.sources"] != 1 {
			t.Errorf("combine %v: the API policy found %d, want 1: %+v", combine, rules["team.sources"], rep.Findings)
		}
		// the raw-input policy reads one document: it finds only without --combine
		if want := map[bool]int{false: 1, true: 0}[combine]; rules["main"] != want {
			t.Errorf("combine %v: the conftest-style policy found %d, want %d", combine, rules["main"], want)
		}
	}
}
