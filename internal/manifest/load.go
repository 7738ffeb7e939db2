package manifest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	v1alpha2 "github.com/digx/fluxtf/api/infra/v1alpha2"
	"github.com/digx/fluxtf/internal/fluxignore"
	"github.com/digx/fluxtf/internal/parallel"
	"github.com/digx/fluxtf/internal/yamlx"
)

// Options tune Load. The zero value reads the disk under
// yamlx.DefaultLimits and builds kustomizations.
type Options struct {
	// FS is the file system to read, such as an in-memory tree of a git
	// commit; nil reads the disk. Paths are taken as FS understands them.
	FS filesys.FileSystem
	// Limits bound what one file may cost; the zero value means
	// yamlx.DefaultLimits.
	Limits yamlx.Limits
	// NoKustomize walks a folder that holds a kustomization like any
	// other folder, reading the files as written (the kustomization file
	// itself is skipped), instead of building it.
	NoKustomize bool

	// Convert, when set, makes the document values for a consumer (the
	// policies' input) on the goroutines that read the files, one
	// Converter per goroutine: each Doc then has Value instead of Object,
	// and the decoded maps, which on a large set are a good part of the
	// memory, are never made.
	Convert func() Converter

	// NoCheck says the objects will not be checked (a baseline's): Load
	// drops each document's tree as soon as it has read it, instead of
	// decoding it first. Set.Check still works, reading the files again.
	NoCheck bool

	// forceKrusty builds every kustomization with krusty, even plain
	// ones (tests compare both ways).
	forceKrusty bool
	// Digests records the SHA-256 sum of every file read as it was read
	// (Set.Digests), for a caller that would otherwise read the files
	// again to compare them.
	Digests bool

	// noArena parses every file into memory of its own (tests compare
	// both ways).
	noArena bool
	// res is the resolver of the walk and the analysis on disk (tests
	// count its system calls); nil makes a new one.
	res *resolver

	// Budget bounds the bytes and objects this Load reads together with
	// the other loads of the run sharing it (the baseline's); nil gives
	// this Load a budget of its own, of the default size. Going over is
	// an error (ErrBudget) and nothing more is read.
	Budget *Budget
}

// A Converter turns a document (a mapping node) into a value of its
// consumer's (see Options.Convert). It need not be safe for concurrent use.
// It must not keep root or any node under it (strings are fine): once the
// document is checked, Load parses the next file into the same memory
// (yamlx.Arena).
type Converter func(root *yamlx.Node) (any, error)

var diskFSType = reflect.TypeOf(filesys.MakeFsOnDisk())

// Load reads the manifests at paths, files or folders (see the package
// documentation for how folders are walked and kustomizations built).
//
// It returns every object it could read. When any input is bad (a missing
// path, an unreadable file, invalid YAML, a document that is not a
// Kubernetes object, a kustomization that lists a missing file or does not
// build) the error is a yamlx.ErrorList naming each problem at file:line;
// the objects of the bad files are left out of the Set.
func Load(paths []string, opts Options) (*Set, error) {
	l := newLoader(opts)
	for _, p := range paths {
		l.add(p)
	}
	// Parse every manifest file needed, in parallel, on workers that start
	// as soon as the walk is done: the plain files first, then each
	// kustomization's files as soon as it is analyzed (one at a time, on
	// this goroutine), so that the analysis overlaps the parsing.
	var queue parallel.Queue[string]
	type parsed struct {
		i int // the file's place in the queue
		r *fileResult
	}
	workers := runtime.GOMAXPROCS(0)
	byWorker := make([][]parsed, workers)
	wait := parallel.Start(workers, func(w int) {
		conv, arena := l.newConverter(), new(yamlx.Arena)
		if l.opts.noArena {
			arena = nil
		}
		for i, f, ok := queue.Next(); ok; i, f, ok = queue.Next() {
			byWorker[w] = append(byWorker[w], parsed{i, l.parseFile(f, conv, arena)})
		}
	})
	queued := map[string]bool{}
	var need []string
	enqueue := func(files []string) {
		start := len(need)
		for _, f := range files {
			if !queued[f] {
				queued[f] = true
				need = append(need, f)
			}
		}
		queue.Add(need[start:]...)
	}
	enqueue(l.plain)
	units := make([]*kustUnit, 0, len(l.kusts))
	walked := len(l.kusts)
	for done := 0; done < len(l.kusts); {
		for ; done < len(l.kusts); done++ {
			dir := l.kusts[done]
			u := l.analyze(dir, l.rootFor(l.kustArg[dir]))
			units = append(units, u)
			enqueue(u.files)
		}
		if !l.opts.NoKustomize {
			l.addNestedKustomizations(units)
		}
	}
	if len(units) > walked {
		// a nested folder another nested build reaches, whichever round
		// found it, is built through that one only (nested.go)
		units = append(units[:walked:walked], l.withoutReached(units[walked:])...)
	}
	queue.Close()
	sources := map[string]bool{}
	for _, u := range units {
		for _, f := range u.files {
			sources[f] = true
		}
	}
	wait()
	for _, rs := range byWorker {
		for _, p := range rs {
			l.files[need[p.i]] = p.r
		}
	}
	sort.Strings(need)
	var notK8s []string
	for _, f := range need {
		r := l.files[f]
		l.errs = append(l.errs, r.errs...)
		if r.notKubernetes {
			notK8s = append(notK8s, f)
		} else {
			l.read[f] = true
		}
	}

	var docs []*Doc
	for _, f := range l.plain {
		if !sources[f] {
			for _, d := range l.files[f].docs {
				docs = append(docs, l.expandList(d)...)
			}
		}
	}
	uses := map[string]int{} // how often the plain kustomizations list each file
	for _, u := range units {
		for _, f := range u.resources {
			uses[f]++
		}
	}
	for _, u := range units {
		docs = append(docs, l.unitDocs(u, uses)...)
	}
	sort.SliceStable(docs, func(i, j int) bool {
		if docs[i].File != docs[j].File {
			return docs[i].File < docs[j].File
		}
		return docs[i].Index < docs[j].Index
	})

	set := &Set{Docs: docs, Files: make([]string, 0, len(l.read))}
	if len(notK8s) > 0 {
		set.Notes = append(set.Notes, fmt.Sprintf("skipped %s without a Kubernetes object (neither a kind nor a Kubernetes apiVersion: a Taskfile, a workflow, Helm values, Grafana provisioning?): %s; name a file on the command line to check it as a manifest",
			plural(len(notK8s), "YAML file"), someOf(notK8s, 3)))
	}
	set.Notes = append(set.Notes, l.unlistedNotes(units)...)
	if len(l.charts) > 0 {
		set.Notes = append(set.Notes, fmt.Sprintf("skipped %s (a folder with a Chart.yaml: Flux installs a chart through a HelmRelease, and its templates are not YAML): %s; fluxtf does not render charts",
			plural(len(l.charts), "Helm chart"), someOf(l.charts, 3)))
	}
	set.Notes = append(set.Notes, l.kustNotes...)
	set.Notes = append(set.Notes, l.skippedNotes()...)
	for f := range l.read {
		set.Files = append(set.Files, f)
	}
	if l.opts.Digests {
		set.Digests = l.sums
		for f, r := range l.files {
			if r.summed && !r.notKubernetes {
				set.Digests[f] = r.sum
			}
		}
	}
	sort.Strings(set.Files)
	set.Charge = l.charge
	if err := l.over(); err != nil {
		set.Docs = nil
		return set, err
	}
	if len(l.errs) == 0 {
		return set, nil
	}
	return set, sortErrors(l.errs)
}

type loader struct {
	fs     filesys.FileSystem
	onDisk bool
	lim    yamlx.Limits
	// from is fs, onDisk and lim for the sources of the documents read
	// (one for all: a copy each was most of a source's size)
	from *origin
	opts Options

	errs    yamlx.ErrorList
	plain   []string          // files to read as written, in the order found
	kusts   []string          // folders to build, in the order found
	kustArg map[string]string // the path named by the user each folder to build was found under
	arg     string            // the path being added
	roots   map[string]string // rootFor's, by path named
	res     *resolver         // real paths and kinds of the paths the analysis met, on disk
	seen    map[string]bool
	walked  map[string]bool // files found by a folder walk, not named
	seenDir map[string]bool
	// seenFile are the real paths of the manifests a walk on disk met,
	// and of those a walk met through a symbolic link (walkLink), so that
	// one met again through a link is read once
	seenFile map[string]bool
	files    map[string]*fileResult       // parsed manifest files, by path
	read     map[string]bool              // every file read
	conv     Converter                    // for the documents read one at a time
	sums     map[string][sha256.Size]byte // with Options.Digests: of the files read outside parseFile
	// kustNotes are what kustomize logged while building (runKrustyLogged)
	kustNotes []string
	charts    []string // Helm chart folders a walk skipped (holdsHelmChart)
	upper     []string // files with an upper-case YAML extension a walk skipped (skipUpper)

	// annotations are the documents' annotations read so far, each
	// distinct map once, by its pairs (shareAnnotations)
	annotationsMu sync.Mutex
	annotations   map[string]map[string]string

	budget  *Budget
	charge  Charge // what this Load took from budget (changed under budget.mu)
	overMu  sync.Mutex
	overErr error // the first ErrBudget
}

// take charges the run's budget; once it is over, it returns the error
// from then on, and the loader reads nothing more.
func (l *loader) take(bytes, objects int64) error {
	return l.takeFor(bytes, objects, false)
}

// takeFor is take; generator says the bytes are a generator file's,
// charged GeneratorFactor times (the error then says so).
func (l *loader) takeFor(bytes, objects int64, generator bool) error {
	if err := l.over(); err != nil {
		return err
	}
	err := l.budget.take(&l.charge, bytes, objects)
	var be *BudgetError
	if generator && errors.As(err, &be) {
		be.Generator = true // a new error, not yet shared
	}
	if err != nil {
		l.overMu.Lock()
		if l.overErr == nil {
			l.overErr = err
		}
		l.overMu.Unlock()
	}
	return err
}

// over returns the budget error, once the budget is over.
func (l *loader) over() error {
	l.overMu.Lock()
	defer l.overMu.Unlock()
	return l.overErr
}

// newConverter returns a Converter of Options.Convert, or nil.
func (l *loader) newConverter() Converter {
	if l.opts.Convert == nil {
		return nil
	}
	return l.opts.Convert()
}

// converter returns the loader's own Converter, for the documents read
// outside the parallel parse (nil without Options.Convert).
func (l *loader) converter() Converter {
	if l.conv == nil {
		l.conv = l.newConverter()
	}
	return l.conv
}

func newLoader(opts Options) *loader {
	l := &loader{
		fs:       opts.FS,
		lim:      opts.Limits,
		opts:     opts,
		seen:     map[string]bool{},
		walked:   map[string]bool{},
		seenDir:  map[string]bool{},
		seenFile: map[string]bool{},
		kustArg:  map[string]string{},
		roots:    map[string]string{},
		files:    map[string]*fileResult{},
		read:     map[string]bool{},
		sums:     map[string][sha256.Size]byte{},
		budget:   opts.Budget,
		res:      opts.res,
	}
	if l.res == nil {
		l.res = newResolver()
	}
	if l.budget == nil {
		l.budget = NewBudget(0, 0)
	}
	if l.fs == nil {
		l.fs = filesys.MakeFsOnDisk()
	}
	l.onDisk = reflect.TypeOf(l.fs) == diskFSType
	if l.lim == (yamlx.Limits{}) {
		l.lim = yamlx.DefaultLimits
	}
	// not the loader: it holds every file's documents
	l.from = &origin{fs: l.fs, onDisk: l.onDisk, lim: l.lim}
	return l
}

func (l *loader) fail(pos yamlx.Pos, path, format string, args ...any) {
	l.errs = append(l.errs, &yamlx.Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// add takes one path the user gave.
func (l *loader) add(p string) {
	p = filepath.Clean(p)
	l.arg = p
	switch {
	case !l.fs.Exists(p):
		l.fail(yamlx.Pos{File: p}, "", "no such file or folder")
	case l.onDisk && !l.regularOrDir(p):
	case l.fs.IsDir(p):
		root := p
		if l.onDisk {
			if r, err := filepath.EvalSymlinks(p); err == nil {
				root = r
			}
			l.res.serve(l.res.abs(p))
		} else if lf, ok := l.fs.(LinkListingFS); ok {
			if r, err := lf.ResolvePath(p); err == nil {
				root = r
			}
		}
		l.walk(p, root)
	default:
		l.addFile(p)
	}
}

// kind returns what l.fs.Exists and l.fs.IsDir say of p, with one Lstat
// per path on disk (the analysis asks about a path several times).
func (l *loader) kind(p string) (exists, isDir bool) {
	if l.onDisk {
		return l.res.kind(l.fs, p)
	}
	return l.fs.Exists(p), l.fs.IsDir(p)
}

// regularOrDir reports whether the disk path p, named by the user, is a
// regular file or a folder (symbolic links followed). Anything else (a
// FIFO, device or socket) is never opened: opening a FIFO blocks until a
// writer comes, and a device may never end. It reports the error itself.
func (l *loader) regularOrDir(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		l.fail(yamlx.Pos{File: p}, "", "%s", describeErr(err))
		return false
	}
	if fi.IsDir() || fi.Mode().IsRegular() {
		return true
	}
	l.fail(yamlx.Pos{File: p}, "", "is not a regular file (%s); fluxtf reads only regular files, name a file or folder of manifests", fi.Mode().Type())
	return false
}

func (l *loader) addFile(p string) {
	if !l.seen[p] {
		l.seen[p] = true
		l.plain = append(l.plain, p)
	}
}

// walk adds the manifests of a folder, or the folder itself when it holds
// a kustomization. root is the folder the user named, symbolic links
// resolved: on disk, a walk follows a symbolic link only when it leads to
// a file or folder inside root, and refuses any entry named like a
// manifest that is not a regular file (a FIFO, device or socket would
// block or never end), without opening it.
func (l *loader) walk(dir, root string) {
	if l.onDisk {
		l.walkDisk(dir, root)
		return
	}
	key := dir
	if abs, _, err := l.fs.CleanedAbs(dir); err == nil {
		key = string(abs) // symbolic links resolved: no loops
	}
	if l.seenDir[key] {
		return
	}
	l.seenDir[key] = true
	names, err := l.fs.ReadDir(dir)
	if err != nil {
		l.fail(yamlx.Pos{File: dir}, "", "cannot read folder: %s", describeErr(err))
		return
	}
	lf, _ := l.fs.(LinkListingFS)
	var links []string // the folder's symbolic links, which ReadDir leaves out
	if lf != nil {
		if links = lf.Links(dir); len(links) > 0 {
			names = append(names, links...)
		}
	}
	sort.Strings(names)
	if l.holdsKustomization(dir, names) {
		return
	}
	if l.holdsHelmChart(dir, names) {
		return
	}
	for _, name := range names {
		full := filepath.Join(dir, name)
		if len(links) > 0 {
			if _, ok := slices.BinarySearch(links, name); ok {
				l.walkLink(lf, full, name, root)
				continue
			}
		}
		isDir := l.fs.IsDir(full)
		if fluxignore.Excluded(name, isDir) {
			continue // not in Flux's source artifact
		}
		if isDir {
			l.walk(full, root)
			continue
		}
		l.walked1(full, name)
	}
}

// walkLink is walkDisk's way with a symbolic link, in a file system that
// is not the disk (a git commit): the same tree gives the same objects at
// a commit as in a working tree. A link to a folder or a file inside root
// (the folder walked, links resolved) is followed, a folder once (a loop
// ends), a manifest read at its own path when the walk meets it there
// (LinkReadAtTarget); a link leading outside root is refused at the link
// and not read, as is a link leading nowhere or through a loop.
func (l *loader) walkLink(lf LinkListingFS, full, name, root string) {
	if fluxignore.Excluded(name, false) {
		return // not in Flux's source artifact; a link is no folder here, as on disk
	}
	real, err := lf.ResolvePath(full)
	if err != nil {
		l.fail(yamlx.Pos{File: full}, "", "broken symbolic link: %s; remove it or fix its target", describeErr(err))
		return
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		l.fail(yamlx.Pos{File: full}, "", "is a symbolic link to %s, outside %s; fluxtf reads nothing outside the folder it walks, remove the link or copy the file", real, root)
		return
	}
	exists, isDir := l.fs.Exists(full), l.fs.IsDir(full)
	switch {
	case !exists:
		l.fail(yamlx.Pos{File: full}, "", "broken symbolic link: %s; remove it or fix its target", describeErr(fs.ErrNotExist))
	case isDir:
		l.walk(full, root)
	case isYAMLName(name) && !isKustomizationName(name):
		p := full
		if LinkReadAtTarget(rel) {
			p = filepath.Join(l.arg, rel)
		}
		if !l.seenFile[real] {
			l.seenFile[real] = true
			l.walked1(p, name)
		}
	default:
		l.walked1(full, name)
	}
}

// holdsKustomization reports whether names (a folder's, sorted) hold a
// kustomization file; the folder is then to be built (unless
// Options.NoKustomize), and Load notes it.
func (l *loader) holdsKustomization(dir string, names []string) bool {
	if l.opts.NoKustomize {
		return false
	}
	for _, n := range names {
		if isKustomizationName(n) {
			l.kusts = append(l.kusts, dir)
			l.kustArg[dir] = l.arg
			return true
		}
	}
	return false
}

// holdsHelmChart reports whether names (a folder's, sorted) hold a Helm
// chart's Chart.yaml; a walk then skips the folder, and Load notes it.
// A chart is not manifests: Flux installs it through a HelmRelease, its
// Chart.yaml has an apiVersion but no kind, and its templates are Go
// templates, which are not YAML. A kustomization in the folder wins.
func (l *loader) holdsHelmChart(dir string, names []string) bool {
	if _, ok := slices.BinarySearch(names, "Chart.yaml"); !ok {
		return false
	}
	l.charts = append(l.charts, dir)
	return true
}

// walked1 adds a file a walk met, if it is a manifest.
func (l *loader) walked1(full, name string) {
	if isYAMLName(name) && !isKustomizationName(name) {
		l.walked[full] = true
		l.addFile(full)
		return
	}
	l.skipUpper(full, name)
}

// walkDisk is walk on the disk, through the resolver: the folder is
// listed once (the listing gives each entry's type: no Lstat per entry,
// and the analysis and unlistedNotes read the same listing), and its real
// path, the key against loops, comes from its folder's remembered one.
func (l *loader) walkDisk(dir, root string) {
	abs := l.res.abs(dir)
	key := l.res.real(abs) // symbolic links resolved: no loops
	if l.seenDir[key] {
		return
	}
	l.seenDir[key] = true
	ls := l.res.list(abs)
	if ls.err != nil {
		l.fail(yamlx.Pos{File: dir}, "", "cannot read folder: %s", describeErr(ls.err))
		return
	}
	if l.holdsKustomization(dir, ls.names) {
		return
	}
	if l.holdsHelmChart(dir, ls.names) {
		return
	}
	for i, name := range ls.names {
		full := filepath.Join(dir, name)
		if fluxignore.Excluded(name, ls.types[i].IsDir()) {
			continue // not in Flux's source artifact
		}
		isDir, ok := l.walkable(full, name, root, ls.types[i])
		switch {
		case !ok:
		case isDir:
			l.walk(full, root)
		case ls.types[i]&fs.ModeSymlink != 0 && isYAMLName(name) && !isKustomizationName(name):
			// a link to a manifest the walk meets itself: read once,
			// and reported at that file, the one to edit
			if p, real := l.linkTarget(full, root); !l.seenFile[real] {
				l.seenFile[real] = true
				l.walked1(p, name)
			}
		default:
			if isYAMLName(name) {
				l.seenFile[filepath.Join(key, name)] = true
			}
			l.walked1(full, name)
		}
	}
}

// linkTarget returns the path at which a walk reads the symbolic link
// full, to a file inside root, and the real path of that file (the walk
// reads it once). The path is the file's own, under the folder the user
// named (l.arg), as the walk names the files it meets, when the walk
// meets that file itself (LinkReadAtTarget): findings then name the file
// that holds them, the one to edit, not a link to it. Else it is full.
// (walkable resolved the link already.)
func (l *loader) linkTarget(full, root string) (p, real string) {
	target, err := filepath.EvalSymlinks(full)
	if err != nil {
		return full, full
	}
	if real, err = filepath.Abs(target); err != nil {
		real = full
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || !LinkReadAtTarget(rel) {
		return full, real
	}
	return filepath.Join(l.arg, rel), real
}

// LinkReadAtTarget reports whether a folder walk reads a symbolic link
// to the file at rel (relative to the folder walked, inside it) at rel
// rather than at the link: when the walk meets that file itself, a
// manifest (a YAML name, not a kustomization) that Flux's source
// artifact does not leave out (fluxignore.Excluded), nor a folder on its
// way. runinput's Overlay, which stands for the disk in check, agrees.
func LinkReadAtTarget(rel string) bool {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		if fluxignore.Excluded(p, i < len(parts)-1) {
			return false
		}
	}
	name := parts[len(parts)-1]
	return isYAMLName(name) && !isKustomizationName(name)
}

// walkable reports whether a walk may go on with the disk entry full,
// of type typ (as its folder's listing says), and whether it is a
// folder: a regular file or folder, or a symbolic link to one inside
// root. It fails (and returns false) for a link leading outside root and
// for a special file (FIFO, device, socket) whose name is a manifest's;
// other special files are left alone, as a walk reads only manifests.
func (l *loader) walkable(full, name, root string, typ fs.FileMode) (isDir, ok bool) {
	if typ&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(full)
		if err != nil {
			l.fail(yamlx.Pos{File: full}, "", "broken symbolic link: %s; remove it or fix its target", describeErr(err))
			return false, false
		}
		if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			l.fail(yamlx.Pos{File: full}, "", "is a symbolic link to %s, outside %s; fluxtf reads nothing outside the folder it walks, remove the link or copy the file", target, root)
			return false, false
		}
		fi, err := os.Stat(target)
		if err != nil {
			l.fail(yamlx.Pos{File: full}, "", "%s", describeErr(err))
			return false, false
		}
		typ = fi.Mode().Type()
	}
	if typ.IsDir() || typ.IsRegular() {
		return typ.IsDir(), true
	}
	if isYAMLName(name) || isKustomizationName(name) {
		l.fail(yamlx.Pos{File: full}, "", "is not a regular file (%s); fluxtf reads only regular files, remove it", typ)
	}
	return false, false
}

// plural says "1 file" or "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// someOf lists the first max of names (sorted), and how many more.
func someOf(names []string, max int) string {
	names = slices.Clone(names)
	sort.Strings(names)
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

func isYAMLName(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// IsYAMLName reports whether a walk reads a file of this name as a
// manifest (.yaml, .yml).
func IsYAMLName(name string) bool { return isYAMLName(name) }

var kustomizationNames = konfig.RecognizedKustomizationFileNames()

func isKustomizationName(name string) bool {
	for _, k := range kustomizationNames {
		if name == k {
			return true
		}
	}
	return false
}

func describeErr(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied; make it readable by this user"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readFile reads a file under the size limit and charges the run's
// budget with it.
func (l *loader) readFile(path string) ([]byte, error) {
	if err := l.over(); err != nil {
		return nil, err
	}
	data, err := readFile(l.fs, l.onDisk, l.lim, path)
	if err == nil {
		err = l.take(int64(len(data)), 0)
	}
	return data, err
}

// readFile reads path from fsys (the disk when onDisk) under lim.
func readFile(fsys filesys.FileSystem, onDisk bool, lim yamlx.Limits, path string) ([]byte, error) {
	if onDisk {
		return yamlx.ReadFile(path, lim)
	}
	if fsys.IsDir(path) {
		return nil, &yamlx.Error{Pos: yamlx.Pos{File: path}, Msg: "is a folder, not a YAML file"}
	}
	data, err := fsys.ReadFile(path)
	if err != nil {
		return nil, &yamlx.Error{Pos: yamlx.Pos{File: path}, Msg: describeErr(err)}
	}
	return data, nil // yamlx.Parse enforces the size limit
}

// parseData parses a file's data, read by readFile: from the disk
// (owned), a buffer of its own, which the trees' strings then share
// rather than copy (yamlx.ParseOwned); else the file system's, which may
// be kept and so is copied.
func parseData(path string, data []byte, lim yamlx.Limits, arena *yamlx.Arena, owned bool) ([]yamlx.Document, error) {
	if owned {
		return yamlx.ParseOwned(path, data, lim, arena)
	}
	return yamlx.ParseWith(path, data, lim, arena)
}

// fileResult is one parsed manifest file.
type fileResult struct {
	docs []*Doc
	errs yamlx.ErrorList
	// notKubernetes: a file found by a folder walk that holds YAML but
	// no Kubernetes object (see notKubernetes); it was skipped
	notKubernetes bool
	// sum is the SHA-256 of the file as read, when summed (Options.Digests)
	sum    [sha256.Size]byte
	summed bool
}

// parseFile reads, parses and checks one file, converting its documents
// with conv. With an arena (nil for none), the trees are parsed into it, and
// it is Reset for the next file when every document dropped its tree
// (checked, not a List, no error), else Abandoned to the documents.
func (l *loader) parseFile(path string, conv Converter, arena *yamlx.Arena) (res *fileResult) {
	defer func() {
		if r := recover(); r != nil {
			res = &fileResult{errs: yamlx.ErrorList{{Pos: yamlx.Pos{File: path}, Msg: fmt.Sprintf("internal error reading the file: %v", r)}}}
		}
		if arena != nil {
			if res != nil && res.errs == nil && allReleased(res.docs) {
				arena.Reset()
			} else {
				arena.Abandon()
			}
		}
	}()
	data, err := l.readFile(path)
	if errors.Is(err, ErrBudget) {
		return &fileResult{} // Load reports it, once
	}
	if err != nil {
		return &fileResult{errs: asErrList(path, err)}
	}
	if l.opts.Digests {
		sum := sha256.Sum256(data)
		defer func() {
			if res != nil {
				res.sum, res.summed = sum, true
			}
		}()
	}
	docs, err := parseData(path, data, l.lim, arena, l.onDisk)
	if err != nil {
		return &fileResult{errs: asErrList(path, err)}
	}
	if l.walked[path] && notKubernetes(docs) {
		return &fileResult{notKubernetes: true}
	}
	// charged before the documents are converted: a file that goes over
	// the budget costs no more than its parse
	objects := 0
	for _, d := range docs {
		if d.Root != nil {
			objects++
		}
	}
	if l.take(0, int64(objects)) != nil {
		return &fileResult{}
	}
	res = &fileResult{docs: make([]*Doc, 0, len(docs))}
	src := &source{file: path, from: l.from}
	for _, d := range docs {
		if d.Root == nil {
			continue // empty or comment-only
		}
		doc, err := objectDoc(path, d, conv)
		if err != nil {
			res.errs = append(res.errs, err)
			continue
		}
		doc.src = src
		doc.annotations = l.annotationsFor(d.Root)
		res.docs = append(res.docs, doc)
	}
	if len(res.errs) > 0 {
		res.docs = nil
	}
	// The trees are the bulk of a large run's memory (ten times the
	// YAML): each document is checked (decoded) now, on this goroutine,
	// and its tree dropped, rather than all trees kept until Set.Check.
	// A List keeps its tree for expandList, and is checked item by item
	// in Set.Check.
	for _, d := range res.docs {
		d.plainOK = plainOK(d)
		switch {
		case strings.HasSuffix(d.Kind, "List"):
		case l.opts.NoCheck:
			d.release()
		default:
			d.check()
		}
	}
	return res
}

// notKubernetes reports whether a file's documents hold YAML but no
// Kubernetes object: no document is a mapping with an apiVersion or a
// kind key (a Taskfile, a GitHub workflow, Helm values, mkdocs.yml,
// .pre-commit-config.yaml), or with a number for its apiVersion and no
// kind (a Grafana provisioning file, `apiVersion: 1`: no Kubernetes API
// version is a number). A document with a kind, or another apiVersion, is
// a Kubernetes object, however broken; an empty file holds nothing to
// skip.
func notKubernetes(docs []yamlx.Document) bool {
	any := false
	for _, d := range docs {
		if d.Root == nil {
			continue
		}
		any = true
		if d.Root.Kind != yamlx.MappingNode {
			continue
		}
		if v := d.Root.Get("apiVersion"); d.Root.Get("kind") != nil || v != nil && !numberScalar(v) {
			return false
		}
	}
	return any
}

// numberScalar reports whether n is a plain (unquoted) integer or float.
func numberScalar(n *yamlx.Node) bool {
	return n.Kind == yamlx.ScalarNode && !n.Quoted && (n.Tag == yamlx.TagInt || n.Tag == yamlx.TagFloat)
}

// allReleased reports whether no document holds a tree any more.
func allReleased(docs []*Doc) bool {
	for _, d := range docs {
		if d.root != nil || d.node != nil {
			return false
		}
	}
	return true
}

// expandList returns the items of a List (a kind ending in "List" with an
// items sequence, such as kubectl get -o yaml prints) as objects of their
// own, as kustomize and Flux's kustomize-controller inline them; any other
// document is returned as it is. An item that is not an object is an
// input error, and then none of the list's items is returned.
func (l *loader) expandList(d *Doc) []*Doc {
	if !strings.HasSuffix(d.Kind, "List") {
		return []*Doc{d}
	}
	items := d.root.Get("items")
	if items == nil || items.Kind != yamlx.SequenceNode {
		return []*Doc{d}
	}
	if n := len(items.Content) - 1; n > 0 && l.take(0, int64(n)) != nil {
		return nil // the list counts as its items; Load reports it
	}
	out := make([]*Doc, 0, len(items.Content))
	bad := false
	for i, item := range items.Content {
		doc, err := objectDoc(d.File, yamlx.Document{Index: d.Index, Root: item, Pos: item.Pos}, l.converter())
		if err != nil {
			if err.Path == "" {
				err.Path = fmt.Sprintf("items[%d]", i)
			} else {
				err.Path = fmt.Sprintf("items[%d].%s", i, err.Path)
			}
			l.errs = append(l.errs, err)
			bad = true
			continue
		}
		doc.annotations = l.annotationsFor(item)
		out = append(out, doc) // no src: its root is the item, kept
	}
	if bad {
		return nil // like a file with a bad document: none of the list is read
	}
	return out
}

const notObject = "not a Kubernetes object: apiVersion and kind are required"

// objectDoc checks that a document is a Kubernetes object and wraps it,
// with its Value made by conv, or its Object when conv is nil.
func objectDoc(file string, d yamlx.Document, conv Converter) (*Doc, *yamlx.Error) {
	root := d.Root
	if root.Kind != yamlx.MappingNode {
		return nil, &yamlx.Error{Pos: d.Pos, Msg: fmt.Sprintf("%s; this document is a %s, not a mapping", notObject, root.Kind)}
	}
	var missing []string
	for _, key := range []string{"apiVersion", "kind"} {
		v := root.Get(key)
		switch {
		case v.IsNull() || (v.Kind == yamlx.ScalarNode && v.Value == ""):
			missing = append(missing, key)
		case v.Kind != yamlx.ScalarNode || v.Tag != yamlx.TagStr:
			return nil, &yamlx.Error{Pos: v.Pos, Path: key, Msg: "must be a string, not " + describeNode(v)}
		}
	}
	if len(missing) > 0 {
		return nil, &yamlx.Error{Pos: root.Pos, Msg: fmt.Sprintf("%s (%s missing)", notObject, strings.Join(missing, " and "))}
	}
	meta := root.Get("metadata")
	doc := &Doc{
		File:  file,
		Index: d.Index,
		root:  root,
		node:  root,
		// (copies: the parser's strings share blocks that would otherwise
		// outlive the tree)
		APIVersion: commonText(root.Get("apiVersion").Value),
		Kind:       commonText(root.Get("kind").Value),
		Name:       strings.Clone(meta.Get("name").String()),
		Namespace:  commonText(meta.Get("namespace").String()),
		Line:       root.Pos.Line,
		column:     root.Pos.Column,
	}
	if err := doc.setContent(root, conv); err != nil {
		return nil, &yamlx.Error{Pos: d.Pos, Msg: err.Error()}
	}
	return doc, nil
}

// commonText is a copy of s (see objectDoc), which for the apiVersions,
// kinds and namespace that fluxtf writes is the constant itself: every
// rendered object has them, and a copy each was a fifth of what wrapping
// a document allocated (TestObjectDocSharesCommonText).
func commonText(s string) string {
	switch s {
	case v1alpha2.APIVersion:
		return v1alpha2.APIVersion
	case GitRepositoryV1:
		return GitRepositoryV1
	case v1alpha2.TerraformKind:
		return v1alpha2.TerraformKind
	case sourcev1.GitRepositoryKind:
		return sourcev1.GitRepositoryKind
	case fluxNamespace:
		return fluxNamespace
	}
	return strings.Clone(s)
}

// fluxNamespace is Flux's namespace, where fluxtf puts its objects.
const fluxNamespace = "flux-system"

// setContent sets the document's Value from root with conv, or its
// Object when conv is nil.
func (d *Doc) setContent(root *yamlx.Node, conv Converter) error {
	if conv == nil {
		d.Object, _ = root.ToAny().(map[string]any)
		return nil
	}
	v, err := conv(root)
	if err != nil {
		return err
	}
	d.Value = v
	return nil
}

// shareAnnotations returns a map equal to a (a document's annotations,
// nil for none) that an earlier document of this Load has, if any, else
// a. Generated documents carry the same few annotations (at 10,000
// environments, 110,000 maps of one or two pairs took 40 MiB, alive from
// the reading to the report); Doc.Annotations' map is never changed, so
// documents may share one.
func (l *loader) shareAnnotations(a map[string]string) map[string]string {
	if a == nil {
		return nil
	}
	keys := slices.Sorted(maps.Keys(a))
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(a[k])
		b.WriteByte(0)
	}
	key := b.String()
	l.annotationsMu.Lock()
	defer l.annotationsMu.Unlock()
	if m, ok := l.annotations[key]; ok {
		return m
	}
	if l.annotations == nil {
		l.annotations = map[string]map[string]string{}
	}
	l.annotations[key] = a
	return a
}

// annotationsFor is shareAnnotations(annotationsOf(root)) that makes no
// map when an earlier document has the same annotations, all plain
// strings under keys in order (as rendered): the table's key is then
// read straight from the nodes (TestAnnotationsForIsShared).
func (l *loader) annotationsFor(root *yamlx.Node) map[string]string {
	a := root.Get("metadata").Get("annotations")
	if a == nil || a.Kind != yamlx.MappingNode || len(a.Content) == 0 {
		return nil
	}
	var room [256]byte
	key, ok := room[:0], true
	for i := 0; i+1 < len(a.Content); i += 2 {
		k, v := a.Content[i], a.Content[i+1]
		if v.Kind != yamlx.ScalarNode || v.Tag != yamlx.TagStr || (i > 0 && a.Content[i-2].Value >= k.Value) {
			ok = false
			break
		}
		key = append(append(append(append(key, k.Value...), 0), v.Value...), 0)
	}
	if ok {
		l.annotationsMu.Lock()
		m, found := l.annotations[string(key)]
		l.annotationsMu.Unlock()
		if found {
			return m
		}
	}
	return l.shareAnnotations(annotationsOf(root))
}

// annotationsOf returns the string-valued metadata.annotations of a
// document, or nil when it has none.
func annotationsOf(root *yamlx.Node) map[string]string {
	a := root.Get("metadata").Get("annotations")
	if a == nil || a.Kind != yamlx.MappingNode {
		return nil
	}
	var out map[string]string
	for i := 0; i+1 < len(a.Content); i += 2 {
		// what the value decodes to, as Object has it (a timestamp, say,
		// is a string there too); a plain string without ToAny's boxing
		v, ok := a.Content[i+1].Value, a.Content[i+1].Kind == yamlx.ScalarNode && a.Content[i+1].Tag == yamlx.TagStr
		if !ok {
			v, ok = a.Content[i+1].ToAny().(string)
		}
		if ok {
			if out == nil {
				out = map[string]string{}
			}
			out[strings.Clone(a.Content[i].Value)] = strings.Clone(v)
		}
	}
	return out
}

func describeNode(n *yamlx.Node) string {
	if n.Kind != yamlx.ScalarNode {
		return "a " + n.Kind.String()
	}
	return fmt.Sprintf("%q (%s)", n.Value, strings.TrimPrefix(n.Tag, "!!"))
}

// asErrList turns any error into yamlx errors in file.
func asErrList(file string, err error) yamlx.ErrorList {
	if l := yamlx.AsList(err); l != nil {
		return l
	}
	return yamlx.ErrorList{{Pos: yamlx.Pos{File: file}, Msg: err.Error()}}
}

// sortErrors orders errors by place and drops repeats.
func sortErrors(errs yamlx.ErrorList) yamlx.ErrorList {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i].Pos, errs[j].Pos
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	out := errs[:0]
	seen := map[string]bool{}
	for _, e := range errs {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			out = append(out, e)
		}
	}
	return out
}
