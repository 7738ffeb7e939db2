package report

import (
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

func TestGitHubEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		wantData string
		wantProp string
	}{
		{name: "plain", in: "abc", wantData: "abc", wantProp: "abc"},
		{name: "percent", in: "100%", wantData: "100%25", wantProp: "100%25"},
		{name: "percent before escapes", in: "%0A", wantData: "%250A", wantProp: "%250A"},
		{name: "newline", in: "a\nb", wantData: "a%0Ab", wantProp: "a%0Ab"},
		{name: "carriage return", in: "a\r\nb", wantData: "a%0D%0Ab", wantProp: "a%0D%0Ab"},
		{name: "colon", in: "a:b", wantData: "a:b", wantProp: "a%3Ab"},
		{name: "comma", in: "a,b", wantData: "a,b", wantProp: "a%2Cb"},
		{name: "double colon", in: "::error::", wantData: "::error::", wantProp: "%3A%3Aerror%3A%3A"},
		{name: "xml characters untouched", in: "<&>", wantData: "<&>", wantProp: "<&>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := escapeData(tt.in); got != tt.wantData {
				t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.wantData)
			}
			if got := escapeProperty(tt.in); got != tt.wantProp {
				t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.wantProp)
			}
		})
	}
}

func TestGitHubLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		finding finding.Finding
		want    string
	}{
		{
			name:    "deny",
			finding: finding.Finding{Rule: "ref-by-tier", Severity: finding.Deny, Message: "pin a tag", File: "clusters/uat/a.yaml", Line: 9, Column: 5},
			want:    "::error file=clusters/uat/a.yaml,line=9,col=5,title=ref-by-tier::pin a tag",
		},
		{
			name:    "warn without column",
			finding: finding.Finding{Rule: "r", Severity: finding.Warn, Message: "m", File: "a.yaml", Line: 2},
			want:    "::warning file=a.yaml,line=2,title=r::m",
		},
		{
			name: "waived",
			finding: finding.Finding{Rule: "r", Severity: finding.Deny, Message: "m", File: "a.yaml", Line: 2,
				Waiver: &finding.Waiver{Reason: "PLAT-1, later", Expires: "2027-01-31"}},
			want: "::notice file=a.yaml,line=2,title=r::m (waived until 2027-01-31: PLAT-1, later)",
		},
		{
			name:    "no file",
			finding: finding.Finding{Rule: "main", Severity: finding.Warn, Message: "m", Line: 4},
			want:    "::warning title=main::m",
		},
		{
			name:    "escaped path and message",
			finding: finding.Finding{Rule: "r:x", Severity: finding.Deny, Message: "a\nb: 1%, c", File: `.\dir,1\a:b.yaml`, Line: 1},
			want:    "::error file=dir%2C1/a%3Ab.yaml,line=1,title=r%3Ax::a%0Ab: 1%25, c",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := githubLine(&tt.finding); got != tt.want {
				t.Errorf("githubLine() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestGitHubOneLinePerFinding(t *testing.T) {
	t.Parallel()
	r := fixture()
	out := render(t, GitHub, r, Options{})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want := len(r.Findings) + len(r.Notes) + 1; len(lines) != want {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), want, out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice") {
			t.Errorf("not a workflow command: %q", l)
		}
	}
	if last := lines[len(lines)-1]; last != "::notice::fluxtf: 2 deny, 2 warn, 1 waived in 5 objects from 3 files" {
		t.Errorf("summary = %q", last)
	}
}
