package generator

import (
	"fmt"
	"sort"
	"strings"

	"github.com/digx/fluxtf/internal/yamlx"
)

// MaxSpecErrors is how many errors of one spec a run reports; the rest
// are counted in one last line.
const MaxSpecErrors = 20

// specErrors merges a spec's decoding errors with the checks' errors into
// one list sorted by file, line and column, as a compiler reports them. A
// check's error about a field that did not decode (the field itself, a
// field inside it or the mapping holding it, or the field an unknown
// field's name is closest to) is left out: the decoding error is its
// cause. Past MaxSpecErrors the list ends with a count of the rest. nil
// when there is no error.
func specErrors(decoded, checked yamlx.ErrorList) error {
	var covered []string
	for _, e := range decoded {
		covered = append(covered, e.Path)
		if e.Want != "" {
			covered = append(covered, joinField(parentPath(e.Path), e.Want))
		}
	}
	all := append(yamlx.ErrorList(nil), decoded...)
	for _, e := range checked {
		if !coveredBy(e.Path, covered) {
			all = append(all, e)
		}
	}
	if len(all) == 0 {
		return nil
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i].Pos, all[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	if len(all) > MaxSpecErrors {
		rest := len(all) - MaxSpecErrors
		// The summary sits at the first error it hides, so it names a file:line too.
		last := &yamlx.Error{Pos: all[MaxSpecErrors].Pos, Msg: fmt.Sprintf("%d more errors from here on, not shown; fix the ones above and run again", rest)}
		all = append(all[:MaxSpecErrors:MaxSpecErrors], last)
	}
	return all
}

// coveredBy reports whether path is one of paths, inside one, or holds one.
func coveredBy(path string, paths []string) bool {
	if path == "" {
		return false
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if path == p || within(path, p) || within(p, path) {
			return true
		}
	}
	return false
}

// within reports whether the field path a lies inside b: b.x or b[x].
func within(a, b string) bool {
	return strings.HasPrefix(a, b+".") || strings.HasPrefix(a, b+"[")
}

// parentPath is the path of the mapping holding the field at path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

func joinField(parent, field string) string {
	if parent == "" {
		return field
	}
	return parent + "." + field
}
