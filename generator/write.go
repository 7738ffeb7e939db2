package generator

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/digx/fluxtf/internal/textdiff"
)

// tmpMarker is part of every staging file's name; leftovers of a killed
// run are recognised by it and removed.
const tmpMarker = ".fluxtf-tmp-"

// Sync compares rendered outputs with outDir and, when write is set, makes
// outDir match them. pruneEnvs also removes generated files of
// environments not in outs (used with --all): only in the environment
// folders fluxtf owns (see ownedDirs).
//
// Sync holds a bounded number of file descriptors whatever the number of
// environments: folders are opened one environment at a time on a fixed
// pool of workers (ioWorkers), and closed when done.
//
// Writing is atomic across the whole output root (see apply and
// journal.go): a run that fails or is killed at any point leaves either
// the previous output or, once the new files are all on disk, a journal
// that the next render completes before it does anything else.
func Sync(outDir string, outs []*Output, pruneEnvs, write bool) (*Result, error) {
	return syncOut(outDir, outs, pruneEnvs, write, nil)
}

// Known are SHA-256 sums of files of an output root as a caller has just
// read them, by slash path below the root.
type Known map[string][sha256.Size]byte

// Compare is Sync without writing (it reports what rendering would
// change), for a caller that has just read the output root: a file whose
// sum in known is that of its rendered content is not read again. Of
// outputs built with Options.SumsOnly it needs the content only of a file
// that differs, or that known does not cover: then it returns
// ErrNeedContent.
func Compare(outDir string, outs []*Output, pruneEnvs bool, known Known) (*Result, error) {
	return syncOut(outDir, outs, pruneEnvs, false, known)
}

// ErrNeedContent is Compare's error when a file built with
// Options.SumsOnly may differ from the disk: build again without it.
var ErrNeedContent = errors.New("generator: a rendered file's content is needed to compare it")

func syncOut(outDir string, outs []*Output, pruneEnvs, write bool, known Known) (*Result, error) {
	res := &Result{Envs: envNames(outs), Written: write}
	if write {
		if err := mkdirAllNoLinks(outDir); err != nil {
			return nil, err
		}
	}
	root, err := os.OpenRoot(outDir)
	if err != nil && (!errors.Is(err, fs.ErrNotExist) || write) {
		return nil, fmt.Errorf("output folder %s: %w", outDir, err)
	}
	p := &planner{root: root, outDir: outDir, diffs: !write, files: map[string][]byte{}, kinds: map[string]dirKind{},
		listed: map[string]bool{}, known: known, same: map[string]bool{}, wantFile: map[string]*File{}}
	defer p.close()
	if write {
		unlock, err := lockDir(outDir)
		if err != nil {
			return nil, err
		}
		defer unlock()
		// an interrupted render is completed or undone before anything else
		note, err := p.recoverJournal()
		if err != nil {
			return nil, err
		}
		if note != "" {
			res.Notes = append(res.Notes, note)
		}
	} else if note := p.pendingJournal(); note != "" {
		res.Notes = append(res.Notes, note)
	}
	rendered := map[string]bool{}
	for _, env := range res.Envs {
		rendered[env] = true
	}
	nfiles := 0
	for _, o := range outs {
		nfiles += len(o.Files)
	}
	// (a pointer, not a copy of each File: at 10,000 environments the
	// copies took 30 MiB while the check's evaluation ran)
	p.wantFile = make(map[string]*File, nfiles)
	for _, o := range outs {
		for i := range o.Files {
			f := &o.Files[i]
			if f.Data == nil && f.onDisk == nil && write {
				return nil, fmt.Errorf("%s: %w", f.Path, ErrNeedContent)
			}
			p.wantFile[f.Path] = f
		}
	}
	res.Changes = make([]Change, 0, nfiles)
	// scan what is there: the rendered environments' folders and, when
	// pruning, the other environment folders fluxtf owns
	dirs := res.Envs
	if pruneEnvs && root != nil {
		owned, notes, err := p.ownedDirs(rendered)
		if err != nil {
			return nil, err
		}
		dirs = append(append([]string(nil), dirs...), owned...)
		res.Notes = append(res.Notes, notes...)
	}
	have := map[string]bool{}
	if err := p.scanAll(dirs, have); err != nil {
		return nil, err
	}
	for _, o := range outs {
		for _, f := range o.Files {
			c, err := p.compare(f)
			if err != nil {
				return nil, err
			}
			res.Changes = append(res.Changes, c)
		}
	}
	var gone []string // (have is mostly files that render: only the others are sorted)
	for h := range have {
		if _, ok := p.wantFile[h]; !ok {
			gone = append(gone, h)
		}
	}
	sort.Strings(gone)
	for _, h := range gone {
		c := Change{Path: h, Kind: Delete}
		if p.diffs {
			c.Diff = textdiff.Unified("a/"+p.label(h), "/dev/null", string(p.files[h]), "")
		}
		res.Changes = append(res.Changes, c)
	}
	sort.Slice(res.Changes, func(i, j int) bool { return res.Changes[i].Path < res.Changes[j].Path })
	if !write {
		return res, nil
	}
	if err := p.apply(res.Changes); err != nil {
		return nil, err
	}
	return res, nil
}

type planner struct {
	root   *os.Root // the output root, the only folder held open throughout
	outDir string
	diffs  bool
	stale  []string // leftover staging files to remove

	files  map[string][]byte  // regular .yaml files read by scan, by slash path
	kinds  map[string]dirKind // what scan met, by slash path: every entry of a listed folder, and each environment folder
	listed map[string]bool    // the folders scan listed

	// known sums (Compare) spare scan reading the files whose sum is that
	// of their rendered content (wantFile), which it records in same instead
	known    Known
	wantFile map[string]*File // the rendered files, by slash path
	same     map[string]bool

	raw *rawRoot // the output root's folder while scanAll runs, or nil (scanEnvFast)
}

// dirKind is what one path inside the output root is.
type dirKind int

const (
	missing dirKind = iota
	isDir
	isLink
	isFile  // a regular file
	isOther // a device, FIFO, socket…
)

func kindOf(m fs.FileMode) dirKind {
	switch {
	case m&fs.ModeSymlink != 0:
		return isLink
	case m.IsDir():
		return isDir
	case m.IsRegular():
		return isFile
	}
	return isOther
}

// close closes the output root.
func (p *planner) close() {
	if p.root != nil {
		_ = p.root.Close()
	}
}

// label names a file in a diff header: relative to the working folder,
// like git's a/ and b/ paths, so the diff applies with git apply.
func (p *planner) label(rel string) string {
	return path.Clean(filepath.ToSlash(p.outDir) + "/" + rel)
}

func (p *planner) display(rel string) string {
	return filepath.Join(p.outDir, filepath.FromSlash(rel))
}

func (p *planner) linkError(rel string) error {
	return fmt.Errorf("%s is a symlink; fluxtf never writes through links, remove it", p.display(rel))
}

// ownedDirs lists the folders directly under the output root that are
// environment folders of fluxtf although no spec renders them now (their
// spec was deleted or renamed): a real folder (not a link) named like an
// environment whose kustomization.yaml is a regular file that fluxtf
// generated (its header). Any other folder is someone else's and is never
// scanned, written or pruned; when such a folder holds fluxtf output one
// level down (--out points above the output root), a note says so.
func (p *planner) ownedDirs(rendered map[string]bool) (owned, notes []string, err error) {
	ents, err := fs.ReadDir(p.root.FS(), ".")
	if err != nil {
		return nil, nil, fmt.Errorf("output folder %s: %w", p.outDir, describe(err))
	}
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") || rendered[name] {
			continue
		}
		if CheckEnvName(name) == nil && p.generatedFile(name+"/"+KustomizationFile) {
			owned = append(owned, name)
			continue
		}
		if inner := p.innerOutput(name); inner != "" {
			notes = append(notes, fmt.Sprintf("%s is not an environment folder (no %s generated by fluxtf in it) and was left untouched, but %s holds fluxtf output: is --out %s the right folder?",
				p.display(name), KustomizationFile, p.display(inner), p.outDir))
		}
	}
	return owned, notes, nil
}

// generatedFile reports whether rel is a regular file that starts with
// fluxtf's header.
func (p *planner) generatedFile(rel string) bool {
	st, err := p.root.Lstat(rel)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	f, err := p.root.Open(rel)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, len(Header))
	n, _ := io.ReadFull(f, head)
	return IsGenerated(head[:n])
}

// innerOutput returns the first folder of dir that looks like an
// environment folder of fluxtf, or "".
func (p *planner) innerOutput(dir string) string {
	ents, err := fs.ReadDir(p.root.FS(), dir)
	if err != nil {
		return ""
	}
	for _, e := range ents {
		if e.IsDir() && p.generatedFile(dir+"/"+e.Name()+"/"+KustomizationFile) {
			return dir + "/" + e.Name()
		}
	}
	return ""
}

// scanned is what scanning one environment folder found.
type scanned struct {
	files  map[string][]byte // regular .yaml files, by slash path
	kinds  []entryKind       // every entry met, and the folder itself
	listed []string          // the folders listed
	same   []string          // files not read: known to hold what renders there
	have   []string          // the other generated ones (same never need deleting)
	stale  []string          // leftover staging files
}

// entryKind is what scan met at one slash path.
type entryKind struct {
	rel  string
	kind dirKind
}

// scanAll records the generated files under each of dirs (two levels deep,
// never following symlinks) and keeps what it read for compare. The
// folders are read on a fixed pool of workers, each holding at most a few
// descriptors at a time; the first error in the order of dirs is
// returned, whatever finished first.
func (p *planner) scanAll(dirs []string, have map[string]bool) error {
	if p.root == nil || len(dirs) == 0 {
		return nil
	}
	p.raw = openRawRoot(p.root)
	defer func() {
		p.raw.close()
		p.raw = nil
	}()
	results := make([]scanned, len(dirs))
	errs := make([]error, len(dirs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(dirs), ioWorkers()) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(dirs) {
					return
				}
				results[i].files = map[string][]byte{}
				errs[i] = p.scanEnv(dirs[i], &results[i])
			}
		})
	}
	wg.Wait()
	// the maps made at their size: growing them was a good part of an
	// up-to-date render's scan
	var nkinds, nlisted, nsame int
	for i := range results {
		nkinds += len(results[i].kinds)
		nlisted += len(results[i].listed)
		nsame += len(results[i].same)
	}
	p.kinds = grown(p.kinds, nkinds)
	p.listed = grown(p.listed, nlisted)
	p.same = grown(p.same, nsame)
	for i := range dirs {
		if errs[i] != nil {
			return errs[i]
		}
		r := &results[i]
		for rel, data := range r.files {
			p.files[rel] = data
		}
		for _, e := range r.kinds {
			p.kinds[e.rel] = e.kind
		}
		for _, rel := range r.listed {
			p.listed[rel] = true
		}
		for _, rel := range r.same {
			p.same[rel] = true
		}
		for _, rel := range r.have {
			have[rel] = true
		}
		p.stale = append(p.stale, r.stale...)
	}
	return nil
}

// grown is a copy of m with room for n more keys.
func grown[V any](m map[string]V, n int) map[string]V {
	out := make(map[string]V, len(m)+n)
	maps.Copy(out, m)
	return out
}

// scanEnv scans one environment folder, a direct child of the output root.
func (p *planner) scanEnv(env string, out *scanned) error {
	if handled, err := p.scanEnvFast(env, out); handled {
		return err
	}
	st, err := p.root.Lstat(env)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		out.kinds = append(out.kinds, entryKind{env, missing})
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", p.display(env), describe(err))
	}
	kind := kindOf(st.Mode())
	out.kinds = append(out.kinds, entryKind{env, kind})
	switch kind {
	case isLink:
		return p.linkError(env)
	case isDir:
	default:
		return nil // compare names the problem if a file must go there
	}
	r, err := p.root.OpenRoot(env)
	if err != nil {
		return fmt.Errorf("%s: %w", p.display(env), describe(err))
	}
	defer func() { _ = r.Close() }()
	return p.scanDir(r, env, 0, out)
}

func (p *planner) scanDir(r *os.Root, dir string, depth int, out *scanned) error {
	ents, err := fs.ReadDir(r.FS(), ".")
	if err != nil {
		return fmt.Errorf("%s: %w", p.display(dir), describe(err))
	}
	out.listed = append(out.listed, dir)
	for _, e := range ents {
		rel := path.Join(dir, e.Name())
		kind := kindOf(e.Type())
		out.kinds = append(out.kinds, entryKind{rel, kind})
		switch {
		case strings.Contains(e.Name(), tmpMarker):
			out.stale = append(out.stale, rel)
		case kind == isDir && depth < 1:
			sub, err := r.OpenRoot(e.Name())
			if err != nil {
				return fmt.Errorf("%s: %w", p.display(rel), describe(err))
			}
			err = p.scanDir(sub, rel, depth+1, out)
			_ = sub.Close()
			if err != nil {
				return err
			}
		case kind == isFile && strings.HasSuffix(e.Name(), ".yaml"):
			if p.unchanged(rel) || p.settled(e, rel) {
				out.same = append(out.same, rel) // (generated, and never deleted: it renders there)
				continue
			}
			data, err := r.ReadFile(e.Name())
			if err != nil {
				return fmt.Errorf("%s: %w", p.display(rel), describe(err))
			}
			p.sawFile(out, rel, data)
		}
	}
	return nil
}

// sawFile records file rel, read with its content data.
func (p *planner) sawFile(out *scanned, rel string, data []byte) {
	if f, ok := p.wantFile[rel]; ok && f.Data != nil && IsGenerated(data) && bytes.Equal(data, f.Data) {
		// as it renders: compare needs no copy of it
		out.same = append(out.same, rel)
		return
	}
	out.files[rel] = data
	if IsGenerated(data) {
		out.have = append(out.have, rel)
	}
}

// unchanged reports whether the known sum of the file at rel is that of
// its rendered content.
func (p *planner) unchanged(rel string) bool {
	sum, ok := p.known[rel]
	if !ok {
		return false
	}
	f, ok := p.wantFile[rel]
	switch {
	case !ok:
		return false
	case f.Data == nil: // SumsOnly: a generated file
		return f.Sum == sum
	}
	return IsGenerated(f.Data) && sha256.Sum256(f.Data) == sum
}

// settled reports whether the file at rel (entry e of its folder) is the
// very file settle found holding its rendered content: the same file,
// size and modification time.
func (p *planner) settled(e fs.DirEntry, rel string) bool {
	f, ok := p.wantFile[rel]
	if !ok || f.onDisk == nil {
		return false
	}
	st, err := e.Info()
	return err == nil && f.onDisk.same(st)
}

// kindAt says what rel is: from scan when its folder was listed, else
// from the disk (a path deeper than scan looks).
func (p *planner) kindAt(rel string) (dirKind, error) {
	if k, ok := p.kinds[rel]; ok {
		return k, nil
	}
	if p.listed[path.Dir(rel)] {
		return missing, nil
	}
	st, err := p.root.Lstat(filepath.FromSlash(rel))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return missing, nil
	case err != nil:
		return missing, fmt.Errorf("%s: %w", p.display(rel), describe(err))
	}
	return kindOf(st.Mode()), nil
}

// compare classifies one rendered file against the disk.
func (p *planner) compare(f File) (Change, error) {
	c := Change{Path: f.Path}
	if p.same[f.Path] {
		c.Kind = Unchanged
		return c, nil
	}
	if f.Data == nil {
		return c, fmt.Errorf("%s: %w", f.Path, ErrNeedContent)
	}
	old, found := p.files[f.Path]
	if !found && p.root != nil {
		// not read by scan: refuse symlinks anywhere on the way, even ones
		// that stay inside, and anything that is not a regular file
		parts := strings.Split(f.Path, "/")
		dir := "."
		exists := true
		for _, part := range parts[:len(parts)-1] {
			dir = path.Join(dir, part)
			k, err := p.kindAt(dir)
			if err != nil {
				return c, err
			}
			switch k {
			case isLink:
				return c, p.linkError(dir)
			case isFile, isOther:
				return c, fmt.Errorf("%s is a file where fluxtf needs a folder; move it away", p.display(dir))
			case missing:
				exists = false
			}
			if !exists {
				break
			}
		}
		if exists {
			k, err := p.kindAt(f.Path)
			switch {
			case err != nil:
				return c, err
			case k == missing:
			case k == isLink:
				return c, p.linkError(f.Path)
			case k != isFile:
				return c, fmt.Errorf("%s is not a regular file; move it away", p.display(f.Path))
			default:
				if old, err = p.root.ReadFile(filepath.FromSlash(f.Path)); err != nil {
					return c, fmt.Errorf("%s: %w", p.display(f.Path), describe(err))
				}
				found = true
			}
		}
	}
	switch {
	case !found:
		c.Kind = Create
		if p.diffs {
			c.Diff = textdiff.Unified("/dev/null", "b/"+p.label(f.Path), "", string(f.Data))
		}
		return c, nil
	case !IsGenerated(old):
		return c, fmt.Errorf("%s exists and was not generated by fluxtf (no %q header); move it away or delete it", p.display(f.Path), strings.TrimSpace(Header))
	case bytes.Equal(old, f.Data):
		c.Kind = Unchanged
		return c, nil
	}
	c.Kind = Update
	if p.diffs {
		c.Diff = textdiff.Unified("a/"+p.label(f.Path), "b/"+p.label(f.Path), string(old), string(f.Data))
	}
	return c, nil
}

// apply makes the disk match changes in four steps, each safe to
// interrupt:
//
//  1. a journal in state staging lists the folders to create, the files
//     to write and those to delete (journal.go);
//  2. the folders are created and every new file is written beside its
//     destination under a staging name, then flushed to disk with its
//     folder: a failure or a kill up to here is undone (the staging
//     files and new folders removed), leaving the previous output;
//  3. the journal is switched to state committed (written aside, flushed,
//     renamed over): the commit point;
//  4. the staging files are renamed into place and stale generated files
//     deleted, then the journal is removed. A kill here leaves the
//     journal, and the next render completes these renames and deletions
//     before anything else.
//
// The writes run on a fixed pool of workers, each holding one folder open
// at a time.
func (p *planner) apply(changes []Change) (err error) {
	suffix, err := randomSuffix()
	if err != nil {
		return err
	}
	j := &journal{Version: journalVersion, State: journalStaging, Suffix: suffix}
	for _, c := range changes {
		switch c.Kind {
		case Create, Update:
			j.Write = append(j.Write, c.Path)
		case Delete:
			j.Delete = append(j.Delete, c.Path)
		}
	}
	if len(j.Write) == 0 && len(j.Delete) == 0 {
		p.removeStale()
		return nil
	}
	groups := groupByDir(j.Write)
	creating := map[string]bool{}
	for _, g := range groups {
		made, err := p.missingDirs(g.dir)
		if err != nil {
			return err
		}
		for _, d := range made {
			if !creating[d] {
				creating[d] = true
				j.Created = append(j.Created, d)
			}
		}
	}
	if err := p.writeJournal(j); err != nil {
		return err
	}
	committed := false
	defer func() {
		if err == nil || committed {
			return
		}
		p.rollback(j) // best effort; a leftover is undone by the next render
		if p.removeJournal() != nil {
			err = fmt.Errorf("%w (and the staging journal %s could not be removed: the next render cleans up)", err, p.display(journalName))
		}
	}()
	for _, d := range j.Created {
		if err := p.root.Mkdir(filepath.FromSlash(d), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("cannot create folder %s: %w; nothing was changed", p.display(d), describe(err))
		}
	}
	if err := forEach(len(groups), func(i int) error { return p.stage(groups[i], suffix) }); err != nil {
		return err
	}
	if err := p.flush(groups); err != nil {
		return fmt.Errorf("cannot flush the new files of %s to disk: %w; nothing was changed", p.outDir, describe(err))
	}
	j.State = journalCommitted
	if err := p.writeJournal(j); err != nil {
		return err
	}
	committed = true
	if err := p.rollForward(j); err != nil {
		return fmt.Errorf("%w; the render is half done: run fluxtf render again to complete it (journal %s)", err, p.display(journalName))
	}
	p.removeStale()
	if err := p.removeJournal(); err != nil {
		return fmt.Errorf("render complete, but %w", err)
	}
	return nil
}

// dirGroup is the files written into one folder.
type dirGroup struct {
	dir   string   // slash path from the output root
	names []string // base names
}

func groupByDir(files []string) []dirGroup {
	var groups []dirGroup
	at := map[string]int{}
	for _, f := range files {
		d := path.Dir(f)
		i, ok := at[d]
		if !ok {
			i = len(groups)
			at[d] = i
			groups = append(groups, dirGroup{dir: d})
		}
		groups[i].names = append(groups[i].names, path.Base(f))
	}
	return groups
}

// missingDirs returns the folders of dir (itself and its parents, parents
// first) that do not exist yet, and refuses links and files on the way
// (compare refused them already; a change since is a race).
func (p *planner) missingDirs(dir string) ([]string, error) {
	if dir == "." {
		return nil, nil
	}
	var made []string
	d := "."
	for _, part := range strings.Split(dir, "/") {
		d = path.Join(d, part)
		if len(made) > 0 {
			made = append(made, d)
			continue
		}
		k, err := p.kindAt(d)
		switch {
		case err != nil:
			return nil, err
		case k == missing:
			made = append(made, d)
		case k != isDir:
			return nil, fmt.Errorf("cannot create folder %s: it is a link or a file; nothing was changed", p.display(d))
		}
	}
	return made, nil
}

// stagingName is the name a file is written under beside its destination.
func stagingName(base, suffix string) string {
	return "." + base + tmpMarker + suffix
}

// testHookWrite, when set by a test, runs before each staged write and
// may fail it.
var testHookWrite func(name string) error

// stage writes the new files of one folder under their staging names.
func (p *planner) stage(g dirGroup, suffix string) error {
	r, err := p.root.OpenRoot(filepath.FromSlash(g.dir))
	if err != nil {
		return fmt.Errorf("cannot write into %s: %w; nothing was changed", p.display(g.dir), describe(err))
	}
	defer func() { _ = r.Close() }()
	for _, name := range g.names {
		rel := path.Join(g.dir, name)
		tmp := stagingName(name, suffix)
		var data []byte
		if f := p.wantFile[rel]; f != nil {
			data = f.Data
		}
		if err := p.writeFile(r, path.Join(g.dir, tmp), tmp, data); err != nil {
			return fmt.Errorf("cannot write %s: %w; nothing was changed", p.display(rel), describe(err))
		}
	}
	return nil
}

func (p *planner) writeFile(r *os.Root, rel, tmp string, data []byte) error {
	if testHookWrite != nil {
		if err := testHookWrite(rel); err != nil {
			return err
		}
	}
	f, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if syncEachFile {
		if err := f.Sync(); err != nil {
			_ = f.Close()
			return err
		}
	}
	return f.Close()
}

// flush makes the staged files and their folders' entries durable.
func (p *planner) flush(groups []dirGroup) error {
	if !syncEachFile {
		return syncFS(p.root)
	}
	// the files were synced as they were written; now their folders
	return forEach(len(groups), func(i int) error { return syncDir(p.root, groups[i].dir) })
}

// rollback undoes a journal in state staging: the staging files and the
// folders it created (when empty) are removed. Errors are ignored: what
// is left is undone by the next render.
func (p *planner) rollback(j *journal) {
	for _, g := range groupByDir(j.Write) {
		for _, name := range g.names {
			_ = p.root.Remove(filepath.FromSlash(path.Join(g.dir, stagingName(name, j.Suffix))))
		}
	}
	for i := len(j.Created) - 1; i >= 0; i-- {
		_ = p.root.Remove(filepath.FromSlash(j.Created[i])) // fails when not empty
	}
}

// testHookSwitch, when set by a test, runs before the staged files of
// each folder are renamed into place and may fail them.
var testHookSwitch func(dir string) error

// rollForward completes a journal in state committed: every staging file
// still there is renamed into place, every stale file that is still
// fluxtf's is deleted, with the folders that leaves empty. Running it
// again after an interruption is harmless.
func (p *planner) rollForward(j *journal) error {
	groups := groupByDir(j.Write)
	err := forEach(len(groups), func(i int) error {
		g := groups[i]
		if testHookSwitch != nil {
			if err := testHookSwitch(g.dir); err != nil {
				return err
			}
		}
		r, err := p.root.OpenRoot(filepath.FromSlash(g.dir))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("cannot open %s: %w", p.display(g.dir), describe(err))
		}
		defer func() { _ = r.Close() }()
		for _, name := range g.names {
			tmp := stagingName(name, j.Suffix)
			st, err := r.Lstat(tmp)
			if errors.Is(err, fs.ErrNotExist) {
				continue // renamed already
			}
			if err != nil || !st.Mode().IsRegular() {
				return fmt.Errorf("cannot replace %s: %s is not the staging file fluxtf wrote", p.display(path.Join(g.dir, name)), p.display(path.Join(g.dir, tmp)))
			}
			if err := r.Rename(tmp, name); err != nil {
				return fmt.Errorf("cannot replace %s: %w", p.display(path.Join(g.dir, name)), describe(err))
			}
		}
		if syncEachFile {
			return syncDir(r, ".")
		}
		return nil
	})
	if err != nil {
		return err
	}
	emptied := map[string]bool{}
	for _, rel := range j.Delete {
		if !p.generatedFile(rel) {
			continue // gone already, or no longer fluxtf's
		}
		if err := p.root.Remove(filepath.FromSlash(rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot delete stale %s: %w", p.display(rel), describe(err))
		}
		emptied[path.Dir(rel)] = true
	}
	// drop folders the deletions emptied, deepest first (Remove fails on
	// the others)
	dirs := sortedKeys(emptied)
	sort.Slice(dirs, func(a, b int) bool { return strings.Count(dirs[a], "/") > strings.Count(dirs[b], "/") })
	for _, d := range dirs {
		for ; d != "." && d != "/"; d = path.Dir(d) {
			if p.root.Remove(filepath.FromSlash(d)) != nil {
				break
			}
		}
	}
	return syncFS(p.root)
}

// removeStale removes staging files that an older run left behind.
func (p *planner) removeStale() {
	for _, s := range p.stale {
		_ = p.root.Remove(filepath.FromSlash(s))
	}
}

// forEach runs f(0..n-1) on the I/O pool and returns the first error;
// after an error, items not yet started are skipped.
func forEach(n int, f func(i int) error) error {
	workers := min(n, ioWorkers())
	var next atomic.Int64
	var failed atomic.Bool
	errs := make([]error, n)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if errs[i] = f(i); errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func randomSuffix() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// describe shortens file-system errors to their cause.
func describe(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// mkdirAllNoLinks creates the output root, refusing to create it through a
// dangling symlink.
func mkdirAllNoLinks(dir string) error {
	st, err := os.Lstat(dir)
	if err == nil {
		if st.Mode()&fs.ModeSymlink != 0 {
			if t, err := os.Stat(dir); err == nil && t.IsDir() {
				return nil // a linked output root is the user's choice
			}
			return fmt.Errorf("output folder %s is a symlink that does not lead to a folder", dir)
		}
		if !st.IsDir() {
			return fmt.Errorf("output folder %s is a file; pass a folder to --out", dir)
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create output folder %s: %w", dir, describe(err))
	}
	return nil
}

// syncDir flushes one folder's entries (the names created, renamed or
// removed in it).
func syncDir(root *os.Root, dir string) error {
	if runtime.GOOS == "windows" {
		return nil // a folder cannot be flushed there; its entries are flushed with the files
	}
	f, err := root.Open(filepath.FromSlash(dir))
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return f.Sync()
}
