package policies

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/live"
	"github.com/digx/fluxtf/templates"
)

// fixtureNow is the date fixtures are checked at, so waiver expiry in
// fixtures does not drift with the calendar.
var fixtureNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// fixtureCalendar is the embedded EKS release calendar.
func fixtureCalendar(t *testing.T) *templates.EKSVersions {
	t.Helper()
	c, err := templates.Embedded().EKSVersions()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type expectation struct {
	Rule string `json:"rule"`
	File string `json:"file"`
	Line int    `json:"line"`
}

func (e expectation) String() string { return fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Rule) }

// TestRuleFixtures runs every rule's fixtures through the whole validator:
// deny/ must produce exactly the findings listed in the rule folder's
// expect.yaml (rule, file, line) and nothing else, pass/ must produce
// nothing. expect.yaml sits beside deny/, not in it: a folder walk reads
// every YAML file, whatever its name. A baseline/ folder, when present, is
// the baseline of both; a today file (YYYY-MM-DD), the day both are
// checked at (default fixtureNow); a live.out file (kubectl's output),
// what --live gives both.
func TestRuleFixtures(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "fixtures", "policies")
	rules, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, Options{})
	for _, r := range rules {
		if !r.IsDir() {
			continue
		}
		id := r.Name()
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(root, id)
			opts := ValidateOptions{Now: fixtureNow}
			if raw, err := os.ReadFile(filepath.Join(dir, "today")); err == nil {
				day, err := time.Parse(time.DateOnly, strings.TrimSpace(string(raw)))
				if err != nil {
					t.Fatalf("today: %v", err)
				}
				opts.Now = day.Add(12 * time.Hour)
			}
			if strings.HasPrefix(id, "eks-") {
				// only the calendar rules' fixtures get the calendar: the
				// others' Kubernetes versions are older than their date
				opts.EKSVersions = fixtureCalendar(t)
			}
			if st, err := os.Stat(filepath.Join(dir, "baseline")); err == nil && st.IsDir() {
				opts.BaselineDir = filepath.Join(dir, "baseline")
			}
			if _, err := os.Stat(filepath.Join(dir, "live.out")); err == nil {
				if opts.Live, err = live.Load(filepath.Join(dir, "live.out")); err != nil {
					t.Fatal(err)
				}
			}
			// deny
			deny := filepath.Join(dir, "deny")
			if _, err := os.Stat(filepath.Join(deny, "expect.yaml")); err == nil {
				t.Fatalf("deny/expect.yaml would be validated as a manifest: move it to %s/expect.yaml", id)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "expect.yaml"))
			if err != nil {
				t.Fatalf("expect.yaml: %v", err)
			}
			var want []expectation
			if err := yaml.UnmarshalStrict(raw, &want); err != nil {
				t.Fatalf("expect.yaml: %v", err)
			}
			if len(want) == 0 {
				t.Fatal("expect.yaml lists no findings")
			}
			opts.Paths = []string{deny}
			rep, err := e.Validate(context.Background(), opts)
			if err != nil {
				t.Fatalf("deny: %v", err)
			}
			got := make([]expectation, 0, len(rep.Findings))
			for _, f := range rep.Findings {
				rel, _ := filepath.Rel(deny, f.File)
				got = append(got, expectation{Rule: f.Rule, File: filepath.ToSlash(rel), Line: f.Line})
			}
			if g, w := sortedStrs(got), sortedStrs(want); g != w {
				t.Errorf("deny findings:\n%s\nwant:\n%s\nmessages:\n%s", g, w, messages(rep))
			}
			for _, f := range rep.Findings {
				if strings.Contains(f.Message, "%!") {
					t.Errorf("badly formatted message: %s", f.Message)
				}
			}
			for _, w := range want {
				if w.Rule != id {
					t.Errorf("expect.yaml names rule %s in %s's fixtures", w.Rule, id)
				}
			}
			sev := finding.Deny
			if rl := rep.Rule(id); rl != nil {
				sev = rl.Severity
			}
			if sev == finding.Deny && !rep.Failed() {
				t.Error("a deny fixture must fail the run")
			}
			// pass
			opts.Paths = []string{filepath.Join(dir, "pass")}
			rep, err = e.Validate(context.Background(), opts)
			if err != nil {
				t.Fatalf("pass: %v", err)
			}
			if len(rep.Findings) != 0 {
				t.Errorf("pass fixtures produced findings:\n%s", messages(rep))
			}
		})
	}
}

func sortedStrs(es []expectation) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.String()
	}
	sort.Strings(s)
	return strings.Join(s, "\n")
}

func messages(rep *finding.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s:%d %s %s: %s\n", f.File, f.Line, f.Severity, f.Rule, f.Message)
	}
	return b.String()
}

// TestGeneratedFixturesAreClean validates the rendered example
// environments: no finding at all, with or without themselves as baseline.
func TestGeneratedFixturesAreClean(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	clusters := filepath.Join("..", "fixtures", "clusters")
	for _, base := range []string{"", clusters} {
		rep, err := e.Validate(context.Background(), ValidateOptions{Paths: []string{clusters}, BaselineDir: base, Now: fixtureNow})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 0 {
			t.Errorf("baseline %q: findings on the generated fixtures:\n%s", base, messages(rep))
		}
		if rep.Objects < 40 {
			t.Errorf("only %d objects validated", rep.Objects)
		}
	}
}

// TestRuleFixturesTogether validates every rule's deny/ folders at once,
// then every pass/ folder, with the clusters as baseline: objects no single
// fixture puts side by side (two base Terraforms of one source and target,
// the same name in several folders) must give findings, never an
// evaluation error (component-compatibility once failed the whole run
// with eval_conflict_error here).
func TestRuleFixturesTogether(t *testing.T) {
	t.Parallel()
	e := newEngine(t, Options{})
	for _, kind := range []string{"deny", "pass"} {
		dirs, err := filepath.Glob(filepath.Join("..", "fixtures", "policies", "*", kind))
		if err != nil || len(dirs) < 20 {
			t.Fatalf("%s folders: %d (%v)", kind, len(dirs), err)
		}
		for _, base := range []string{"", filepath.Join("..", "fixtures", "clusters")} {
			rep, err := e.Validate(context.Background(), ValidateOptions{Now: fixtureNow, Paths: dirs, BaselineDir: base, EKSVersions: fixtureCalendar(t)})
			if err != nil {
				t.Fatalf("%s folders together (baseline %q): %v", kind, base, err)
			}
			if kind == "deny" && !rep.Failed() {
				t.Errorf("deny folders together (baseline %q) gave no deny", base)
			}
		}
	}
}
