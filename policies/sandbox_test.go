package policies

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the generated files (testdata/sandbox-builtins.txt, the rule table of docs/policies.md)")

// TestSandboxRefusesNondeterministicBuiltins: every built-in that reads
// files, the network, the environment, the clock or randomness is refused
// at compile time with the file and line of the call, in validate and in
// policy test.
func TestSandboxRefusesNondeterministicBuiltins(t *testing.T) {
	t.Parallel()
	// a local file a policy must learn nothing about, not even that it
	// exists: a schema $ref would load it
	secret := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(secret, []byte(`{"type": "object", "required": ["token"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ref := fmt.Sprintf("{\"$ref\": \"file://%s\"}", secret)
	tests := []struct {
		name, body, want string
	}{
		{name: "verify_schema with a file ref", body: "\tjson.verify_schema(" + ref + ")[0]\n\tmsg := \"the file exists\"", want: `policy\.rego:4: json\.verify_schema is not allowed in fluxtf policies: it loads a schema's \$ref from files and URLs`},
		{name: "match_schema with a file ref", body: "\t[ok, _] := json.match_schema({\"token\": 1}, " + ref + ")\n\tnot ok\n\tmsg := \"the file requires a token string\"", want: `policy\.rego:4: json\.match_schema is not allowed`},
		{name: "match_schema with an http ref", body: "\t[ok, _] := json.match_schema({}, {\"$ref\": \"http://127.0.0.1:1/x.json\"})\n\tmsg := \"x\"", want: `policy\.rego:4: json\.match_schema is not allowed`},
		{name: "time.now_ns", body: "\ttime.now_ns() > 0\n\tmsg := \"x\"", want: `policy\.rego:4: time\.now_ns is not allowed in fluxtf policies: it reads the clock`},
		{name: "rand.intn", body: "\trand.intn(\"x\", 2) == 1\n\tmsg := \"x\"", want: `policy\.rego:4: rand\.intn is not allowed in fluxtf policies: it is random`},
		{name: "uuid.rfc4122", body: "\tmsg := uuid.rfc4122(\"x\")", want: `policy\.rego:4: uuid\.rfc4122 is not allowed`},
		{name: "io.jwt.decode_verify", body: "\t[ok, _, _] := io.jwt.decode_verify(\"x\", {\"secret\": \"s\"})\n\tmsg := \"x\"", want: `policy\.rego:4: io\.jwt\.decode_verify is not allowed in fluxtf policies: it checks the token against the current time`},
		{name: "x509 verify uses the clock", body: "\t[ok, _] := crypto.x509.parse_and_verify_certificates(\"x\")\n\tmsg := \"x\"", want: `policy\.rego:4: crypto\.x509\.parse_and_verify_certificates is not allowed`},
		{name: "trace", body: "\ttrace(\"x\")\n\tmsg := \"x\"", want: `policy\.rego:4: trace is not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, map[string]string{"policy.rego": "package main\n\ndeny contains msg if {\n" + tt.body + "\n}\n"})
			_, err := New(context.Background(), Options{UserDirs: []string{dir}, NoBuiltin: true})
			if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Fatalf("want %s, got %v", tt.want, err)
			}
			_, err = RunTests(context.Background(), TestOptions{Dirs: []string{dir}, NoBuiltin: true}, &strings.Builder{})
			if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Fatalf("policy test must refuse it too: want %s, got %v", tt.want, err)
			}
		})
	}
}

// TestSandboxBuiltinList pins which of OPA's built-ins policies may call
// (testdata/sandbox-builtins.txt): an OPA upgrade that adds, removes or
// re-marks one changes the list, and the change is reviewed
// (go test ./policies -run TestSandboxBuiltinList -update).
func TestSandboxBuiltinList(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for _, bi := range ast.CapabilitiesForThisVersion().Builtins {
		if why := refusal(bi); why != "" {
			fmt.Fprintf(&b, "refused %s: it %s\n", bi.Name, why)
		} else {
			fmt.Fprintf(&b, "allowed %s\n", bi.Name)
		}
	}
	golden := filepath.Join("testdata", "sandbox-builtins.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("the sandbox's built-ins changed; review and run with -update:\n%s", b.String())
	}
	// whatever the list says, these never pass
	for _, name := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "json.verify_schema", "json.match_schema", "time.now_ns", "rand.intn", "uuid.rfc4122", "print", "trace"} {
		if refusedBuiltin(name) == "" {
			t.Errorf("%s is allowed", name)
		}
	}
	for _, bi := range sandboxCapabilities().Builtins {
		if bi.Nondeterministic {
			t.Errorf("the sandbox keeps nondeterministic %s", bi.Name)
		}
	}
}

// hostile policies: one loops for ever (900 million pairs), one builds an
// array of 100 million numbers.
const (
	loopPolicy = `package main

deny contains msg if {
	some i in numbers.range(1, 30000)
	some j in numbers.range(1, 30000)
	i == j + 40000
	msg := "never"
}
`
	hugePolicy = `package main

deny contains msg if {
	n := count([x | some x in numbers.range(1, 1e8)])
	msg := sprintf("%d numbers", [n])
}
`
)

// TestUserPolicyBounds: a policy that loops for ever stops at the
// deadline, one that grows the memory without bound stops at the memory
// limit, each with an error naming the policy file and line, per
// document and combined.
func TestUserPolicyBounds(t *testing.T) {
	t.Parallel()
	man := writeTree(t, map[string]string{"src.yaml": srcDoc})
	tests := []struct {
		name    string
		policy  string
		limits  Limits
		combine bool
		want    string
	}{
		{name: "loop", policy: loopPolicy, limits: Limits{Timeout: 300 * time.Millisecond, Memory: 1 << 40},
			want: `^\S+/policy\.rego:[3-7]: user policy evaluation stopped after 300ms \(--policy-timeout\): a rule runs too long`},
		{name: "loop combined", policy: loopPolicy, limits: Limits{Timeout: 300 * time.Millisecond, Memory: 1 << 40}, combine: true,
			want: `^\S+/policy\.rego:[3-7]: user policy evaluation stopped after 300ms \(--policy-timeout\)`},
		{name: "huge value", policy: hugePolicy, limits: Limits{Memory: 64 << 20, Timeout: 2 * time.Minute},
			want: `^\S+/policy\.rego(:4)?: user policy evaluation stopped: it grew the memory by more than 64 MiB \(--policy-memory\)`}, // at the rule's line when the stop meets the evaluation in it (OPA's stack trace), else at the file
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// not parallel: the memory limit is on the process's heap
			pol := writeTree(t, map[string]string{"policy.rego": tt.policy})
			e := newEngine(t, Options{UserDirs: []string{pol}, NoBuiltin: true, Combine: tt.combine, Limits: tt.limits})
			_, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{man}})
			if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Fatalf("want %s, got %v", tt.want, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("not one line: %q", err)
			}
		})
	}
}

// TestUserRuleCannotShadowBuiltin: a user policy may not report its
// findings under the id of one of fluxtf's rules, whether the id is its
// package, a literal in a result, or computed.
func TestUserRuleCannotShadowBuiltin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, policy string
		noBuiltin    bool
		// compile is the error New returns; run the one Validate returns
		compile, run string
	}{
		{name: "package named schema", policy: "package schema\n\ndeny contains \"x\" if { input.kind }\n",
			compile: `policy\.rego:1: user policy package schema reports rule "schema", an id of fluxtf's own rules`},
		{name: "package named like an embedded rule, without the embedded rules", policy: "package schema\n\ndeny contains \"x\" if { input.kind }\n", noBuiltin: true,
			compile: `policy\.rego:1: user policy package schema reports rule "schema"`},
		{name: "literal rule id", policy: "package main\n\ndeny contains {\"msg\": \"x\",\n\t\"rule\": \"ref-by-tier\"} if { input.kind }\n",
			compile: `policy\.rego:4: user policy package main reports rule "ref-by-tier", an id of fluxtf's own rules`},
		{name: "waiver rule id", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": \"waiver-expired\"} if { input.kind }\n",
			compile: `policy\.rego:3: user policy package main reports rule "waiver-expired"`},
		{name: "check's drift id", policy: "package main\n\nwarn contains {\"msg\": \"x\", \"rule\": \"render-drift\"} if { input.kind }\n",
			compile: `policy\.rego:3: user policy package main reports rule "render-drift"`},
		{name: "computed rule id", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": id} if {\n\tinput.kind\n\tid := concat(\"\", [\"sch\", \"ema\"])\n}\n",
			run: `\S+/policy\.rego: user policy package main reports rule "schema", an id of fluxtf's own rules \(fluxtf explain lists them\); a user policy cannot stand in for one: use another id$`},
		{name: "literal id in other case", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": \"Schema\"} if { input.kind }\n",
			compile: `policy\.rego:3: user policy package main reports rule "Schema", an id of fluxtf's own rules`},
		{name: "package named in other case", policy: "package Schema\n\ndeny contains \"x\" if { input.kind }\n",
			compile: `policy\.rego:1: user policy package Schema reports rule "Schema", an id of fluxtf's own rules`},
		{name: "literal id with a trailing space", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": \"schema \"} if { input.kind }\n",
			compile: `policy\.rego:3: user policy package main reports rule "schema ", which has ' ': a rule id is printable ASCII without spaces`},
		{name: "literal id with a Cyrillic a", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": \"schem\u0430\"} if { input.kind }\n",
			compile: `policy\.rego:3: user policy package main reports rule "schem\x{0430}", which has '\x{0430}'`},
		{name: "computed id in capitals", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": id} if {\n\tinput.kind\n\tid := upper(\"render-drift\")\n}\n",
			run: `\S+/policy\.rego: user policy package main reports rule "RENDER-DRIFT", an id of fluxtf's own rules`},
		{name: "computed id with a newline", policy: "package main\n\ndeny contains {\"msg\": \"x\", \"rule\": id} if {\n\tinput.kind\n\tid := concat(\"\\n\", [\"a\", \"b\"])\n}\n",
			run: `\S+/policy\.rego: user policy package main reports rule "a\\nb", which has '\\n': a rule id is printable ASCII`},
		{name: "a helper package named schema without findings is fine", policy: "package schema\n\nok if { input.kind }\n"},
	}
	man := writeTree(t, map[string]string{"src.yaml": srcDoc})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"policy.rego": tt.policy}
			if !strings.Contains(tt.policy, "deny") {
				files["main.rego"] = "package main\n\nwarn contains \"w\" if { false }\n"
			}
			pol := writeTree(t, files)
			e, err := New(context.Background(), Options{UserDirs: []string{pol}, NoBuiltin: tt.noBuiltin})
			if tt.compile != "" {
				if err == nil || !regexp.MustCompile(tt.compile).MatchString(err.Error()) {
					t.Fatalf("want %s, got %v", tt.compile, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.Validate(context.Background(), ValidateOptions{Paths: []string{man}})
			if tt.run == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !regexp.MustCompile(tt.run).MatchString(err.Error()) {
				t.Fatalf("want %s, got %v", tt.run, err)
			}
		})
	}
}

// TestSchemaFindingsCannotBeWaived: a waiver for schema (or for a waiver
// rule) is itself a deny finding and waives nothing.
func TestSchemaFindingsCannotBeWaived(t *testing.T) {
	t.Parallel()
	bad := strings.Replace(srcDoc, "https://example.com/x.git", "git@github.com:x/y.git", 1)
	bad = strings.Replace(bad, "  namespace: flux-system\n", "  namespace: flux-system\n  annotations:\n    waive.fluxtf.io/schema: \"2026-12-31: the URL is fine\"\n    waive.fluxtf.io/waiver-unused: \"2026-12-31: quiet\"\n", 1)
	man := writeTree(t, map[string]string{"src.yaml": bad})
	e := newEngine(t, Options{})
	rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{man}, Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var schema, invalid []finding.Finding
	for _, f := range rep.Findings {
		switch f.Rule {
		case RuleSchema:
			schema = append(schema, f)
		case RuleWaiverInvalid:
			invalid = append(invalid, f)
		}
	}
	if len(schema) == 0 {
		t.Fatalf("no schema finding: %+v", rep.Findings)
	}
	for _, f := range schema {
		if f.Waived() {
			t.Errorf("schema finding waived: %+v", f)
		}
	}
	msgs := []string{}
	for _, f := range invalid {
		msgs = append(msgs, f.Message)
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{"schema findings cannot be waived: the API server rejects the object", "waiver-unused findings cannot be waived"} {
		if !strings.Contains(got, want) {
			t.Errorf("want a waiver-invalid finding %q, got %q", want, got)
		}
	}
	if !rep.Failed() {
		t.Error("the run must fail")
	}
}

// TestUserPolicyFolderLinks: the policy folder's walk follows no link to
// a folder. A link to the folder itself (inside it) is skipped, its
// policies loaded once where they are; OPA's loader followed it for ever.
// A link to a file inside is loaded under its own name.
func TestUserPolicyFolderLinks(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy")
	if err := os.Mkdir(pol, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pol, "p.rego"), []byte("package main\n\ndeny contains \"x\" if false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"again": ".", "q.rego": "p.rego"} {
		if err := os.Symlink(target, filepath.Join(pol, name)); err != nil {
			t.Fatal(err)
		}
	}
	type loaded struct {
		mods map[string]*ast.Module
		err  error
	}
	done := make(chan loaded, 1)
	go func() {
		mods, _, err := loadModules(nil, []string{pol}, true)
		done <- loaded{mods, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			t.Fatal(res.err)
		}
		var names []string
		for n := range res.mods {
			names = append(names, filepath.Base(n))
		}
		sort.Strings(names)
		if want := []string{"p.rego", "q.rego"}; !slices.Equal(names, want) {
			t.Errorf("loaded %v, want %v", names, want)
		}
	case <-time.After(time.Minute):
		t.Fatal("the policy folder's walk followed its link to itself for a minute (a loop)")
	}
	// the folder named may be a link itself
	link := filepath.Join(dir, "link")
	if err := os.Symlink("policy", link); err != nil {
		t.Fatal(err)
	}
	mods, _, err := loadModules(nil, []string{link}, false)
	if err != nil || len(mods) != 2 {
		t.Errorf("through a link to the folder: %d modules, %v", len(mods), err)
	}
}

// TestPolicyTestParametrized: a parametrized test (test_x[name]) runs, as
// under opa test, and a failing case is named, escaped. OPA's runner
// injects internal.test_case into such a test, which the sandbox refused
// ("undefined function internal.test_case", no file, no test run); a
// test calling it itself is still refused at its line.
func TestPolicyTestParametrized(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("p.rego", "package main\n\ndeny contains \"x\" if input.kind == \"Bad\"\n")
	write("p_test.rego", "package main\n\ntest_bad[kind] if {\n\tsome kind in [\"Bad\", \"\\u001b[2JWorse\"]\n\tcount(deny) == 1 with input as {\"kind\": kind}\n}\n")
	var out strings.Builder
	sum, err := RunTests(context.Background(), TestOptions{Dirs: []string{dir}, NoBuiltin: true}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Passed != 0 || sum.Failed != 1 || !strings.Contains(out.String(), "FAIL  \\x1b[2JWorse\n") || strings.Contains(out.String(), "\x1b") {
		t.Errorf("summary %+v, output:\n%s", sum, out.String())
	}
	write("p_test.rego", "package main\n\ntest_bad[kind] if {\n\tsome kind in [\"Bad\"]\n\tcount(deny) == 1 with input as {\"kind\": kind}\n}\n")
	if sum, err = RunTests(context.Background(), TestOptions{Dirs: []string{dir}, NoBuiltin: true}, &out); err != nil || sum.Passed != 1 || !sum.OK() {
		t.Errorf("summary %+v, err %v", sum, err)
	}
	write("q_test.rego", "package main\n\ntest_y if {\n\tinternal.test_case([\"a\"])\n}\n")
	if _, err = RunTests(context.Background(), TestOptions{Dirs: []string{dir}, NoBuiltin: true}, &out); err == nil || !strings.Contains(err.Error(), "q_test.rego:4: internal.test_case is not allowed") {
		t.Errorf("a test calling internal.test_case: %v", err)
	}
}

// TestUserResultRuleShape: a deny, warn or violation rule that cannot hold
// findings is refused at its line, saying how one is written; fluxtf's
// query over it failed with OPA's error at no file (":1: undefined ref:
// data.main.deny[__localq0__]").
func TestUserResultRuleShape(t *testing.T) {
	for body, want := range map[string]string{
		`deny(x) := x`:            `p\.rego:3: main\.deny is a function; .*write ` + "`deny contains msg if",
		`deny := "no"`:            `p\.rego:3: main\.deny is a single string; `,
		`warn := 5`:               `p\.rego:3: main\.warn is a single number; .*write ` + "`warn contains msg if",
		`deny := x if { x := 5 }`: `p\.rego:3: main\.deny cannot hold findings \(`,
		`violation := true`:       `p\.rego:3: main\.violation is a single boolean; `,
		`deny_x(a, b) := [a, b]`:  `p\.rego:3: main\.deny_x is a function; `,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte("package main\n\n"+body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := New(context.Background(), Options{UserDirs: []string{dir}, NoBuiltin: true})
		if err == nil || !regexp.MustCompile(want).MatchString(err.Error()) || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%s: want %s, got %v", body, want, err)
		}
	}
}
