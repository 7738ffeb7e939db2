package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/digx/fluxtf/internal/finding"
)

// Test-local mirror of the JUnit layout, independent of the writer's types.
type parsedSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Suites   []parsedSuite `xml:"testsuite"`
}

type parsedSuite struct {
	Name      string       `xml:"name,attr"`
	Tests     int          `xml:"tests,attr"`
	Failures  int          `xml:"failures,attr"`
	Errors    int          `xml:"errors,attr"`
	Cases     []parsedCase `xml:"testcase"`
	SystemOut string       `xml:"system-out"`
}

type parsedCase struct {
	Classname string `xml:"classname,attr"`
	Name      string `xml:"name,attr"`
	Failures  []struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	} `xml:"failure"`
	SystemOut string `xml:"system-out"`
}

func TestJUnitParsesAndCounts(t *testing.T) {
	t.Parallel()
	allPass := fixture()
	allPass.Findings = allPass.Findings[:2] // two warns
	tests := []struct {
		name         string
		report       *finding.Report
		wantCases    []string
		wantFailures int
	}{
		{name: "fixture", report: fixture(), wantCases: []string{"main", "prod-os-bottlerocket", "ref-by-tier", "schema"}, wantFailures: 2},
		{name: "warnings only", report: allPass, wantCases: []string{"main", "prod-os-bottlerocket", "ref-by-tier"}, wantFailures: 0},
		{name: "empty", report: &finding.Report{}, wantCases: nil, wantFailures: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, JUnit, tt.report, Options{})
			if !strings.HasPrefix(out, xml.Header) {
				t.Errorf("no XML header")
			}
			var got parsedSuites
			if err := xml.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if len(got.Suites) != 1 || got.Suites[0].Name != "fluxtf" {
				t.Fatalf("want one testsuite named fluxtf, got %+v", got.Suites)
			}
			s := got.Suites[0]
			var names []string
			failed, failures := 0, 0
			for _, c := range s.Cases {
				names = append(names, c.Classname)
				if len(c.Failures) > 0 {
					failed++
				}
				for _, f := range c.Failures {
					failures++
					if f.Type != "deny" || f.Message == "" || !strings.Contains(f.Body, f.Message) {
						t.Errorf("failure %+v", f)
					}
				}
			}
			if strings.Join(names, ",") != strings.Join(tt.wantCases, ",") {
				t.Errorf("test cases = %v, want %v", names, tt.wantCases)
			}
			if s.Tests != len(s.Cases) || got.Tests != s.Tests {
				t.Errorf("tests = %d/%d, want %d", got.Tests, s.Tests, len(s.Cases))
			}
			if s.Failures != failed || got.Failures != failed || failed != tt.wantFailures {
				t.Errorf("failures = %d/%d, %d test cases failed, want %d", got.Failures, s.Failures, failed, tt.wantFailures)
			}
			if deny := tt.report.Count(finding.Deny); failures != deny {
				t.Errorf("%d <failure> elements, want one per unwaived deny (%d)", failures, deny)
			}
		})
	}
}

func TestJUnitContent(t *testing.T) {
	t.Parallel()
	var got parsedSuites
	if err := xml.Unmarshal([]byte(render(t, JUnit, fixture(), Options{})), &got); err != nil {
		t.Fatal(err)
	}
	cases := map[string]parsedCase{}
	for _, c := range got.Suites[0].Cases {
		cases[c.Classname] = c
	}
	schema := cases["schema"]
	if len(schema.Failures) != 1 || schema.Failures[0].Message != specialMessage {
		t.Errorf("special characters did not survive the XML round trip: %+v", schema.Failures)
	}
	if body := schema.Failures[0].Body; !strings.HasPrefix(body, "clusters/dev/eks.yaml:3:1: ") {
		t.Errorf("failure body lacks file:line: %q", body)
	}
	prod := cases["prod-os-bottlerocket"]
	if len(prod.Failures) != 0 {
		t.Errorf("warn and waived findings must not fail: %+v", prod.Failures)
	}
	for _, want := range []string{"clusters/prod/eks.yaml:14: warn: ", "clusters/prod/eks.yaml:40:7: waived: ", "(waived until 2027-01-31: Bottlerocket migration, PLAT-123)"} {
		if !strings.Contains(prod.SystemOut, want) {
			t.Errorf("system-out lacks %q:\n%s", want, prod.SystemOut)
		}
	}
	if cases["ref-by-tier"].Name != "Branch refs only in dev" || cases["main"].Name != "main" {
		t.Errorf("test case names: %q %q", cases["ref-by-tier"].Name, cases["main"].Name)
	}
	if !strings.Contains(got.Suites[0].SystemOut, "note: k8s-sequential-upgrade skipped: no baseline") {
		t.Errorf("suite system-out lacks the notes: %q", got.Suites[0].SystemOut)
	}
}
