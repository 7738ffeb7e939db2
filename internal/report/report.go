package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/safetext"
)

// Format is an output format, the value of --output.
type Format string

// Formats.
const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	GitHub Format = "github"
	JUnit  Format = "junit"
	// Markdown is a short summary for people: a GitHub Actions job
	// summary ($GITHUB_STEP_SUMMARY) or a pull-request comment.
	Markdown Format = "markdown"
)

// DefaultTool is the tool name used when Options.Tool is empty.
const DefaultTool = "fluxtf"

// InformationURI is the project page SARIF names as the tool's home.
const InformationURI = "https://github.com/digx/fluxtf"

// Formats returns every format, in the order help text lists them.
func Formats() []Format { return []Format{Text, JSON, SARIF, GitHub, JUnit, Markdown} }

func validList() string {
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// ParseFormat returns the format named s (case-insensitive, surrounding
// space ignored). The error lists the valid values.
func ParseFormat(s string) (Format, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for _, f := range Formats() {
		if string(f) == name {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown output format %q: valid values are %s", s, validList())
}

// String returns the format's name.
func (f Format) String() string { return string(f) }

// Set parses s into f; with String and Type it makes *Format a pflag.Value,
// so a cobra command can declare --output with Flags().Var.
func (f *Format) Set(s string) error {
	v, err := ParseFormat(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Type names the flag's value type in help text.
func (f *Format) Type() string { return "format" }

// Options tune the output.
type Options struct {
	// Color enables ANSI colours in the text format; see ColorWanted.
	Color bool
	// Tool is the tool name printed by the machine formats; "" means
	// DefaultTool ("fluxtf").
	Tool string
	// Version is the tool's version, printed by json and sarif when set.
	Version string
	// Quiet leaves the summary line out of the text format.
	Quiet bool
	// Trailer, when set, receives what the text format prints after the
	// findings (the notes and the summary line), so that a command can keep
	// stdout for the findings and send the rest to stderr; nil means w.
	Trailer io.Writer
}

func (o Options) tool() string {
	if o.Tool == "" {
		return DefaultTool
	}
	return o.Tool
}

// Write prints r to w in format f. It sorts a copy of r (finding.Report.Sort
// order); r itself is not modified. A nil r prints an empty report. The
// output is built in memory and written with a single Write call.
func Write(w io.Writer, f Format, r *finding.Report, o Options) error {
	rep := sorted(r)
	var buf, trailer bytes.Buffer
	var err error
	switch f {
	case Text:
		writeText(&buf, &trailer, rep, o)
		if o.Trailer == nil {
			buf.Write(trailer.Bytes())
			trailer.Reset()
		}
	case JSON:
		err = writeJSON(&buf, rep, o)
	case SARIF:
		err = writeSARIF(&buf, rep, o)
	case GitHub:
		writeGitHub(&buf, rep, o)
	case JUnit:
		err = writeJUnit(&buf, rep, o)
	case Markdown:
		writeMarkdown(&buf, rep, o)
	default:
		return fmt.Errorf("unknown output format %q: valid values are %s", string(f), validList())
	}
	if err != nil {
		return fmt.Errorf("report: %s: %w", f, err)
	}
	if _, err = w.Write(defuse(f, buf.Bytes())); err != nil || trailer.Len() == 0 {
		return err
	}
	_, err = o.Trailer.Write(defuse(f, trailer.Bytes()))
	return err
}

// defuse neutralises the GitHub Actions workflow commands that untrusted
// text could still form in the finished output of format f (see package
// safetext). The strings in it were already escaped by sorted; what is
// left is a line that starts with "::" or holds "##[". Each format gets an
// escape that keeps it well-formed: a backslash in the formats people
// read, \u0023 in JSON strings, and the github format's own commands are
// left alone, their data escaped by escapeData.
func defuse(f Format, out []byte) []byte {
	switch f {
	case JSON, SARIF:
		return bytes.ReplaceAll(out, []byte("##["), []byte(`#\u0023[`))
	case GitHub:
		return out
	default:
		return []byte(safetext.Commands(string(out)))
	}
}

// WriteFile writes r in format f to the file name, replacing its contents
// (SARIF for code scanning, JUnit for a test reporter). With appendTo the
// report is added at the end instead, as a job summary file such as
// $GITHUB_STEP_SUMMARY wants, separated from what is there by a blank line.
func WriteFile(name string, f Format, r *finding.Report, o Options, appendTo bool) error {
	var buf bytes.Buffer
	if err := Write(&buf, f, r, o); err != nil {
		return err
	}
	return writeFile(name, buf.Bytes(), appendTo)
}

// AppendMarkdown adds to the file name the Markdown summary of r followed
// by extra, a Markdown section of the command's own (check's release
// changes), in one write, separated from what is there by a blank line.
// Workflow commands in extra are neutralised as in the summary.
func AppendMarkdown(name string, r *finding.Report, o Options, extra []byte) error {
	var buf bytes.Buffer
	if err := Write(&buf, Markdown, r, o); err != nil {
		return err
	}
	if len(extra) > 0 {
		buf.WriteString("\n")
		buf.Write(defuse(Markdown, extra))
	}
	return writeFile(name, buf.Bytes(), true)
}

// AppendMarkdownError adds to the file name a Markdown summary of a run
// that could not produce a report (bad input, unreadable files), so a job
// summary says why the check failed instead of staying empty.
func AppendMarkdownError(name string, lines []string, o Options) error {
	var b bytes.Buffer
	b.WriteString("### ❌ " + o.tool() + " could not run\n\n```text\n")
	for _, l := range lines {
		b.WriteString(safetext.Commands(safetext.Line(strings.ReplaceAll(l, "```", "'''"))) + "\n")
	}
	b.WriteString("```\n")
	return writeFile(name, b.Bytes(), true)
}

func writeFile(name string, data []byte, appendTo bool) (err error) {
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if appendTo {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	file, err := os.OpenFile(name, flag, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}()
	if appendTo {
		if st, serr := file.Stat(); serr == nil && st.Size() > 0 {
			data = append([]byte("\n"), data...)
		}
	}
	_, err = file.Write(data)
	return err
}

// sorted returns a sorted copy of r that shares no slices with it.
func sorted(r *finding.Report) *finding.Report {
	if r == nil {
		return &finding.Report{}
	}
	c := *r
	c.Findings = make([]finding.Finding, len(r.Findings))
	for i := range r.Findings {
		c.Findings[i] = safeFinding(r.Findings[i])
	}
	c.Rules = make([]finding.Rule, len(r.Rules))
	for i := range r.Rules {
		c.Rules[i] = safeRule(r.Rules[i])
	}
	c.Notes = make([]string, len(r.Notes))
	for i, n := range r.Notes {
		c.Notes[i] = safetext.Line(n) // one line each, whatever a path in it holds
	}
	c.Sort()
	return &c
}

// safeFinding is f with every string escaped for printing (package
// safetext): the message may span lines, the other fields are one line.
// Every format prints from these copies, so no raw control character,
// bidi override or newline in a file name reaches stdout or a report file.
func safeFinding(f finding.Finding) finding.Finding {
	f.Rule = safetext.Line(f.Rule)
	f.Message = safetext.Text(f.Message)
	f.File = safetext.Line(f.File)
	f.APIVersion = safetext.Line(f.APIVersion)
	f.Kind = safetext.Line(f.Kind)
	f.Name = safetext.Line(f.Name)
	f.Namespace = safetext.Line(f.Namespace)
	f.Field = safetext.Line(f.Field)
	f.SpecField = safetext.Line(f.SpecField)
	if f.Generated != nil {
		g := *f.Generated
		g.File, g.Field = safetext.Line(g.File), safetext.Line(g.Field)
		f.Generated = &g
	}
	if len(f.AlsoGenerated) > 0 {
		also := make([]finding.Location, len(f.AlsoGenerated))
		for i, g := range f.AlsoGenerated {
			g.File, g.Field = safetext.Line(g.File), safetext.Line(g.Field)
			also[i] = g
		}
		f.AlsoGenerated = also
	}
	if f.Waiver != nil {
		w := finding.Waiver{Reason: safetext.Line(f.Waiver.Reason), Expires: safetext.Line(f.Waiver.Expires)}
		f.Waiver = &w
	}
	return f
}

func safeRule(r finding.Rule) finding.Rule {
	r.ID = safetext.Line(r.ID)
	r.Title = safetext.Line(r.Title)
	r.Rationale = safetext.Text(r.Rationale)
	r.Fix = safetext.Text(r.Fix)
	r.Source = safetext.Line(r.Source)
	return r
}

// summary holds the counts every format prints.
type summary struct {
	Deny    int `json:"deny"`
	Warn    int `json:"warn"`
	Waived  int `json:"waived"`
	Files   int `json:"files"`
	Objects int `json:"objects"`
}

func summarize(r *finding.Report) summary {
	return summary{
		Deny:    r.Count(finding.Deny),
		Warn:    r.Count(finding.Warn),
		Waived:  r.WaivedCount(),
		Files:   r.Files,
		Objects: r.Objects,
	}
}

// String is the summary line: "2 deny, 1 warn, 1 waived in 5 objects from 3 files".
func (s summary) String() string {
	return fmt.Sprintf("%d deny, %d warn, %d waived in %s from %s",
		s.Deny, s.Warn, s.Waived, plural(s.Objects, "object"), plural(s.Files, "file"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// location is "file:line:col", "file:line", "file" or "" for no file.
func location(f *finding.Finding) string {
	if f.File == "" {
		return ""
	}
	s := f.File
	if f.Line > 0 {
		s += ":" + strconv.Itoa(f.Line)
		if f.Column > 0 {
			s += ":" + strconv.Itoa(f.Column)
		}
	}
	return s
}

// generatedSuffix is " (generated: file:line:col)" for a finding reported
// at the spec line that produced a generated object, " (generated:
// file:line:col and 2 more)" when it reached several (json and sarif list
// them all).
func generatedSuffix(f *finding.Finding) string {
	if f.Generated == nil {
		return ""
	}
	g := finding.Finding{File: f.Generated.File, Line: f.Generated.Line, Column: f.Generated.Column}
	more := ""
	if n := len(f.AlsoGenerated); n > 0 {
		more = " and " + strconv.Itoa(n) + " more"
	}
	return " (generated: " + location(&g) + more + ")"
}

// waiverSuffix is " (waived until 2027-01-31: reason)" for a waived finding.
func waiverSuffix(f *finding.Finding) string {
	if !f.Waived() {
		return ""
	}
	s := " (waived"
	if f.Waiver.Expires != "" {
		s += " until " + f.Waiver.Expires
	}
	if f.Waiver.Reason != "" {
		s += ": " + f.Waiver.Reason
	}
	return s + ")"
}

// displaySeverity is the severity people see: "waived" for waived findings.
func displaySeverity(f *finding.Finding) string {
	if f.Waived() {
		return "waived"
	}
	return string(f.Severity)
}

// slashPath turns a path as given into the repository-relative form
// annotations want: forward slashes, no leading "./".
func slashPath(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	for strings.HasPrefix(p, "./") {
		p = strings.TrimLeft(p[2:], "/")
	}
	return p
}

// allRules returns the rules that ran plus a minimal rule for every rule id
// that produced a finding without being listed, sorted by id, without
// duplicates. A minimal rule takes the most severe severity among its
// findings.
func allRules(r *finding.Report) []finding.Rule {
	seen := make(map[string]int, len(r.Rules))
	out := make([]finding.Rule, 0, len(r.Rules))
	for _, rule := range r.Rules {
		if _, dup := seen[rule.ID]; dup {
			continue
		}
		seen[rule.ID] = len(out)
		out = append(out, rule)
	}
	listed := len(out)
	for i := range r.Findings {
		f := &r.Findings[i]
		j, ok := seen[f.Rule]
		if !ok {
			seen[f.Rule] = len(out)
			out = append(out, finding.Rule{ID: f.Rule, Severity: f.Severity})
			continue
		}
		if j >= listed && f.Severity == finding.Deny {
			out[j].Severity = finding.Deny
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
