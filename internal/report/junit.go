package report

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/internal/finding"
)

type junitTestsuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Suites   []junitTestsuite `xml:"testsuite"`
}

type junitTestsuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitTestcase `xml:"testcase"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Classname string         `xml:"classname,attr"`
	Name      string         `xml:"name,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

func writeJUnit(buf *bytes.Buffer, r *finding.Report, o Options) error {
	rules := allRules(r)
	suite := junitTestsuite{
		Name:  o.tool(),
		Cases: make([]junitTestcase, 0, len(rules)),
	}
	suite.Properties = append(suite.Properties, junitProperty{Name: "tool", Value: o.tool()})
	if o.Version != "" {
		suite.Properties = append(suite.Properties, junitProperty{Name: "version", Value: o.Version})
	}
	sum := summarize(r)
	suite.Properties = append(suite.Properties,
		junitProperty{Name: "files", Value: strconv.Itoa(sum.Files)},
		junitProperty{Name: "objects", Value: strconv.Itoa(sum.Objects)})

	index := make(map[string]int, len(rules))
	for i := range rules {
		index[rules[i].ID] = i
		suite.Cases = append(suite.Cases, junitTestcase{
			Classname: rules[i].ID,
			Name:      firstNonEmpty(rules[i].Title, rules[i].ID),
		})
	}
	out := make([]strings.Builder, len(rules))
	for i := range r.Findings {
		f := &r.Findings[i]
		j := index[f.Rule]
		tc := &suite.Cases[j]
		body := f.Message + generatedSuffix(f) + waiverSuffix(f)
		if loc := location(f); loc != "" {
			body = loc + ": " + body
		}
		if obj := objectLine(f); obj != "" {
			body += "\n" + obj
		}
		if f.Severity == finding.Deny && !f.Waived() {
			tc.Failures = append(tc.Failures, junitFailure{Message: f.Message, Type: string(finding.Deny), Body: body})
			continue
		}
		loc := location(f)
		if loc != "" {
			loc += ": "
		}
		out[j].WriteString(loc + displaySeverity(f) + ": " + f.Message + generatedSuffix(f) + waiverSuffix(f) + "\n")
		if obj := objectLine(f); obj != "" {
			out[j].WriteString("    " + obj + "\n")
		}
	}
	for j := range suite.Cases {
		suite.Cases[j].SystemOut = out[j].String()
		if len(suite.Cases[j].Failures) > 0 {
			suite.Failures++
		}
	}
	suite.Tests = len(suite.Cases)
	var notes strings.Builder
	for _, n := range r.Notes {
		notes.WriteString("note: " + n + "\n")
	}
	notes.WriteString(sum.String() + "\n")
	suite.SystemOut = notes.String()

	doc := junitTestsuites{
		Name:     o.tool(),
		Tests:    suite.Tests,
		Failures: suite.Failures,
		Suites:   []junitTestsuite{suite},
	}
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}

// objectLine names the object a finding is about:
// "object: Terraform flux-system/uat-eks, field spec.vars[5].value".
func objectLine(f *finding.Finding) string {
	var s string
	if f.Kind != "" || f.Name != "" {
		s = "object: " + strings.TrimSpace(f.Kind+" "+qualified(f.Namespace, f.Name))
	}
	if f.Field != "" {
		if s != "" {
			s += ", "
		}
		s += "field " + f.Field
	}
	return s
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
