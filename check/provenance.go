package check

import (
	"path/filepath"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
)

// speakSpec reports each finding on a generated object at the spec line
// that produced the offending field (generator.Loaded.Origin), in the
// spec's words, with the generated object as a related location: users
// edit the specs, never the generated files. Environments are loaded only
// when a finding needs them.
func speakSpec(rep *finding.Report, ro generator.Options) {
	speak(rep, ro.LoadOptions, func(file string) (string, string, bool) {
		return underRoot(ro.OutDir, file)
	})
}

// SpeakSpec does for fluxtf validate --specs what check does: each finding
// on a file rendered from the specs in lo.SpecsDir is reported at the spec
// line that produced it, the file as a related location, and one spec
// cause is one finding. A rendered file is <root>/<env>/<path> for an
// environment <env> the specs folder has; validate does not know the
// output root, so the nearest folder above the file that makes it so is
// taken. Findings on other files keep their place.
func SpeakSpec(rep *finding.Report, lo generator.LoadOptions) {
	envs, err := generator.ListEnvironments(lo.SpecsDir)
	if err != nil || len(envs) == 0 {
		return
	}
	known := make(map[string]bool, len(envs))
	for _, e := range envs {
		known[e] = true
	}
	speak(rep, lo, func(file string) (string, string, bool) {
		for dir := filepath.Dir(filepath.Dir(file)); ; dir = filepath.Dir(dir) {
			if env, objPath, ok := underRoot(dir, file); ok && known[env] {
				return env, objPath, true
			}
			if parent := filepath.Dir(dir); parent == dir {
				return "", "", false
			}
		}
	})
}

// underRoot splits file, under the output root, into the environment and
// the object's path in it.
func underRoot(root, file string) (env, objPath string, ok bool) {
	rel, err := filepath.Rel(root, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", "", false
	}
	return strings.Cut(filepath.ToSlash(rel), "/")
}

// speak maps the findings locate places under an environment to their spec
// lines.
func speak(rep *finding.Report, lo generator.LoadOptions, locate func(file string) (env, objPath string, ok bool)) {
	loaded := map[string]*generator.Loaded{}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.File == "" || f.Rule == RuleDrift || f.Generated != nil {
			continue
		}
		env, objPath, ok := locate(f.File)
		if !ok {
			continue
		}
		l, seen := loaded[env]
		if !seen {
			l, _ = generator.Load(lo, env) // a spec that fails to load renders nothing: no finding is its
			loaded[env] = l
		}
		if l == nil {
			continue
		}
		o, ok := l.Origin(objPath, f.Field)
		if !ok || o.Field == "" {
			continue
		}
		f.Generated = &finding.Location{File: f.File, Line: f.Line, Column: f.Column, Field: f.Field}
		f.File, f.Line, f.Column = o.Pos.File, o.Pos.Line, o.Pos.Column
		f.SpecField = o.Field
		f.Message = o.Field + ": " + o.Speak(f.Message)
	}
	rep.Findings = onePerCause(rep.Findings)
}

// onePerCause merges the findings one spec line causes on several
// generated objects (an account id every Terraform of a target carries, a
// version set once for every target) into one: the first, with the other
// objects' places as further related locations. Findings merge when their
// rule, severity, spec place and field, waiver and message agree; the
// message is compared with the object's own name left out, so "Terraform
// "uat-a-eks" deploys to account 1" and "Terraform "uat-a-efs" deploys to
// account 1" are one cause. Findings not reported at a spec line are kept
// as they are.
func onePerCause(fs []finding.Finding) []finding.Finding {
	type cause struct {
		rule, file, field, msg, waiver string
		sev                            finding.Severity
		line, col                      int
	}
	first := map[cause]int{}
	out := fs[:0]
	for _, f := range fs {
		if f.Generated == nil {
			out = append(out, f)
			continue
		}
		c := cause{rule: f.Rule, sev: f.Severity, file: f.File, line: f.Line, col: f.Column, field: f.SpecField, msg: f.Message}
		if f.Name != "" {
			c.msg = strings.ReplaceAll(f.Message, strconv.Quote(f.Name), `"…"`)
		}
		if f.Waiver != nil {
			c.waiver = f.Waiver.Expires + "\x00" + f.Waiver.Reason
		}
		if i, ok := first[c]; ok {
			out[i].AlsoGenerated = append(out[i].AlsoGenerated, *f.Generated)
			out[i].AlsoGenerated = append(out[i].AlsoGenerated, f.AlsoGenerated...)
			continue
		}
		first[c] = len(out)
		out = append(out, f)
	}
	return out
}
