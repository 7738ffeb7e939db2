package manifest

import (
	"fmt"
	"regexp"
	"sort"
)

// deprecatedRE finds the field of kustomize's deprecation warning
// ("Warning: 'commonLabels' is deprecated. Please use 'labels' instead.
// ...", types/kustomization.go), which names no file.
var deprecatedRE = regexp.MustCompile(`^Warning: '([A-Za-z0-9]+)' is deprecated\b`)

// kustomizeNotes are the notes of what kustomize logged while building
// u. A deprecation warning is about a field of one of the kustomization
// files the build read (u's own, or a base's or a component's it
// reaches): its note starts with the file:line of that field in each file
// that holds it, the file to edit, u's own first; a line about no field
// found there names the kustomization built.
func kustomizeNotes(u *kustUnit, logged []string) []string {
	var notes []string
	for _, line := range logged {
		var at []string
		if m := deprecatedRE.FindStringSubmatch(line); m != nil {
			at = fieldIn(u, m[1])
		}
		if len(at) == 0 {
			notes = append(notes, fmt.Sprintf("kustomize, building %s: %s", u.file, line))
			continue
		}
		for _, pos := range at {
			notes = append(notes, fmt.Sprintf("%s: kustomize, building %s: %s", pos, u.file, line))
		}
	}
	return notes
}

// fieldIn returns the position (file:line) of the top-level key field in
// each kustomization file u reached that has it, u's own file first,
// then by file.
func fieldIn(u *kustUnit, field string) []string {
	files := make([]string, 0, len(u.kustRoots))
	for f := range u.kustRoots {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		if (files[i] == u.file) != (files[j] == u.file) {
			return files[i] == u.file
		}
		return files[i] < files[j]
	})
	var at []string
	for _, f := range files {
		if pos, ok := u.kustRoots[f].KeyPos(field); ok {
			pos.Column = 0
			at = append(at, pos.String())
		}
	}
	return at
}
