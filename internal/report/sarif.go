package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/internal/finding"
)

// SARIF constants.
const (
	SARIFSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	SARIFVersion = "2.1.0"
	// srcRoot is the uriBaseId of relative artifact paths.
	srcRoot = "%SRCROOT%"
	// fingerprintKey is the partialFingerprints key GitHub code scanning
	// reads (it ignores every other key).
	fingerprintKey = "primaryLocationLineHash"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name,omitempty"`
	ShortDescription     sarifText     `json:"shortDescription"`
	FullDescription      sarifText     `json:"fullDescription"`
	Help                 sarifHelp     `json:"help"`
	DefaultConfiguration sarifConfig   `json:"defaultConfiguration"`
	Properties           *sarifRuleBag `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleBag struct {
	Source   string `json:"source,omitempty"`
	Baseline bool   `json:"baseline,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifObjectBag    `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               int           `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string            `json:"kind"`
	Justification string            `json:"justification,omitempty"`
	Properties    map[string]string `json:"properties,omitempty"`
}

// sarifObjectBag names the Kubernetes object a finding is about.
type sarifObjectBag struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Name       string `json:"name,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Field      string `json:"field,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string          `json:"level"`
	Message        sarifText       `json:"message"`
	AssociatedRule *sarifRuleRef   `json:"associatedRule,omitempty"`
	Properties     *sarifObjectBag `json:"properties,omitempty"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Deny:
		return "error"
	case finding.Warn:
		return "warning"
	}
	return "note"
}

func writeSARIF(buf *bytes.Buffer, r *finding.Report, o Options) error {
	rules := allRules(r)
	index := make(map[string]int, len(rules))
	driver := sarifDriver{
		Name:           o.tool(),
		Version:        o.Version,
		InformationURI: InformationURI,
		Rules:          make([]sarifRule, 0, len(rules)),
	}
	for i := range rules {
		index[rules[i].ID] = i
		driver.Rules = append(driver.Rules, toSARIFRule(&rules[i], o.tool()))
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range r.Notes {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "note", Message: sarifText{Text: n}})
	}
	run := sarifRun{
		Tool:    sarifTool{Driver: driver},
		Results: make([]sarifResult, 0, len(r.Findings)),
	}
	occurrences := map[string]int{}
	for i := range r.Findings {
		f := &r.Findings[i]
		level := sarifLevel(f.Severity)
		msg := f.Message
		if msg == "" {
			msg = f.Rule
		}
		if f.File == "" {
			// GitHub rejects an upload with a location-less result.
			if f.Waived() {
				level = "note"
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level:          level,
				Message:        sarifText{Text: msg + waiverSuffix(f)},
				AssociatedRule: &sarifRuleRef{ID: f.Rule, Index: index[f.Rule]},
				Properties:     objectBag(f),
			})
			continue
		}
		phys := sarifPhys(f.File, f.Line, f.Column)
		fp := fingerprint(f)
		occurrences[fp]++
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               level,
			Message:             sarifText{Text: msg},
			Locations:           []sarifLocation{{PhysicalLocation: phys}},
			PartialFingerprints: map[string]string{fingerprintKey: fp + ":" + strconv.Itoa(occurrences[fp])},
			Properties:          objectBag(f),
		}
		if g := f.Generated; g != nil {
			// the spec line is the result's location, the generated
			// object the related one
			res.RelatedLocations = []sarifLocation{{ID: 1, PhysicalLocation: sarifPhys(g.File, g.Line, g.Column), Message: &sarifText{Text: "generated from this spec line"}}}
			for i, a := range f.AlsoGenerated {
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: i + 2, PhysicalLocation: sarifPhys(a.File, a.Line, a.Column), Message: &sarifText{Text: "generated from this spec line"}})
			}
		}
		if f.Waived() {
			s := sarifSuppression{Kind: "external", Justification: f.Waiver.Reason}
			if f.Waiver.Expires != "" {
				s.Properties = map[string]string{"expires": f.Waiver.Expires}
			}
			res.Suppressions = []sarifSuppression{s}
		}
		run.Results = append(run.Results, res)
	}
	run.Invocations = []sarifInvocation{inv}
	return encodeJSON(buf, sarifLog{
		Schema:  SARIFSchema,
		Version: SARIFVersion,
		Runs:    []sarifRun{run},
	})
}

// sarifPhys is the physical location of file:line:column.
func sarifPhys(file string, line, column int) sarifPhysical {
	uri, base := artifactURI(file)
	phys := sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}
	if base {
		phys.ArtifactLocation.URIBaseID = srcRoot
	}
	if line >= 1 {
		phys.Region = &sarifRegion{StartLine: line}
		if column >= 1 {
			phys.Region.StartColumn = column
		}
	}
	return phys
}

// toSARIFRule fills every text GitHub requires (shortDescription,
// fullDescription, help.text) with the best text the rule has.
func toSARIFRule(rule *finding.Rule, tool string) sarifRule {
	title := firstNonEmpty(rule.Title, rule.ID)
	full := firstNonEmpty(rule.Rationale, title)
	help := firstNonEmpty(rule.Fix, full)
	var md strings.Builder
	md.WriteString("**" + title + "**")
	if rule.Rationale != "" {
		md.WriteString("\n\n" + rule.Rationale)
	}
	if rule.Fix != "" {
		md.WriteString("\n\n**Fix:** " + rule.Fix)
	}
	if rule.Source == "builtin" {
		md.WriteString("\n\nMore: `" + tool + " explain " + rule.ID + "`")
	}
	level := sarifLevel(rule.Severity)
	if level == "note" {
		level = "warning"
	}
	out := sarifRule{
		ID:                   rule.ID,
		Name:                 title,
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: help, Markdown: md.String()},
		DefaultConfiguration: sarifConfig{Level: level},
	}
	if rule.Source != "" || rule.Baseline {
		out.Properties = &sarifRuleBag{Source: rule.Source, Baseline: rule.Baseline}
	}
	return out
}

func objectBag(f *finding.Finding) *sarifObjectBag {
	b := sarifObjectBag{APIVersion: f.APIVersion, Kind: f.Kind, Name: f.Name, Namespace: f.Namespace, Field: f.Field}
	if b == (sarifObjectBag{}) {
		return nil
	}
	return &b
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// artifactURI returns the SARIF uri of a file path and whether it is
// relative to %SRCROOT%. Backslashes become slashes and a leading "./" is
// dropped; absolute paths become file:// URIs.
func artifactURI(file string) (uri string, relative bool) {
	p := strings.ReplaceAll(file, `\`, "/")
	if len(p) >= 3 && isASCIILetter(p[0]) && p[1] == ':' && p[2] == '/' {
		return (&url.URL{Scheme: "file", Path: "/" + p}).String(), false
	}
	if strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: p}).String(), false
	}
	return (&url.URL{Path: slashPath(p)}).String(), true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// fingerprint identifies a finding by what it is about rather than where
// it is, so it survives lines moving: 16 hex digits of SHA-256 over rule,
// file, kind, namespace, name and field. Write appends ":N", the finding's
// occurrence among findings with the same hash, as GitHub's own does.
func fingerprint(f *finding.Finding) string {
	h := sha256.New()
	for _, s := range []string{f.Rule, slashPath(f.File), f.Kind, f.Namespace, f.Name, f.Field} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
