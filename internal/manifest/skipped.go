package manifest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// What a folder walk skips without reading, and notes when it would hold
// a Kubernetes object (skippedNotes):
//   - a file with an upper-case extension (deploy.YAML, app.Yml): Flux's
//     kustomize-controller, generating a kustomization for a folder that
//     has none, reads only the extensions .yaml and .yml as well, so
//     neither applies it; renaming it is the fix;
//   - a hidden folder or hidden YAML file (.staging/, .app.yaml): fluxtf
//     skips it, but Flux's generated kustomization reads it (its source
//     leaves out only .git/, .github/, .circleci/ and what .sourceignore
//     names), so the note says how to check it.
//
// Both are noted only when a file there would be a Kubernetes object
// (looksLikeObject: a top-level apiVersion and kind), so a workflow, a
// linter's configuration or an editor's folder never makes a note. .git,
// .github and .circleci are never looked into: Flux's source leaves them
// out too.

// hiddenAsFlux are the hidden folders Flux's source artifact leaves out
// by default (fluxcd/pkg sourceignore's ExcludeVCS and ExcludeCI): a walk
// neither reads nor notes them.
var hiddenAsFlux = map[string]bool{".git": true, ".github": true, ".circleci": true}

// hiddenScanEntries bounds the entries looked at under the hidden
// folders of one Load (a .venv or a cache can hold many): past it, the
// folders not yet looked into are not noted.
const hiddenScanEntries = 10000

// objectPeekBytes is how much of a file looksLikeObject reads.
const objectPeekBytes = 64 << 10

// skipHidden records the hidden entry full (a folder when isDir) that a
// walk skipped, for skippedNotes. Symbolic links and special files are
// not followed or opened: the walk does not read them either.
func (l *loader) skipHidden(full, name string, isDir, isRegular bool) {
	switch {
	case isDir && !hiddenAsFlux[name]:
		l.hidden = append(l.hidden, skipped{full, true})
	case isRegular && isYAMLName(name):
		l.hidden = append(l.hidden, skipped{full, false})
	}
}

// skipped is a hidden folder or file a walk skipped.
type skipped struct {
	path string
	dir  bool
}

// skipUpper records full, a regular file a walk met and skipped, when its
// extension is .yaml or .yml in other letters' case.
func (l *loader) skipUpper(full, name string) {
	if ext := filepath.Ext(name); ext != ".yaml" && ext != ".yml" && (strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml")) {
		l.upper = append(l.upper, full)
	}
}

// skippedNotes are the notes on the files a walk skipped that would be
// Kubernetes objects: one for upper-case extensions, one for hidden
// folders and files, each counting them and naming the first.
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
	budget := hiddenScanEntries
	var hidden []string
	sort.Slice(l.hidden, func(i, j int) bool { return l.hidden[i].path < l.hidden[j].path })
	for _, h := range l.hidden {
		if h.dir && l.objectUnder(h.path, &budget) != "" || !h.dir && l.looksLikeObject(h.path) {
			hidden = append(hidden, h.path)
		}
	}
	if len(hidden) > 0 {
		what := "1 hidden folder or file"
		if len(hidden) > 1 {
			what = fmt.Sprintf("%d hidden folders or files", len(hidden))
		}
		notes = append(notes, fmt.Sprintf("skipped %s holding a Kubernetes object, first %s: a folder walk skips hidden files and folders, but Flux's kustomize-controller reads them where it generates a kustomization (its source leaves out only .git, .github, .circleci and what .sourceignore names); name it on the command line to check it, or move it",
			what, hidden[0]))
	}
	return notes
}

// objectUnder returns the first file under the folder dir (depth first,
// in name order) that a walk would read as a manifest (a .yaml or .yml
// name, hidden folders but .git included, as Flux reads them) and that
// looks like a Kubernetes object, or "". It looks at no more than
// *budget entries, counting them down.
func (l *loader) objectUnder(dir string, budget *int) string {
	if *budget <= 0 {
		return ""
	}
	type entry struct {
		name         string
		dir, regular bool
	}
	var ents []entry
	if l.onDisk {
		des, err := os.ReadDir(dir)
		if err != nil {
			return ""
		}
		for _, d := range des {
			ents = append(ents, entry{d.Name(), d.IsDir(), d.Type().IsRegular()})
		}
	} else {
		names, err := l.fs.ReadDir(dir)
		if err != nil {
			return ""
		}
		sort.Strings(names)
		for _, n := range names {
			isDir := l.fs.IsDir(filepath.Join(dir, n))
			ents = append(ents, entry{n, isDir, !isDir})
		}
	}
	for _, e := range ents {
		if *budget--; *budget < 0 {
			return ""
		}
		full := filepath.Join(dir, e.name)
		switch {
		case e.dir && e.name != ".git":
			if f := l.objectUnder(full, budget); f != "" {
				return f
			}
		case e.regular && isYAMLName(e.name) && l.looksLikeObject(full):
			return full
		}
	}
	return ""
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

// HiddenObject returns the first file under the hidden folder dir on
// disk that a walk of its parent would note (see skippedNotes), or "":
// an in-memory copy of a tree (runinput.Overlay) that leaves hidden
// folders out copies that one file, so that a walk of the copy notes the
// folder as a walk of the disk does.
func HiddenObject(dir string) string {
	if hiddenAsFlux[filepath.Base(dir)] {
		return ""
	}
	l := &loader{onDisk: true, fs: filesys.MakeFsOnDisk()}
	budget := hiddenScanEntries
	return l.objectUnder(dir, &budget)
}
