package check

import (
	"path/filepath"
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
	loaded := map[string]*generator.Loaded{}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.File == "" || f.Rule == RuleDrift || f.Generated != nil {
			continue
		}
		rel, err := filepath.Rel(ro.OutDir, f.File)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		env, objPath, ok := strings.Cut(filepath.ToSlash(rel), "/")
		if !ok {
			continue
		}
		l, seen := loaded[env]
		if !seen {
			l, _ = generator.Load(ro.LoadOptions, env) // a spec that fails to load renders nothing: no finding is its
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
}
