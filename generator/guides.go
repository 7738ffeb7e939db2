package generator

import (
	"errors"
	"fmt"

	"github.com/digx/fluxtf/internal/yamlx"
)

// GuideLookup reports whether the stack repository holds a file at path
// in the commit tag names; an error is a failure to look (the tag does not
// exist there, git does not run).
type GuideLookup func(tag, path string) (bool, error)

// CheckMigrationGuides checks that every source.migrationGuide of the
// environments names a file of the stack repository at the environment's
// source.tag, with lookup reading that repository. An environment whose
// spec does not load is left to the render, which reports it. The errors
// are at the spec line of source.migrationGuide (or of source.tag, when
// the tag is missing from the repository).
func CheckMigrationGuides(opts LoadOptions, envs []string, repo string, lookup GuideLookup) error {
	var errs []error
	for _, name := range envs {
		l, err := Load(opts, name)
		if err != nil || l.Env.Source.MigrationGuide == nil || l.Env.Source.MigrationGuide.Path == "" || l.Env.Source.Tag == "" {
			continue
		}
		guide, tag := l.Env.Source.MigrationGuide.Path, l.Env.Source.Tag
		at := func(field string) yamlx.Pos {
			if pos, ok := l.Tree.KeyPos(field); ok {
				return pos
			}
			return yamlx.Pos{File: l.File, Line: 1, Column: 1}
		}
		ok, err := lookup(tag, guide)
		switch {
		case err != nil:
			pos := at("source.tag")
			errs = append(errs, fmt.Errorf("%s:%d:%d: source.tag: cannot look up the migration guide at %s in %s: %w", pos.File, pos.Line, pos.Column, tag, repo, err))
		case !ok:
			pos := at("source.migrationGuide.path")
			errs = append(errs, fmt.Errorf("%s:%d:%d: source.migrationGuide.path: %s does not exist in the stack repository %s at %s; fix the path (from the repository's top) or add the guide to the release", pos.File, pos.Line, pos.Column, guide, repo, tag))
		}
	}
	return errors.Join(errs...)
}
