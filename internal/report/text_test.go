package report

import (
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

func TestTextLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		finding finding.Finding
		want    string
	}{
		{
			name:    "file line column",
			finding: finding.Finding{Rule: "r", Severity: finding.Deny, Message: "m", File: "a.yaml", Line: 3, Column: 7},
			want:    "a.yaml:3:7: deny r: m",
		},
		{
			name:    "no column",
			finding: finding.Finding{Rule: "r", Severity: finding.Warn, Message: "m", File: "a.yaml", Line: 3},
			want:    "a.yaml:3: warn r: m",
		},
		{
			name:    "no line",
			finding: finding.Finding{Rule: "r", Severity: finding.Warn, Message: "m", File: "a.yaml", Column: 4},
			want:    "a.yaml: warn r: m",
		},
		{
			name:    "no file",
			finding: finding.Finding{Rule: "r", Severity: finding.Deny, Message: "m", Line: 3},
			want:    "deny r: m",
		},
		{
			name: "waived",
			finding: finding.Finding{Rule: "r", Severity: finding.Deny, Message: "m", File: "a.yaml", Line: 3,
				Waiver: &finding.Waiver{Reason: "PLAT-1", Expires: "2027-01-31"}},
			want: "a.yaml:3: waived r: m (waived until 2027-01-31: PLAT-1)",
		},
		{
			name:    "waived without date",
			finding: finding.Finding{Rule: "r", Severity: finding.Warn, Message: "m", Waiver: &finding.Waiver{Reason: "why"}},
			want:    "waived r: m (waived: why)",
		},
		{
			name:    "multi-line message",
			finding: finding.Finding{Rule: "r", Severity: finding.Deny, Message: "one\ntwo\n"},
			want:    "deny r: one\n    two",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := textLine(&tt.finding, false); got != tt.want {
				t.Errorf("textLine() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTextSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report *finding.Report
		quiet  bool
		want   string
	}{
		{name: "fixture", report: fixture(), want: "2 deny, 2 warn, 1 waived in 5 objects from 3 files\n"},
		{name: "singular", report: &finding.Report{Files: 1, Objects: 1}, want: "0 deny, 0 warn, 0 waived in 1 object from 1 file\n"},
		{name: "nil report", report: nil, want: "0 deny, 0 warn, 0 waived in 0 objects from 0 files\n"},
		{name: "quiet", report: &finding.Report{Files: 1}, quiet: true, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, Text, tt.report, Options{Quiet: tt.quiet})
			lines := strings.SplitAfter(out, "\n")
			got := ""
			if !tt.quiet {
				got = lines[len(lines)-2]
			} else if strings.Contains(out, " deny, ") {
				got = out
			}
			if got != tt.want {
				t.Errorf("summary = %q, want %q (output %q)", got, tt.want, out)
			}
		})
	}
}

func TestColorOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		format    Format
		color     bool
		wantCodes []string
	}{
		{name: "text plain", format: Text, color: false},
		{name: "text color", format: Text, color: true, wantCodes: []string{ansiRed + "deny" + ansiReset, ansiYellow + "warn" + ansiReset, ansiDim + "clusters/prod/eks.yaml:40:7: waived"}},
		{name: "json ignores color", format: JSON, color: true},
		{name: "sarif ignores color", format: SARIF, color: true},
		{name: "github ignores color", format: GitHub, color: true},
		{name: "junit ignores color", format: JUnit, color: true},
		{name: "markdown ignores color", format: Markdown, color: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, tt.format, fixture(), Options{Color: tt.color})
			if len(tt.wantCodes) == 0 {
				if strings.Contains(out, "\x1b") {
					t.Errorf("output has escape codes:\n%q", out)
				}
				return
			}
			for _, c := range tt.wantCodes {
				if !strings.Contains(out, c) {
					t.Errorf("output lacks %q:\n%q", c, out)
				}
			}
			// Notes and the summary stay plain.
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if last := lines[len(lines)-1]; strings.Contains(last, "\x1b") {
				t.Errorf("summary is coloured: %q", last)
			}
		})
	}
}

// TestTextTrailer: with Options.Trailer the text format keeps the
// findings on w and writes the notes and the summary line to the trailer
// (a command's stdout and stderr); other formats ignore it.
func TestTextTrailer(t *testing.T) {
	t.Parallel()
	rep := &finding.Report{
		Findings: []finding.Finding{{Rule: "r", Severity: finding.Deny, Message: "m", File: "a.yaml", Line: 3}},
		Notes:    []string{"skipped x: no baseline"},
	}
	var out, trailer strings.Builder
	if err := Write(&out, Text, rep, Options{Trailer: &trailer}); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "a.yaml:3: deny r: m\n"; got != want {
		t.Errorf("findings: got %q, want %q", got, want)
	}
	if got := trailer.String(); !strings.HasPrefix(got, "note: skipped x: no baseline\n1 deny, 0 warn") {
		t.Errorf("trailer: got %q, want the note and the summary line", got)
	}
	out.Reset()
	trailer.Reset()
	if err := Write(&out, JSON, rep, Options{Trailer: &trailer}); err != nil {
		t.Fatal(err)
	}
	if trailer.Len() != 0 || !strings.Contains(out.String(), `"notes"`) {
		t.Errorf("json: trailer %q, output %q; want everything in the output", trailer.String(), out.String())
	}
}
