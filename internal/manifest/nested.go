package manifest

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Kustomizations nested in a kustomization's folder.
//
// A folder walk stops at a folder holding a kustomization and builds it
// (holdsKustomization). Below it, a folder with a kustomization of its own
// that the built one does not reach (no resources, components or other
// entry names it) is not part of that build; in a Flux repository it is
// usually the spec.path of another Flux Kustomization (an app's folder
// beside the ks.yaml that points at it), which Flux builds on its own.
// Such a folder is built on its own too, as the walk builds a
// kustomization it meets outside any other, rather than reported as files
// "no kustomization lists".

// addNestedKustomizations adds to the folders to build (l.kusts) every
// folder under the folders of units (those analyzed) that holds a
// kustomization file none of units reaches and is not built already. The
// walk below a unit stops at such a folder (its own analysis tells what
// it reaches below it) and skips hidden folders and symbolic links, as
// yamlFilesUnder does; a unit that could not be analyzed is not looked
// into. Folders are compared at their places (place): an entry that
// reaches a folder through a symbolic link or a ".." chain that leaves
// and re-enters it reaches that folder, which is then not built twice.
func (l *loader) addNestedKustomizations(units []*kustUnit) {
	reached := map[string]bool{}
	for _, u := range units {
		reached[l.place(u.dir)] = true
		for f := range u.kustRoots {
			reached[l.place(filepath.Dir(f))] = true
		}
		for p := range u.refs {
			reached[l.place(p)] = true
		}
	}
	building := map[string]bool{}
	for _, d := range l.kusts {
		building[l.place(d)] = true
	}
	var visit func(dir, arg string)
	visit = func(dir, arg string) {
		names, dirs := l.listFolder(dir)
		for i, name := range names {
			if !dirs[i] || strings.HasPrefix(name, ".") {
				continue
			}
			sub := filepath.Join(dir, name)
			if at := l.place(sub); !reached[at] && !building[at] && l.holdsOneKustomization(sub) {
				building[at] = true
				l.kusts = append(l.kusts, sub)
				l.kustArg[sub] = arg
				continue
			}
			visit(sub, arg)
		}
	}
	for _, u := range units {
		if !u.bad {
			visit(u.dir, l.kustArg[u.dir])
		}
	}
}

// withoutReached returns the units of nested folders
// (addNestedKustomizations) less those another of them reaches (an
// overlay's base beside it: built through the overlay, not twice), unless
// that one is reached back (a cycle, which the build reports). Folders
// are compared at their places, as in addNestedKustomizations.
func (l *loader) withoutReached(round []*kustUnit) []*kustUnit {
	reached := make(map[*kustUnit]map[string]bool, len(round))
	for _, u := range round {
		at := map[string]bool{}
		for p := range u.refs {
			at[l.place(p)] = true
		}
		for f := range u.kustRoots {
			at[l.place(filepath.Dir(f))] = true
		}
		reached[u] = at
	}
	reaches := func(u, o *kustUnit) bool { return reached[u][l.place(o.dir)] }
	return slices.DeleteFunc(slices.Clone(round), func(o *kustUnit) bool {
		for _, u := range round {
			if u != o && reaches(u, o) && !reaches(o, u) {
				return true
			}
		}
		return false
	})
}

// place is where the path p is: on disk and in a DiskRootedFS its real
// path (absolute, symbolic links resolved), in another RootedFS its
// absolute clean path, else its clean path.
func (l *loader) place(p string) string {
	if l.onDisk {
		return l.res.real(l.res.abs(p))
	}
	if d, ok := l.fs.(DiskRootedFS); ok {
		return d.RealPath(p)
	}
	return l.abs(p)
}

// holdsOneKustomization reports whether dir holds exactly one
// kustomization file (a folder holding several is left to its parent's
// build, whose note names the files it does not read).
func (l *loader) holdsOneKustomization(dir string) bool {
	names, _ := l.listFolder(dir)
	if !slices.ContainsFunc(names, isKustomizationName) {
		return false
	}
	f, _ := l.kustomizationIn(dir)
	return f != ""
}

// listFolder returns the names in dir, sorted, and which of them are
// folders a walk enters (not symbolic links, as yamlFilesUnder meets
// them); none when dir cannot be read.
func (l *loader) listFolder(dir string) (names []string, dirs []bool) {
	if l.onDisk {
		ls := l.res.list(l.res.abs(dir)) // the listing the analysis read, mostly
		if ls.err != nil {
			return nil, nil
		}
		dirs = make([]bool, len(ls.names))
		for i := range ls.names {
			dirs[i] = ls.types[i].IsDir()
		}
		return ls.names, dirs
	}
	names, err := l.fs.ReadDir(dir)
	if err != nil {
		return nil, nil
	}
	sort.Strings(names)
	dirs = make([]bool, len(names))
	for i, name := range names {
		dirs[i] = l.fs.IsDir(filepath.Join(dir, name))
	}
	return names, dirs
}

// nestedUnitDirs returns, for each unit with others below its folder,
// the folders of those: their files are theirs to note (unlistedNotes).
func nestedUnitDirs(units []*kustUnit) map[*kustUnit][]string {
	at := make(map[string]*kustUnit, len(units))
	for _, u := range units {
		at[u.dir] = u
	}
	out := map[*kustUnit][]string{}
	for _, o := range units {
		for d := o.dir; filepath.Dir(d) != d; d = filepath.Dir(d) {
			if u := at[filepath.Dir(d)]; u != nil {
				out[u] = append(out[u], o.dir)
			}
		}
	}
	return out
}

// underAny reports whether file is below one of dirs.
func underAny(file string, dirs []string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(file, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
