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
// edit the specs, never the generated files. envs are the environments as
// the check rendered them (loadedEnvs): the specs are not read again, and
// an environment no spec renders any more has no finding spoken.
func speakSpec(rep *finding.Report, ro generator.Options, envs map[string]*generator.Loaded) {
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
		l := envs[env]
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

// loadedEnvs maps each rendered environment's folder (the first part of
// its files' paths) to its loaded spec.
func loadedEnvs(outs []*generator.Output) map[string]*generator.Loaded {
	envs := make(map[string]*generator.Loaded, len(outs))
	for _, o := range outs {
		if o == nil || o.Env == nil || len(o.Files) == 0 {
			continue
		}
		env, _, _ := strings.Cut(o.Files[0].Path, "/")
		envs[env] = o.Env
	}
	return envs
}
