package policies

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/digx/fluxtf/internal/finding"
)

func newEngine(t *testing.T, opts Options) *Engine {
	t.Helper()
	e, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEveryRuleHasTestsAndFixtures keeps the policy set complete: each
// rule file has its _test.rego and each rule has deny and pass fixtures.
func TestEveryRuleHasTestsAndFixtures(t *testing.T) {
	t.Parallel()
	entries, err := Embedded.ReadDir("rules")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name()] = true
	}
	n := 0
	for name := range have {
		if !strings.HasSuffix(name, ".rego") || strings.HasSuffix(name, "_test.rego") {
			continue
		}
		n++
		if test := strings.TrimSuffix(name, ".rego") + "_test.rego"; !have[test] {
			t.Errorf("rules/%s has no rules/%s", name, test)
		}
	}
	rules, err := BuiltinRules()
	if err != nil {
		t.Fatal(err)
	}
	regoRules := 0
	for _, r := range rules {
		if isEngineRule(r.ID) {
			continue
		}
		regoRules++
		for _, kind := range []string{"deny", "pass"} {
			dir := filepath.Join("..", "fixtures", "policies", r.ID, kind)
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				t.Errorf("rule %s has no fixture folder %s", r.ID, dir)
			}
		}
	}
	if regoRules != n || n < 16 {
		t.Errorf("%d rule files but %d rules with metadata (want 16 or more)", n, regoRules)
	}
}

func isEngineRule(id string) bool {
	for _, r := range engineRules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestEmbeddedPolicyTests runs every _test.rego of the embedded set.
func TestEmbeddedPolicyTests(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	sum, err := RunTests(context.Background(), TestOptions{}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.OK() || sum.Passed < 32 {
		t.Fatalf("policy tests: %+v\n%s", sum, out.String())
	}
}

func TestSandboxRefusesUnsafeBuiltins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, policy, want string
	}{
		{name: "http.send", policy: "package main\n\ndeny contains msg if {\n\tr := http.send({\"method\": \"get\", \"url\": \"http://example.com\"})\n\tmsg := r.body\n}\n", want: "policy.rego:4: http.send is not allowed"},
		{name: "net lookup", policy: "package main\n\ndeny contains msg if {\n\tnet.lookup_ip_addr(\"example.com\")\n\tmsg := \"x\"\n}\n", want: "policy.rego:4: net.lookup_ip_addr is not allowed"},
		{name: "opa.runtime", policy: "package main\n\ndeny contains msg if {\n\tmsg := opa.runtime().env.HOME\n}\n", want: "policy.rego:4: opa.runtime is not allowed"},
		{name: "nested in a comprehension", policy: "package main\n\ndeny contains msg if {\n\tx := [y | y := http.send({})]\n\tmsg := x[0]\n}\n", want: "http.send is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"policy.rego": tt.policy})
			_, err := New(context.Background(), Options{UserDirs: []string{dir}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want %q, got %v", tt.want, err)
			}
			_, err = RunTests(context.Background(), TestOptions{Dirs: []string{dir}, NoBuiltin: true}, &strings.Builder{})
			if err == nil || !strings.Contains(err.Error(), "is not allowed") {
				t.Fatalf("policy test must refuse it too, got %v", err)
			}
		})
	}
}

const userPolicy = `package main

deny contains msg if {
	input.kind == "Terraform"
	not input.metadata.labels.team
	msg := sprintf("Terraform %s has no team label", [input.metadata.name])
}

warn_naming contains {"msg": "name is long", "rule": "long-names"} if {
	input.kind == "Terraform"
	count(input.metadata.name) > 10
}
`

const tfDoc = `apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata:
  name: a-very-long-name
  namespace: flux-system
spec:
  interval: 10m
  path: ./x
  sourceRef:
    kind: GitRepository
    name: src
`

const srcDoc = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: src
  namespace: flux-system
spec:
  interval: 10m
  url: https://example.com/x.git
  ref:
    tag: v1.0.0
`

func TestUserPolicies(t *testing.T) {
	t.Parallel()
	pol := writeTree(t, map[string]string{"main.rego": userPolicy})
	man := writeTree(t, map[string]string{"tf.yaml": tfDoc + "---\n" + srcDoc})
	for _, combine := range []bool{false, true} {
		e := newEngine(t, Options{UserDirs: []string{pol}, Combine: combine, NoBuiltin: true})
		rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{filepath.Join(man, "tf.yaml")}})
		if combine {
			// the per-document policy sees an array and finds nothing
			if err != nil || len(rep.Findings) != 0 {
				t.Fatalf("combine: %v %+v", err, rep)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]finding.Finding{}
		for _, f := range rep.Findings {
			got[f.Rule] = f
		}
		if f := got["main"]; f.Severity != finding.Deny || f.Line != 1 || f.Name != "a-very-long-name" || !strings.Contains(f.Message, "no team label") {
			t.Errorf("deny from package main: %+v", f)
		}
		if f := got["long-names"]; f.Severity != finding.Warn {
			t.Errorf("warn_naming with a rule id: %+v", f)
		}
		if !rep.Failed() {
			t.Error("a user deny must fail the run")
		}
	}
}

// TestWaivers covers an active waiver, an expired one, one without a
// reason, one for an unknown rule and one that waives nothing.
func TestWaivers(t *testing.T) {
	t.Parallel()
	pol := writeTree(t, map[string]string{"main.rego": userPolicy})
	doc := func(name, annotations string) string {
		return strings.Replace(strings.Replace(tfDoc, "a-very-long-name", name, 1),
			"  namespace: flux-system\n", "  namespace: flux-system\n  labels: {team: x}\n  annotations:\n"+annotations, 1)
	}
	man := writeTree(t, map[string]string{
		"active.yaml":   doc("active-long-name", "    waive.fluxtf.io/long-names: \"2027-01-31: renaming in PLAT-1\"\n"),
		"expired.yaml":  doc("expired-long-name", "    waive.fluxtf.io/long-names: \"2026-01-31: renaming in PLAT-1\"\n"),
		"noreason.yaml": doc("noreason-long", "    waive.fluxtf.io/long-names: \"2027-01-31\"\n"),
		"unknown.yaml":  doc("unknown-long", "    waive.fluxtf.io/no-such-rule: \"2027-01-31: x\"\n"),
		"unused.yaml":   doc("short", "    waive.fluxtf.io/long-names: \"2027-01-31: x\"\n"),
		"forever.yaml":  doc("forever-long-name", "    waive.fluxtf.io/long-names: \"9999-12-31: accepted for good\"\n"),
		"limit.yaml":    doc("limit-long-name", "    waive.fluxtf.io/long-names: \"2027-02-23: the 90th day\"\n"),
		"src.yaml":      srcDoc,
	})
	e := newEngine(t, Options{UserDirs: []string{pol}, NoBuiltin: true})
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{man}, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ file, rule string }
	got := map[key]finding.Finding{}
	for _, f := range rep.Findings {
		got[key{filepath.Base(f.File), f.Rule}] = f
	}
	if f, ok := got[key{"active.yaml", "long-names"}]; !ok || !f.Waived() || f.Waiver.Reason != "renaming in PLAT-1" {
		t.Errorf("active waiver: %+v", f)
	}
	if f := got[key{"expired.yaml", "long-names"}]; f.Waived() {
		t.Error("an expired waiver must not waive")
	}
	if f, ok := got[key{"expired.yaml", RuleWaiverExpired}]; !ok || f.Severity != finding.Deny || f.Line != 8 {
		t.Errorf("expired waiver finding: %+v", f)
	}
	if f, ok := got[key{"noreason.yaml", RuleWaiverInvalid}]; !ok || !strings.Contains(f.Message, "no reason") {
		t.Errorf("reasonless waiver: %+v", f)
	}
	if f := got[key{"noreason.yaml", "long-names"}]; f.Waived() {
		t.Error("a reasonless waiver must not waive")
	}
	if f, ok := got[key{"unknown.yaml", RuleWaiverInvalid}]; !ok || !strings.Contains(f.Message, "unknown rule") {
		t.Errorf("unknown rule waiver: %+v", f)
	}
	if f, ok := got[key{"unused.yaml", RuleWaiverUnused}]; !ok || f.Severity != finding.Warn {
		t.Errorf("unused waiver: %+v", f)
	}
	// a waiver lasts at most DefaultMaxWaiverDays (issue 11 item 6)
	if f, ok := got[key{"forever.yaml", RuleWaiverInvalid}]; !ok || f.Severity != finding.Deny || !strings.Contains(f.Message, "more than 90 days ahead") {
		t.Errorf("waiver of 9999-12-31: %+v", f)
	}
	if f := got[key{"forever.yaml", "long-names"}]; f.Rule == "" || f.Waived() {
		t.Errorf("a waiver past the limit must not waive: %+v", f)
	}
	if f := got[key{"limit.yaml", "long-names"}]; !f.Waived() {
		t.Errorf("a waiver at the limit waives: %+v", f)
	}
	if _, ok := got[key{"limit.yaml", RuleWaiverInvalid}]; ok {
		t.Error("a waiver at the limit is valid")
	}
	// the limit is configurable
	rep, err = e.Validate(context.Background(), ValidateOptions{Paths: []string{man}, Now: now, MaxWaiverDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if filepath.Base(f.File) == "active.yaml" && (f.Waived() || f.Rule == RuleWaiverInvalid && !strings.Contains(f.Message, "more than 30 days ahead")) {
			t.Errorf("MaxWaiverDays 30: %+v", f)
		}
	}
}

// TestMaxWaiverDaysHuge: a --max-waiver-days past any date a waiver can
// name allows every date; the date arithmetic overflowed instead, so
// that the latest date allowed was yesterday and every waiver invalid.
func TestMaxWaiverDaysHuge(t *testing.T) {
	t.Parallel()
	man := writeTree(t, map[string]string{
		"forever.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    waive.fluxtf.io/names-valid: \"9999-12-31: far\"\n",
		"soon.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  annotations:\n    waive.fluxtf.io/names-valid: \"2026-12-31: soon\"\n",
	})
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, days := range []int{math.MaxInt, math.MaxInt32, 3_000_000} {
		rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{man}, Now: now, MaxWaiverDays: days})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			if f.Rule == RuleWaiverInvalid {
				t.Errorf("MaxWaiverDays %d: %s", days, f.Message)
			}
		}
	}
}

// TestWaiversCannotAcceptCredentials: a finding the policy marks
// "waivable": false (no-inline-secrets on a value that is certainly a
// credential) is never waived, and its waiver is waiver-invalid; the
// rule's other findings still take waivers.
func TestWaiversCannotAcceptCredentials(t *testing.T) {
	t.Parallel()
	cm := func(name, value string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: apps\n  annotations:\n" +
			"    waive.fluxtf.io/no-inline-secrets: \"2026-12-31: PLAT-7\"\n    k: " + value + "\n"
	}
	man := writeTree(t, map[string]string{
		"key.yaml":   cm("key", "AKIAIOSFODNN7EXAMPLE"),
		"token.yaml": cm("token", "ghp_0123456789abcdefghijABCDEFGHIJ012345"),
		"pem.yaml":   cm("pem", "'-----BEGIN EC PRIVATE KEY-----'"),
		"basic.yaml": cm("basic", "Basic YWRtaW46aHVudGVyMg=="),
	})
	e := newEngine(t, Options{})
	rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{man}, Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ file, rule string }
	got := map[key]finding.Finding{}
	for _, f := range rep.Findings {
		got[key{filepath.Base(f.File), f.Rule}] = f
	}
	for _, file := range []string{"key.yaml", "token.yaml", "pem.yaml"} {
		f, ok := got[key{file, "no-inline-secrets"}]
		if !ok || f.Waived() || !f.Unwaivable {
			t.Errorf("%s: the credential finding must stand: %+v", file, f)
		}
		if w, ok := got[key{file, RuleWaiverInvalid}]; !ok || !strings.Contains(w.Message, "certainly a credential") {
			t.Errorf("%s: the waiver must be refused: %+v", file, w)
		}
	}
	if f := got[key{"basic.yaml", "no-inline-secrets"}]; !f.Waived() || f.Unwaivable {
		t.Errorf("basic.yaml: what may be a credential takes a waiver: %+v", f)
	}
}

// oneQuery is e's embedded rules as the one query over every rule
// (builtinQuery), which the batch is held to.
func oneQuery(tb testing.TB, e *Engine) *rego.PreparedEvalQuery {
	tb.Helper()
	q, err := e.batch.oneQuery()
	if err != nil {
		tb.Fatal(err)
	}
	return q
}
