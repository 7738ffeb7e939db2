package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

// The SARIF 2.1.0 JSON Schema cannot be fetched here (no network), so these
// types and TestSARIFStructure check what the schema and GitHub code
// scanning require of the parts fluxtf writes. Every field is a pointer or
// a raw value so that a missing property is told apart from a zero one.
type sarifDoc struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []struct {
		Tool *struct {
			Driver *struct {
				Name           *string `json:"name"`
				Version        *string `json:"version"`
				InformationURI *string `json:"informationUri"`
				Rules          []struct {
					ID               *string   `json:"id"`
					Name             *string   `json:"name"`
					ShortDescription *textProp `json:"shortDescription"`
					FullDescription  *textProp `json:"fullDescription"`
					Help             *helpProp `json:"help"`
					Default          *struct {
						Level *string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties json.RawMessage `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful *bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level          *string   `json:"level"`
				Message        *textProp `json:"message"`
				AssociatedRule *struct {
					ID    *string `json:"id"`
					Index *int    `json:"index"`
				} `json:"associatedRule"`
				Properties json.RawMessage `json:"properties"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results *[]struct {
			RuleID    *string   `json:"ruleId"`
			RuleIndex *int      `json:"ruleIndex"`
			Level     *string   `json:"level"`
			Message   *textProp `json:"message"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation *struct {
						URI       *string `json:"uri"`
						URIBaseID *string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   *int `json:"startLine"`
						StartColumn *int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          *string         `json:"kind"`
				Justification *string         `json:"justification"`
				Properties    json.RawMessage `json:"properties"`
			} `json:"suppressions"`
			Properties json.RawMessage `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

type textProp struct {
	Text *string `json:"text"`
}

type helpProp struct {
	Text     *string `json:"text"`
	Markdown *string `json:"markdown"`
}

func nonEmpty(s *string) bool { return s != nil && *s != "" }

func nonEmptyText(p *textProp) bool { return p != nil && nonEmpty(p.Text) }

var (
	sarifLevels       = map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	suppressionKinds  = map[string]bool{"inSource": true, "external": true}
	fingerprintFormat = regexp.MustCompile(`^[0-9a-f]{16}:[1-9][0-9]*$`)
)

// checkSARIF reports every way the output breaks the SARIF 2.1.0 schema or GitHub's
// ingestion rules for the properties fluxtf writes.
func checkSARIF(t *testing.T, out string) *sarifDoc {
	t.Helper()
	var doc sarifDoc
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		// Unknown fields are not invalid SARIF, but every property written
		// must be one this test checks.
		t.Fatalf("decode: %v", err)
	}
	if !nonEmpty(doc.Schema) || *doc.Schema != SARIFSchema {
		t.Errorf("$schema = %v", doc.Schema)
	}
	if doc.Version == nil || *doc.Version != "2.1.0" {
		t.Errorf("version = %v, want 2.1.0", doc.Version)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	run := doc.Runs[0]
	if run.Tool == nil || run.Tool.Driver == nil || !nonEmpty(run.Tool.Driver.Name) {
		t.Fatalf("runs[0].tool.driver.name missing")
	}
	d := run.Tool.Driver
	if !nonEmpty(d.InformationURI) || *d.InformationURI != InformationURI {
		t.Errorf("informationUri = %v", d.InformationURI)
	}
	ruleIDs := map[string]int{}
	for i, r := range d.Rules {
		if !nonEmpty(r.ID) {
			t.Errorf("rules[%d].id missing", i)
			continue
		}
		if _, dup := ruleIDs[*r.ID]; dup {
			t.Errorf("rule %q listed twice", *r.ID)
		}
		ruleIDs[*r.ID] = i
		// GitHub requires these texts and refuses empty strings.
		if !nonEmptyText(r.ShortDescription) || !nonEmptyText(r.FullDescription) || r.Help == nil || !nonEmpty(r.Help.Text) {
			t.Errorf("rule %q lacks shortDescription, fullDescription or help.text", *r.ID)
		}
		if r.Default == nil || r.Default.Level == nil || !sarifLevels[*r.Default.Level] {
			t.Errorf("rule %q defaultConfiguration.level = %v", *r.ID, r.Default)
		}
	}
	checkRuleRef := func(where string, id *string, index *int) {
		if !nonEmpty(id) {
			t.Errorf("%s: ruleId missing", where)
			return
		}
		i, ok := ruleIDs[*id]
		if !ok {
			t.Errorf("%s: ruleId %q not in tool.driver.rules", where, *id)
		}
		if index == nil || *index != i {
			t.Errorf("%s: ruleIndex %v, want %d", where, index, i)
		}
	}
	if run.Results == nil {
		t.Fatalf("runs[0].results missing (must be an array, even empty)")
	}
	fingerprints := map[string]bool{}
	for i, res := range *run.Results {
		where := fmt.Sprintf("results[%d]", i)
		checkRuleRef(where, res.RuleID, res.RuleIndex)
		if res.Level == nil || !sarifLevels[*res.Level] {
			t.Errorf("%s: level %v not in %v", where, res.Level, sarifLevels)
		}
		if !nonEmptyText(res.Message) {
			t.Errorf("%s: message.text missing", where)
		}
		// GitHub rejects the whole upload when a result has no location.
		if len(res.Locations) != 1 {
			t.Errorf("%s: %d locations, want 1", where, len(res.Locations))
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		if pl == nil || pl.ArtifactLocation == nil || !nonEmpty(pl.ArtifactLocation.URI) {
			t.Errorf("%s: physicalLocation.artifactLocation.uri missing", where)
			continue
		}
		if uri := *pl.ArtifactLocation.URI; strings.Contains(uri, `\`) || strings.Contains(uri, " ") {
			t.Errorf("%s: uri %q is not a URI reference", where, uri)
		}
		if r := pl.Region; r != nil {
			if r.StartLine == nil || *r.StartLine < 1 {
				t.Errorf("%s: region.startLine %v, want >= 1", where, r.StartLine)
			}
			if r.StartColumn != nil && *r.StartColumn < 1 {
				t.Errorf("%s: region.startColumn %d, want >= 1", where, *r.StartColumn)
			}
		}
		fp := res.PartialFingerprints[fingerprintKey]
		if !fingerprintFormat.MatchString(fp) {
			t.Errorf("%s: partialFingerprints = %v", where, res.PartialFingerprints)
		}
		if fingerprints[fp] {
			t.Errorf("%s: fingerprint %s not unique", where, fp)
		}
		fingerprints[fp] = true
		for _, s := range res.Suppressions {
			if s.Kind == nil || !suppressionKinds[*s.Kind] {
				t.Errorf("%s: suppression kind %v", where, s.Kind)
			}
		}
	}
	for i, inv := range run.Invocations {
		if inv.ExecutionSuccessful == nil {
			t.Errorf("invocations[%d].executionSuccessful missing", i)
		}
		for j, n := range inv.Notifications {
			if !nonEmptyText(n.Message) {
				t.Errorf("notification %d: message.text missing", j)
			}
			if n.Level == nil || !sarifLevels[*n.Level] {
				t.Errorf("notification %d: level %v", j, n.Level)
			}
			if n.AssociatedRule != nil {
				checkRuleRef("notification", n.AssociatedRule.ID, n.AssociatedRule.Index)
			}
		}
	}
	return &doc
}

func TestSARIFStructure(t *testing.T) {
	t.Parallel()
	fileNoLine := fixture()
	fileNoLine.Findings = append(fileNoLine.Findings,
		finding.Finding{Rule: "waiver-expired", Severity: finding.Deny, Message: "waiver expired", File: `clusters\uat\odd name.yaml`},
		// Same object, rule and field as another finding: the occurrence
		// number keeps the fingerprints apart.
		finding.Finding{Rule: "ref-by-tier", Severity: finding.Deny, Message: "second", File: "clusters/uat/gitrepository.yaml", Line: 10,
			Kind: "GitRepository", Name: "jeppesen-eks-uat", Namespace: "flux-system", Field: "spec.ref.branch"})
	tests := []struct {
		name          string
		report        *finding.Report
		wantResults   int
		wantNotifies  int
		wantSuppress  int
		wantRuleCount int
	}{
		{name: "fixture", report: fixture(), wantResults: 4, wantNotifies: 3, wantSuppress: 1, wantRuleCount: 4},
		{name: "file without line and duplicate identity", report: fileNoLine, wantResults: 6, wantNotifies: 3, wantSuppress: 1, wantRuleCount: 5},
		{name: "empty", report: &finding.Report{}, wantResults: 0, wantNotifies: 0, wantRuleCount: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := checkSARIF(t, render(t, SARIF, tt.report, Options{Version: "1.2.3"}))
			run := doc.Runs[0]
			if n := len(*run.Results); n != tt.wantResults {
				t.Errorf("%d results, want %d", n, tt.wantResults)
			}
			if n := len(run.Tool.Driver.Rules); n != tt.wantRuleCount {
				t.Errorf("%d rules, want %d", n, tt.wantRuleCount)
			}
			notifies, suppressed := 0, 0
			for _, inv := range run.Invocations {
				notifies += len(inv.Notifications)
			}
			for _, res := range *run.Results {
				if len(res.Suppressions) > 0 {
					suppressed++
					if *res.Suppressions[0].Kind != "external" || !nonEmpty(res.Suppressions[0].Justification) {
						t.Errorf("suppression %+v", res.Suppressions[0])
					}
				}
			}
			if notifies != tt.wantNotifies || suppressed != tt.wantSuppress {
				t.Errorf("%d notifications, %d suppressed; want %d, %d", notifies, suppressed, tt.wantNotifies, tt.wantSuppress)
			}
		})
	}
}

func TestSARIFLocations(t *testing.T) {
	t.Parallel()
	r := &finding.Report{Findings: []finding.Finding{
		{Rule: "a", Severity: finding.Deny, Message: "no line", File: "./x/a.yaml"},
		{Rule: "b", Severity: finding.Warn, Message: "line only", File: "x/b.yaml", Line: 4},
		{Rule: "c", Severity: finding.Warn, Message: "line and column", File: "x/c.yaml", Line: 4, Column: 2},
	}}
	doc := checkSARIF(t, render(t, SARIF, r, Options{}))
	res := *doc.Runs[0].Results
	if pl := res[0].Locations[0].PhysicalLocation; pl.Region != nil || *pl.ArtifactLocation.URI != "x/a.yaml" || *pl.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("no line: %+v %+v", pl.ArtifactLocation, pl.Region)
	}
	if rg := res[1].Locations[0].PhysicalLocation.Region; rg == nil || *rg.StartLine != 4 || rg.StartColumn != nil {
		t.Errorf("line only: %+v", rg)
	}
	if rg := res[2].Locations[0].PhysicalLocation.Region; rg == nil || *rg.StartLine != 4 || rg.StartColumn == nil || *rg.StartColumn != 2 {
		t.Errorf("line and column: %+v", rg)
	}
	if *res[0].Level != "error" || *res[1].Level != "warning" {
		t.Errorf("levels %s %s", *res[0].Level, *res[1].Level)
	}
}

func TestArtifactURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		file         string
		wantURI      string
		wantRelative bool
	}{
		{name: "relative", file: "clusters/uat/eks.yaml", wantURI: "clusters/uat/eks.yaml", wantRelative: true},
		{name: "dot slash", file: "./clusters/uat/eks.yaml", wantURI: "clusters/uat/eks.yaml", wantRelative: true},
		{name: "backslashes", file: `clusters\uat\eks.yaml`, wantURI: "clusters/uat/eks.yaml", wantRelative: true},
		{name: "space and percent", file: "a dir/100%.yaml", wantURI: "a%20dir/100%25.yaml", wantRelative: true},
		{name: "colon in first segment", file: "a:b/c.yaml", wantURI: "./a:b/c.yaml", wantRelative: true},
		{name: "parent", file: "../other/c.yaml", wantURI: "../other/c.yaml", wantRelative: true},
		{name: "absolute", file: "/work/repo/c.yaml", wantURI: "file:///work/repo/c.yaml", wantRelative: false},
		{name: "windows drive", file: `C:\repo\c.yaml`, wantURI: "file:///C:/repo/c.yaml", wantRelative: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			uri, rel := artifactURI(tt.file)
			if uri != tt.wantURI || rel != tt.wantRelative {
				t.Errorf("artifactURI(%q) = %q, %v; want %q, %v", tt.file, uri, rel, tt.wantURI, tt.wantRelative)
			}
		})
	}
}

func TestFingerprintStable(t *testing.T) {
	t.Parallel()
	base := finding.Finding{Rule: "r", Severity: finding.Deny, Message: "m", File: "a.yaml", Line: 3, Kind: "Terraform", Name: "n", Namespace: "ns", Field: "spec.x"}
	moved := base
	moved.Line, moved.Column, moved.Message = 30, 4, "reworded"
	slashes := base
	slashes.File = `.\a.yaml`
	other := base
	other.Name = "m"
	tests := []struct {
		name  string
		other finding.Finding
		same  bool
	}{
		{name: "line, column and message move", other: moved, same: true},
		{name: "path spelling", other: slashes, same: true},
		{name: "other object", other: other, same: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fingerprint(&base) == fingerprint(&tt.other); got != tt.same {
				t.Errorf("same fingerprint = %v, want %v", got, tt.same)
			}
		})
	}
}
