package report

import (
	"bytes"
	"encoding/json"

	"github.com/digx/fluxtf/internal/finding"
)

// jsonVersion is the version of the JSON layout; raise it on a breaking change.
const jsonVersion = 1

type jsonReport struct {
	Version     int            `json:"version"`
	Tool        string         `json:"tool"`
	ToolVersion string         `json:"toolVersion,omitempty"`
	Summary     summary        `json:"summary"`
	Findings    []jsonFinding  `json:"findings"`
	Notes       []string       `json:"notes"`
	Rules       []finding.Rule `json:"rules"`
}

// jsonFinding is finding.Finding with the keys the CLI contract requires
// always present.
type jsonFinding struct {
	Rule       string           `json:"rule"`
	Severity   finding.Severity `json:"severity"`
	Message    string           `json:"message"`
	File       string           `json:"file"`
	Line       int              `json:"line"`
	Column     int              `json:"column,omitempty"`
	APIVersion string           `json:"apiVersion,omitempty"`
	Kind       string           `json:"kind"`
	Name       string           `json:"name"`
	Namespace  string           `json:"namespace"`
	Field      string           `json:"field,omitempty"`
	Waived     bool             `json:"waived"`
	Waiver     *finding.Waiver  `json:"waiver,omitempty"`
	// SpecField, Generated and AlsoGenerated are set when file:line is
	// the spec line that produced the generated objects (finding.Finding).
	SpecField     string             `json:"specField,omitempty"`
	Generated     *finding.Location  `json:"generated,omitempty"`
	AlsoGenerated []finding.Location `json:"alsoGenerated,omitempty"`
}

func writeJSON(buf *bytes.Buffer, r *finding.Report, o Options) error {
	out := jsonReport{
		Version:     jsonVersion,
		Tool:        o.tool(),
		ToolVersion: o.Version,
		Summary:     summarize(r),
		Findings:    make([]jsonFinding, 0, len(r.Findings)),
		Notes:       append([]string{}, r.Notes...),
		Rules:       append([]finding.Rule{}, r.Rules...),
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		out.Findings = append(out.Findings, jsonFinding{
			Rule:       f.Rule,
			Severity:   f.Severity,
			Message:    f.Message,
			File:       f.File,
			Line:       f.Line,
			Column:     f.Column,
			APIVersion: f.APIVersion,
			Kind:       f.Kind,
			Name:       f.Name,
			Namespace:  f.Namespace,
			Field:      f.Field,
			Waived:     f.Waived(),
			Waiver:     f.Waiver,

			SpecField:     f.SpecField,
			Generated:     f.Generated,
			AlsoGenerated: f.AlsoGenerated,
		})
	}
	return encodeJSON(buf, out)
}

// encodeJSON writes v indented by two spaces with a trailing newline,
// without escaping <, > and & (the output is not embedded in HTML).
func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
