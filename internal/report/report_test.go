package report

import (
	"bytes"
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// specialMessage has every character some format must escape.
const specialMessage = "spec.interval: invalid duration \"10 m\", want 100% Go syntax\nsee <https://fluxcd.io/flux/components/> & retry"

// fixture is a report with deny, warn and waived findings, a finding
// without a file, one with a message full of special characters, notes and
// two rules; its findings are deliberately out of order.
func fixture() *finding.Report {
	return &finding.Report{
		Findings: []finding.Finding{
			{
				Rule: "prod-os-bottlerocket", Severity: finding.Warn,
				Message: "prod runs os AL2023; Bottlerocket is recommended for production",
				File:    "clusters/prod/eks.yaml", Line: 14,
				APIVersion: "infra.contrib.fluxcd.io/v1alpha2", Kind: "Terraform",
				Name: "prod-eu-west-1-eks", Namespace: "flux-system", Field: "spec.vars[2].value",
			},
			{
				Rule: "main", Severity: finding.Warn,
				Message: "no Terraform objects matched the selector",
			},
			{
				Rule: "ref-by-tier", Severity: finding.Deny,
				Message: `uat references branch "alpha"; pin an exact semver tag such as v4.2.0`,
				File:    "clusters/uat/gitrepository.yaml", Line: 9, Column: 5,
				APIVersion: "source.toolkit.fluxcd.io/v1", Kind: "GitRepository",
				Name: "jeppesen-eks-uat", Namespace: "flux-system", Field: "spec.ref.branch",
			},
			{
				Rule: "schema", Severity: finding.Deny,
				Message: specialMessage,
				File:    "clusters/dev/eks.yaml", Line: 3, Column: 1,
				Kind: "Terraform", Name: "eks-dev",
			},
			{
				Rule: "prod-os-bottlerocket", Severity: finding.Warn,
				Message: "prod runs os AL2023; Bottlerocket is recommended for production",
				File:    "clusters/prod/eks.yaml", Line: 40, Column: 7,
				APIVersion: "infra.contrib.fluxcd.io/v1alpha2", Kind: "Terraform",
				Name: "prod-us-east-1-eks", Namespace: "flux-system", Field: "spec.vars[2].value",
				Waiver: &finding.Waiver{Reason: "Bottlerocket migration, PLAT-123", Expires: "2027-01-31"},
			},
		},
		Rules: []finding.Rule{
			{
				ID: "ref-by-tier", Severity: finding.Deny,
				Title:     "Branch refs only in dev",
				Rationale: "uat and prod must run a reviewed release, so they reference an exact semver tag.",
				Fix:       "Set spec.ref.tag to a release tag such as v4.2.0 and remove spec.ref.branch.",
				Source:    "builtin",
			},
			{
				ID: "prod-os-bottlerocket", Severity: finding.Warn,
				Title:     "Production runs Bottlerocket",
				Rationale: "Bottlerocket is the container-optimised OS recommended for production.",
				Fix:       "Set cluster.os to BOTTLEROCKET in the prod spec.",
				Source:    "builtin",
			},
		},
		Notes: []string{
			"k8s-sequential-upgrade skipped: no baseline",
			"major-bump-migration skipped: no baseline",
		},
		Files:   3,
		Objects: 5,
	}
}

func render(t *testing.T, f Format, r *finding.Report, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, r, o); err != nil {
		t.Fatalf("Write(%s): %v", f, err)
	}
	return buf.String()
}

func TestGolden(t *testing.T) {
	t.Parallel()
	opts := Options{Tool: "fluxtf", Version: "1.2.3"}
	color := opts
	color.Color = true
	quiet := opts
	quiet.Quiet = true
	tests := []struct {
		name   string
		format Format
		report *finding.Report
		opts   Options
		golden string
	}{
		{name: "text", format: Text, report: fixture(), opts: opts, golden: "text.golden"},
		{name: "text color", format: Text, report: fixture(), opts: color, golden: "text-color.golden"},
		{name: "text quiet", format: Text, report: fixture(), opts: quiet, golden: "text-quiet.golden"},
		{name: "json", format: JSON, report: fixture(), opts: opts, golden: "json.golden"},
		{name: "json empty", format: JSON, report: &finding.Report{}, opts: Options{}, golden: "json-empty.golden"},
		{name: "sarif", format: SARIF, report: fixture(), opts: opts, golden: "sarif.golden"},
		{name: "sarif empty", format: SARIF, report: nil, opts: Options{}, golden: "sarif-empty.golden"},
		{name: "github", format: GitHub, report: fixture(), opts: opts, golden: "github.golden"},
		{name: "junit", format: JUnit, report: fixture(), opts: opts, golden: "junit.golden"},
		{name: "markdown", format: Markdown, report: fixture(), opts: opts, golden: "markdown.golden"},
		{name: "markdown drift", format: Markdown, report: driftFixture(), opts: opts, golden: "markdown-drift.golden"},
		{name: "markdown empty", format: Markdown, report: &finding.Report{Files: 1, Objects: 1}, opts: Options{}, golden: "markdown-empty.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			golden(t, tt.golden, render(t, tt.format, tt.report, tt.opts))
		})
	}
}

func TestWriteLeavesReportAlone(t *testing.T) {
	t.Parallel()
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			r := fixture()
			render(t, f, r, Options{Color: true})
			if !reflect.DeepEqual(r, fixture()) {
				t.Errorf("Write(%s) modified the report", f)
			}
		})
	}
}

func TestWriteDeterministic(t *testing.T) {
	t.Parallel()
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			t.Parallel()
			a := render(t, f, fixture(), Options{})
			// Same findings in another order print the same bytes.
			r := fixture()
			for i, j := 0, len(r.Findings)-1; i < j; i, j = i+1, j-1 {
				r.Findings[i], r.Findings[j] = r.Findings[j], r.Findings[i]
			}
			r.Rules[0], r.Rules[1] = r.Rules[1], r.Rules[0]
			if b := render(t, f, r, Options{}); a != b {
				t.Errorf("output depends on input order:\n%s\n---\n%s", a, b)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		w       *failingWriter
		format  Format
		wantErr string
	}{
		{name: "unknown format", w: &failingWriter{}, format: "xml", wantErr: `unknown output format "xml": valid values are text, json, sarif, github, junit, markdown`},
		{name: "writer fails", w: &failingWriter{err: errors.New("disk full")}, format: JSON, wantErr: "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Write(tt.w, tt.format, fixture(), Options{})
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Write() error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

type failingWriter struct{ err error }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    Format
		wantErr bool
	}{
		{name: "text", in: "text", want: Text},
		{name: "json", in: "json", want: JSON},
		{name: "sarif", in: "sarif", want: SARIF},
		{name: "github", in: "github", want: GitHub},
		{name: "junit", in: "junit", want: JUnit},
		{name: "markdown", in: "markdown", want: Markdown},
		{name: "upper case and space", in: " SARIF ", want: SARIF},
		{name: "empty", in: "", wantErr: true},
		{name: "unknown", in: "yaml", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseFormat(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseFormat(%q) = %q, want an error", tt.in, got)
				}
				for _, f := range Formats() {
					if !strings.Contains(err.Error(), string(f)) {
						t.Errorf("error %q does not list %q", err, f)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			var v Format
			if err := v.Set(tt.in); err != nil || v != tt.want || v.String() != string(tt.want) {
				t.Errorf("Set(%q) = %q, %v", tt.in, v, err)
			}
		})
	}
}

func TestAllRules(t *testing.T) {
	t.Parallel()
	r := &finding.Report{
		Rules: []finding.Rule{{ID: "b", Severity: finding.Warn}, {ID: "a", Severity: finding.Deny}, {ID: "b"}},
		Findings: []finding.Finding{
			{Rule: "b", Severity: finding.Deny},
			{Rule: "waiver-unused", Severity: finding.Warn},
			{Rule: "schema", Severity: finding.Warn},
			{Rule: "schema", Severity: finding.Deny},
		},
	}
	got := allRules(r)
	want := []finding.Rule{
		{ID: "a", Severity: finding.Deny},
		{ID: "b", Severity: finding.Warn},
		{ID: "schema", Severity: finding.Deny},
		{ID: "waiver-unused", Severity: finding.Warn},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("allRules() = %+v, want %+v", got, want)
	}
}
