package report

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report *finding.Report
	}{
		{name: "fixture", report: fixture()},
		{name: "empty", report: &finding.Report{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, JSON, tt.report, Options{Version: "1.2.3"})
			if !strings.HasSuffix(out, "}\n") || !strings.HasPrefix(out, "{\n  \"version\": 1,") {
				t.Errorf("not 2-space indented with a trailing newline:\n%s", out)
			}
			var got struct {
				Version     int    `json:"version"`
				Tool        string `json:"tool"`
				ToolVersion string `json:"toolVersion"`
				Summary     struct {
					Deny, Warn, Waived, Files, Objects int
				} `json:"summary"`
				Findings []finding.Finding `json:"findings"`
				Notes    []string          `json:"notes"`
				Rules    []finding.Rule    `json:"rules"`
			}
			dec := json.NewDecoder(strings.NewReader(out))
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			want := sorted(tt.report)
			if got.Version != 1 || got.Tool != "fluxtf" || got.ToolVersion != "1.2.3" {
				t.Errorf("header = %d %q %q", got.Version, got.Tool, got.ToolVersion)
			}
			if got.Findings == nil || got.Notes == nil || got.Rules == nil {
				t.Errorf("findings, notes and rules must be arrays, not null:\n%s", out)
			}
			if len(got.Findings) != 0 || len(want.Findings) != 0 {
				if !reflect.DeepEqual(got.Findings, want.Findings) {
					t.Errorf("findings = %+v\nwant %+v", got.Findings, want.Findings)
				}
			}
			if len(got.Rules) != 0 || len(want.Rules) != 0 {
				if !reflect.DeepEqual(got.Rules, want.Rules) {
					t.Errorf("rules = %+v\nwant %+v", got.Rules, want.Rules)
				}
			}
			if len(got.Notes) != len(want.Notes) {
				t.Errorf("notes = %q, want %q", got.Notes, want.Notes)
			}
			s := got.Summary
			if s.Deny != want.Count(finding.Deny) || s.Warn != want.Count(finding.Warn) || s.Waived != want.WaivedCount() ||
				s.Files != want.Files || s.Objects != want.Objects {
				t.Errorf("summary = %+v", s)
			}
		})
	}
}

// TestJSONRequiredKeys checks the keys the CLI contract requires are in
// every finding even when empty.
func TestJSONRequiredKeys(t *testing.T) {
	t.Parallel()
	r := &finding.Report{Findings: []finding.Finding{{Rule: "main", Severity: finding.Warn, Message: "bare"}}}
	var got struct {
		Findings []map[string]json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal([]byte(render(t, JSON, r, Options{})), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"rule": `"main"`, "severity": `"warn"`, "message": `"bare"`, "file": `""`, "line": `0`,
		"kind": `""`, "name": `""`, "namespace": `""`, "waived": `false`,
	}
	for key, value := range want {
		if v, ok := got.Findings[0][key]; !ok || string(v) != value {
			t.Errorf("finding[%q] = %s (present %v), want %s", key, v, ok, value)
		}
	}
	for _, key := range []string{"column", "apiVersion", "field", "waiver"} {
		if _, ok := got.Findings[0][key]; ok {
			t.Errorf("finding has empty optional key %q", key)
		}
	}
}
