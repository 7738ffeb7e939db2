package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rulesTable is the rule table of docs/policies.md, made from the embedded
// rules' METADATA (custom.summary, custom.severity, custom.id).
func rulesTable(t *testing.T) string {
	t.Helper()
	mods, _, err := loadModules(Embedded, []string{"rules"}, false)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("| id | severity | rule |\n|---|---|---|\n")
	for _, name := range sortedModuleNames(mods) {
		r, err := ruleFromModule(name, mods[name])
		if err != nil {
			t.Fatal(err)
		}
		if r.Summary == "" {
			t.Errorf("%s: METADATA has no custom.summary (the rule's row in docs/policies.md)", name)
		}
		summary := r.Summary
		if r.Baseline && !strings.Contains(summary, "(baseline)") {
			summary += " (baseline)"
		}
		b.WriteString("| `" + r.ID + "` | " + string(r.Severity) + " | " + summary + " |\n")
	}
	return b.String()
}

// TestPoliciesDocIsFresh: the rule table of docs/policies.md is generated
// from the rules themselves (one source: a rule's METADATA); -update
// rewrites it.
func TestPoliciesDocIsFresh(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "docs", "policies.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	const begin, end = "<!-- rules:begin", "<!-- rules:end -->"
	i := strings.Index(doc, begin)
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %s ... %s markers around the rule table", path, begin, end)
	}
	// a rule's row lives in the generated table only (a row left outside
	// it, say by a merge, would go stale unseen)
	for _, row := range strings.Split(doc[:i]+doc[j:], "\n") {
		if strings.HasPrefix(row, "| `") && (strings.Contains(row, "` | deny |") || strings.Contains(row, "` | warn |")) {
			t.Errorf("%s: a rule row outside the generated table: %.60s…", path, row)
		}
	}
	i += strings.Index(doc[i:], "\n") + 1
	want := rulesTable(t)
	if doc[i:j] == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc[:i]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the rule table is stale; run go test ./policies -run TestPoliciesDocIsFresh -update", path)
}
