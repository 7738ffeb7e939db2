package finding

import (
	"sort"
)

// Severity says whether a finding fails the run.
type Severity string

// Severities.
const (
	// Deny fails the run (exit 1).
	Deny Severity = "deny"
	// Warn is reported but does not fail the run.
	Warn Severity = "warn"
)

// RenderDrift is the rule id of findings about committed output that
// differs from what the specs render to (fluxtf check). Report formats list
// these files apart, with how to re-render.
const RenderDrift = "render-drift"

// Rule describes one policy rule, for `fluxtf explain` and SARIF.
type Rule struct {
	ID        string   `json:"id"`
	Severity  Severity `json:"severity"`
	Title     string   `json:"title"`
	Rationale string   `json:"rationale"`
	Fix       string   `json:"fix"`
	// Source is "builtin" for embedded rules, else the policy file.
	Source string `json:"source"`
	// Baseline is set for rules that compare with a baseline and are
	// skipped without one.
	Baseline bool `json:"baseline,omitempty"`
	// Summary is the rule in one line, for the rule table of
	// docs/policies.md (custom.summary in a rule's METADATA).
	Summary string `json:"-"`
	// SpecFix is the fix of a finding on a generated object, in the
	// environment spec's fields (custom.specFix); Fix is then the fix of
	// a hand-written manifest. Empty: the finding names the spec field.
	SpecFix string `json:"specFix,omitempty"`
}

// Waiver is the reason a finding is accepted for now.
type Waiver struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"` // YYYY-MM-DD
}

// Finding is one rule result about one object.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Message    string   `json:"message"`
	File       string   `json:"file,omitempty"`
	Line       int      `json:"line,omitempty"`
	Column     int      `json:"column,omitempty"`
	APIVersion string   `json:"apiVersion,omitempty"`
	Kind       string   `json:"kind,omitempty"`
	Name       string   `json:"name,omitempty"`
	Namespace  string   `json:"namespace,omitempty"`
	// Field is the path of the offending field, such as spec.vars[3].value.
	Field string `json:"field,omitempty"`
	// Waiver is set when the finding is waived: reported, but it neither
	// fails the run nor counts as a warning.
	Waiver *Waiver `json:"waiver,omitempty"`
	// SpecField is set when the finding is about a generated object and
	// File, Line and Column point at the environment spec that produced
	// it: the spec path to edit, such as cluster.kubernetesVersion.
	SpecField string `json:"specField,omitempty"`
	// Generated is the generated object's place (file, line, column,
	// field) when File points at the spec instead: a related location.
	Generated *Location `json:"generated,omitempty"`
	// AlsoGenerated are the further generated objects the same spec line
	// produced with the same finding: one spec cause is one finding, with
	// every generated object it reaches as a related location.
	AlsoGenerated []Location `json:"alsoGenerated,omitempty"`
	// Unwaivable says that no waiver may accept the finding (the policy
	// result said "waivable": false, such as a value that is certainly a
	// credential).
	Unwaivable bool `json:"unwaivable,omitempty"`
}

// Location is a place in a file, and the field there.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
}

// Waived reports whether the finding is suppressed by a waiver.
func (f *Finding) Waived() bool { return f.Waiver != nil }

// Report is the outcome of a validation run.
type Report struct {
	Findings []Finding `json:"findings"`
	// Rules lists every rule that ran, sorted by id.
	Rules []Rule `json:"rules"`
	// Notes are remarks about the run, such as rules skipped for want of
	// a baseline.
	Notes   []string `json:"notes,omitempty"`
	Files   int      `json:"files"`
	Objects int      `json:"objects"`
}

// Count returns how many unwaived findings have severity s.
func (r *Report) Count(s Severity) int {
	n := 0
	for i := range r.Findings {
		if r.Findings[i].Severity == s && !r.Findings[i].Waived() {
			n++
		}
	}
	return n
}

// WaivedCount returns how many findings are waived.
func (r *Report) WaivedCount() int {
	n := 0
	for i := range r.Findings {
		if r.Findings[i].Waived() {
			n++
		}
	}
	return n
}

// Failed reports whether any unwaived deny finding exists.
func (r *Report) Failed() bool { return r.Count(Deny) > 0 }

// Rule returns the rule with id, or nil.
func (r *Report) Rule(id string) *Rule {
	for i := range r.Rules {
		if r.Rules[i].ID == id {
			return &r.Rules[i]
		}
	}
	return nil
}

// Sort orders findings by file, line, column, rule and message, the order
// every format prints.
func (r *Report) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := &r.Findings[i], &r.Findings[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	sort.Slice(r.Rules, func(i, j int) bool { return r.Rules[i].ID < r.Rules[j].ID })
}
