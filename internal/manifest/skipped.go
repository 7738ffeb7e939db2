package manifest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// What a folder walk skips without reading, and notes when it would hold
// a Kubernetes object (skippedNotes): a file with an upper-case extension
// (deploy.YAML, app.Yml). Flux's kustomize-controller, generating a
// kustomization for a folder that has none, reads only the extensions
// .yaml and .yml as well (fluxcd/pkg kustomize/kustomize_generator.go),
// so neither applies it; renaming it is the fix. It is noted only when
// the file would be a Kubernetes object (looksLikeObject: a top-level
// apiVersion and kind).
//
// Hidden folders and files are read as Flux reads them: a walk skips,
// silently, only what Flux's source artifact leaves out by default
// (fluxignore.Defaults: .git/, .github/, .sops.yaml, ...).

// objectPeekBytes is how much of a file looksLikeObject reads.
const objectPeekBytes = 64 << 10

// skipUpper records full, a regular file a walk met and skipped, when its
// extension is .yaml or .yml in other letters' case.
func (l *loader) skipUpper(full, name string) {
	if ext := filepath.Ext(name); ext != ".yaml" && ext != ".yml" && (strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml")) {
		l.upper = append(l.upper, full)
	}
}

// skippedNotes are the notes on the files a walk skipped that would be
// Kubernetes objects: one for upper-case extensions, counting them and
// naming the first.
func (l *loader) skippedNotes() []string {
	var notes []string
	var upper []string
	for _, f := range l.upper {
		if l.looksLikeObject(f) {
			upper = append(upper, f)
		}
	}
	if len(upper) > 0 {
		sort.Strings(upper)
		notes = append(notes, fmt.Sprintf("skipped %s with an upper-case extension holding a Kubernetes object, first %s: fluxtf, like Flux's kustomize-controller where it generates a kustomization, reads only .yaml and .yml files, so neither applies it; rename it to .yaml",
			plural(len(upper), "file"), upper[0]))
	}
	return notes
}

// looksLikeObject reports whether the regular file p starts (in its
// first objectPeekBytes) with what a Kubernetes object has: a line
// "apiVersion:" and a line "kind:", both at the top level.
func (l *loader) looksLikeObject(p string) bool {
	var r io.ReadCloser
	if l.onDisk {
		fi, err := os.Stat(p) // a walk met it as a regular file, or a link to one inside its root
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
		f, err := os.Open(p)
		if err != nil {
			return false
		}
		r = f
	} else {
		f, err := l.fs.Open(p)
		if err != nil {
			return false
		}
		r = f
	}
	defer func() { _ = r.Close() }()
	head, _ := io.ReadAll(io.LimitReader(r, objectPeekBytes))
	var api, kind bool
	for line := range bytes.Lines(head) {
		api = api || bytes.HasPrefix(line, []byte("apiVersion:"))
		kind = kind || bytes.HasPrefix(line, []byte("kind:"))
	}
	return api && kind
}
