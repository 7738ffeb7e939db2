package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// injection is what an attacker puts in a file name, a YAML value or a
// user policy's message: a newline and a workflow command, the runner's
// old command form, a CR, terminal escapes and a bidi override.
const injection = "\n::error file=README.md::injected\r##[warning]old\x1b]0;title\x07\x1b[2J\u202e"

// TestHostileStringsNeverReachRaw runs validate with a hostile file name
// (an input error on stderr), hostile object values and a user policy
// whose message is hostile (findings on stdout), in every format, and
// fails when any output line is a workflow command fluxtf did not write or
// carries a raw control character.
func TestHostileStringsNeverReachRaw(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad", "a"+injection+".yaml")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("apiVersion: v1\nkind: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good")
	if err := os.MkdirAll(good, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n" +
		"metadata:\n  name: app\n  namespace: apps\n  annotations:\n    note: " + quoteYAML(injection) + "\n" +
		"spec:\n  url: https://example.com/app.git\n  interval: 1m\n  ref:\n    branch: " + quoteYAML("main"+injection) + "\n"
	if err := os.WriteFile(filepath.Join(good, "app.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(dir, "policy")
	if err := os.MkdirAll(policy, 0o755); err != nil {
		t.Fatal(err)
	}
	rego := "package main\n\ndeny contains msg if {\n\tmsg := concat(\"\", [\"evil\", input.metadata.annotations.note])\n}\n"
	if err := os.WriteFile(filepath.Join(policy, "evil.rego"), []byte(rego), 0o644); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCLI(t, "validate", "--output", "github", filepath.Join(dir, "bad"))
	if code != exitInput {
		t.Fatalf("validate of a broken file exited %d, want %d\nstderr: %q", code, exitInput, stderr)
	}
	assertNoInjection(t, "stderr of an input error", stderr, false)
	assertNoInjection(t, "stdout of an input error", stdout, true)

	for _, format := range []string{"text", "json", "sarif", "github", "junit", "markdown"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			summary := filepath.Join(t.TempDir(), "summary.md")
			code, stdout, stderr := runCLI(t, "validate", "--output", format, "--policy", policy, "--summary-file", summary, good)
			if code != exitFindings {
				t.Fatalf("validate exited %d, want %d\nstdout: %q\nstderr: %q", code, exitFindings, stdout, stderr)
			}
			if !strings.Contains(stdout, "evil") {
				t.Fatalf("the user policy's finding is missing from %s output:\n%s", format, stdout)
			}
			assertNoInjection(t, format+" stdout", stdout, format == "github")
			assertNoInjection(t, format+" stderr", stderr, false)
			b, err := os.ReadFile(summary)
			if err != nil {
				t.Fatal(err)
			}
			assertNoInjection(t, "summary file", string(b), false)
		})
	}
}

func quoteYAML(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\x1b", `\e`, "\x07", `\a`, "\u202e", `\u202e`)
	return `"` + r.Replace(s) + `"`
}

// assertNoInjection fails on a raw control character other than newline
// and tab, a bidi override, the runner's old command form anywhere, or a
// line that starts with "::" — except, with ownCommands, the github
// format's own annotation lines, whose data must then hold no raw newline.
func assertNoInjection(t *testing.T, what, out string, ownCommands bool) {
	t.Helper()
	for _, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r == '\u202e' {
			t.Errorf("%s has a raw %U: %q", what, r, out)
			return
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "##[") {
			t.Errorf("%s has the runner's old command form: %q", what, line)
		}
		if !strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
			continue
		}
		own := false
		for _, p := range []string{"::error ", "::error::", "::warning ", "::warning::", "::notice ", "::notice::"} {
			own = own || strings.HasPrefix(line, p)
		}
		if !ownCommands || !own {
			t.Errorf("%s has an injected workflow command: %q", what, line)
		}
	}
}

// TestHostileRuleMetadataInExplain: a user policy's METADATA (title,
// description, fix) is anyone's text; `fluxtf explain --policy` lists and
// explains it without raw control characters or workflow commands (it
// once printed an OSC title sequence and an ::error line raw).
func TestHostileRuleMetadataInExplain(t *testing.T) {
	t.Parallel()
	policy := filepath.Join(t.TempDir(), "policy")
	if err := os.MkdirAll(policy, 0o755); err != nil {
		t.Fatal(err)
	}
	q := quoteYAML("x" + injection)
	rego := "# METADATA\n# title: " + q + "\n# description: " + q + "\n# custom:\n#   id: evil-rule\n#   severity: deny\n#   fix: " + q +
		"\npackage user.evil\n\nimport rego.v1\n\ndeny contains \"evil\" if { input.kind == \"Nothing\" }\n"
	if err := os.WriteFile(filepath.Join(policy, "evil.rego"), []byte(rego), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"explain", "--policy", policy}, {"explain", "--policy", policy, "user.evil"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || !strings.Contains(stdout, "user.evil") {
			t.Fatalf("%q exited %d\nstdout: %q\nstderr: %q", args, code, stdout, stderr)
		}
		assertNoInjection(t, strings.Join(args[:1], " ")+" stdout", stdout, false)
	}
}
