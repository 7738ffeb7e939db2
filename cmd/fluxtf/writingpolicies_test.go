package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docBlock is one fenced block of a Markdown page.
type docBlock struct {
	lang, file, body string
	line             int
}

var fenceRE = regexp.MustCompile("(?m)^```([a-z]*)(?: file=(\\S+))?\\n")

// docBlocks reads the fenced blocks of a Markdown page, in order.
func docBlocks(t *testing.T, page string) []docBlock {
	t.Helper()
	var out []docBlock
	rest, offset := page, 0
	for {
		m := fenceRE.FindStringSubmatchIndex(rest)
		if m == nil {
			return out
		}
		end := strings.Index(rest[m[1]:], "```\n")
		if end < 0 {
			t.Fatalf("line %d: unterminated block", strings.Count(page[:offset+m[0]], "\n")+1)
		}
		b := docBlock{lang: rest[m[2]:m[3]], body: rest[m[1] : m[1]+end], line: strings.Count(page[:offset+m[0]], "\n") + 1}
		if m[4] >= 0 {
			b.file = rest[m[4]:m[5]]
		}
		out = append(out, b)
		adv := m[1] + end + len("```\n")
		rest, offset = rest[adv:], offset+adv
	}
}

var exitsRE = regexp.MustCompile(`\s+#\s*exits ([0-9]+)$`)

// TestWritingPoliciesDoc runs the worked example of docs/writing-policies.md
// as a reader would: every block with file= is written into an empty
// folder, every `fluxtf` command of a sh block is run there (the exit code
// is 0 unless the line ends with "# exits N") and each line of the text
// block right after it must be in its output. The rule, written against
// data.fluxtf.api only, must give the documented finding on the fixture,
// and its _test.rego must pass under OPA's tester (fluxtf policy test).
func TestWritingPoliciesDoc(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(filepath.Join(repoRoot, "docs", "writing-policies.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := docBlocks(t, string(page))
	dir := t.TempDir()
	files, commands := 0, 0
	for _, b := range blocks {
		if b.file == "" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(b.file))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(b.body), 0o644); err != nil {
			t.Fatal(err)
		}
		files++
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		if b.lang != "sh" {
			continue
		}
		if i+1 >= len(blocks) || blocks[i+1].lang != "text" {
			t.Fatalf("docs/writing-policies.md:%d: a sh block is followed by a text block holding its output", b.line)
		}
		want := blocks[i+1]
		for _, line := range strings.Split(strings.TrimSpace(b.body), "\n") {
			wantCode := 0
			if m := exitsRE.FindStringSubmatch(line); m != nil {
				wantCode, _ = strconv.Atoi(m[1])
				line = strings.TrimSpace(line[:len(line)-len(m[0])])
			}
			args := strings.Fields(line)
			if len(args) == 0 || args[0] != "fluxtf" {
				t.Fatalf("docs/writing-policies.md:%d: %q is not a fluxtf command", b.line, line)
			}
			commands++
			cmd := exec.Command(bin, args[1:]...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "FLUXTF_TEST_AS_CLI=1")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			code := 0
			if err := cmd.Run(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					t.Fatalf("%s: %v", line, err)
				}
				code = ee.ExitCode()
			}
			if code != wantCode {
				t.Errorf("docs/writing-policies.md:%d: %s exited %d, the page says %d:\n%s", b.line, line, code, wantCode, out.String())
			}
			for _, w := range strings.Split(strings.TrimSpace(want.body), "\n") {
				if !strings.Contains(out.String(), w) {
					t.Errorf("docs/writing-policies.md:%d: the output of %s has no line\n%s\nit is:\n%s", want.line, line, w, out.String())
				}
			}
		}
	}
	if files < 3 || commands < 2 {
		t.Fatalf("docs/writing-policies.md: %d files and %d commands, want the rule, its test and its fixture and the two commands", files, commands)
	}
}
