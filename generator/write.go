package generator

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
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
// environments not in outs (used with --all).
//
// Every folder of the output tree is opened once (an *os.Root beneath the
// output root) and files are read, staged and renamed by their base name
// in it: walking each path from the root for every file cost a dozen
// system calls a file, most of the time of a render that writes
// thousands.
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
	p := &planner{root: root, outDir: outDir, diffs: !write, dirs: map[string]*dirEntry{}, files: map[string][]byte{}, known: known, same: map[string]bool{}, wantFile: map[string]File{}}
	defer p.close()
	if write {
		unlock, err := lockDir(outDir)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	for _, o := range outs {
		for _, f := range o.Files {
			if f.Data == nil && write {
				return nil, fmt.Errorf("%s: %w", f.Path, ErrNeedContent)
			}
			p.wantFile[f.Path] = f
		}
	}
	// scan what is there: generated files of the rendered environments, and
	// of every environment folder when pruning
	dirs := res.Envs
	if pruneEnvs && root != nil {
		dirs = p.topDirs()
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
	for _, h := range sortedKeys(have) {
		if _, ok := p.wantFile[h]; ok {
			continue
		}
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
	root   *os.Root
	outDir string
	diffs  bool
	stale  []string // leftover staging files to remove

	mu    sync.Mutex           // guards dirs (scan looks folders up on several goroutines)
	dirs  map[string]*dirEntry // folders looked at, by slash path ("." is the root)
	files map[string][]byte    // regular .yaml files read by scan, by slash path

	// known sums (Compare) spare scan reading the files whose sum is that
	// of their rendered content (wantFile), which it records in same instead
	known    Known
	wantFile map[string]File // the rendered files, by slash path
	same     map[string]bool
}

// dirEntry is what one path inside the output root is.
type dirEntry struct {
	kind dirKind
	root *os.Root // the open folder when kind is isDir
	err  error    // when kind is failed
}

type dirKind int

const (
	missing dirKind = iota
	isDir
	isLink
	isOther // a file or something else that is not a folder
	failed
)

// dir looks a folder up once, opening it beneath its parent; a parent that
// is missing, a link or a file makes the folder missing.
func (p *planner) dir(rel string) *dirEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dirLocked(rel)
}

func (p *planner) dirLocked(rel string) *dirEntry {
	if d, ok := p.dirs[rel]; ok {
		return d
	}
	d := &dirEntry{}
	switch {
	case p.root == nil:
	case rel == ".":
		d.kind, d.root = isDir, p.root
	default:
		parent := p.dirLocked(path.Dir(rel))
		if parent.kind != isDir {
			break
		}
		base := path.Base(rel)
		st, err := parent.root.Lstat(base)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			d.kind, d.err = failed, fmt.Errorf("%s: %w", p.display(rel), err)
		case st.Mode()&fs.ModeSymlink != 0:
			d.kind = isLink
		case !st.IsDir():
			d.kind = isOther
		default:
			r, err := parent.root.OpenRoot(base)
			if err != nil {
				d.kind, d.err = failed, fmt.Errorf("%s: %w", p.display(rel), err)
				break
			}
			d.kind, d.root = isDir, r
		}
	}
	p.dirs[rel] = d
	return d
}

// close closes every folder dir opened, and the output root.
func (p *planner) close() {
	for rel, d := range p.dirs {
		if d.root != nil && rel != "." {
			_ = d.root.Close()
		}
	}
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

// topDirs lists the folders directly under the output root.
func (p *planner) topDirs() []string {
	ents, err := fs.ReadDir(p.root.FS(), ".")
	if err != nil {
		return nil
	}
	var dirs []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

// scanned is what scanning one environment folder found.
type scanned struct {
	files map[string][]byte // regular .yaml files, by slash path
	same  []string          // those not read: known to hold what renders there
	have  []string          // the generated ones
	stale []string          // leftover staging files
}

// scanAll records the generated files under each of dirs (two levels deep,
// never following symlinks) and keeps what it read for compare. The
// folders are read on several goroutines; the first error in the order of
// dirs is returned, whatever finished first.
func (p *planner) scanAll(dirs []string, have map[string]bool) error {
	if p.root == nil || len(dirs) == 0 {
		return nil
	}
	for _, d := range dirs {
		p.dir(d) // look the folders up in order, before the goroutines
	}
	results := make([]scanned, len(dirs))
	errs := make([]error, len(dirs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(dirs), max(4, runtime.GOMAXPROCS(0))) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(dirs) {
					return
				}
				results[i].files = map[string][]byte{}
				errs[i] = p.scanLevel(dirs[i], 0, &results[i])
			}
		})
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil {
			return errs[i]
		}
		for rel, data := range results[i].files {
			p.files[rel] = data
		}
		for _, rel := range results[i].same {
			p.same[rel] = true
		}
		for _, rel := range results[i].have {
			have[rel] = true
		}
		p.stale = append(p.stale, results[i].stale...)
	}
	return nil
}

func (p *planner) scanLevel(dir string, depth int, out *scanned) error {
	d := p.dir(dir)
	switch d.kind {
	case missing, isOther:
		return nil
	case failed:
		return d.err
	case isLink:
		return fmt.Errorf("%s is a symlink; fluxtf writes only real folders inside the output root, remove the link", p.display(dir))
	}
	ents, err := fs.ReadDir(d.root.FS(), ".")
	if err != nil {
		return fmt.Errorf("%s: %w", p.display(dir), err)
	}
	for _, e := range ents {
		rel := path.Join(dir, e.Name())
		switch {
		case strings.Contains(e.Name(), tmpMarker):
			out.stale = append(out.stale, rel)
		case e.Type().IsDir() && depth < 1:
			if err := p.scanLevel(rel, depth+1, out); err != nil {
				return err
			}
		case e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".yaml"):
			if p.unchanged(rel) {
				out.same = append(out.same, rel)
				out.have = append(out.have, rel) // the rendered content is generated
				continue
			}
			data, err := d.root.ReadFile(e.Name())
			if err != nil {
				return fmt.Errorf("%s: %w", p.display(rel), err)
			}
			out.files[rel] = data
			if IsGenerated(data) {
				out.have = append(out.have, rel)
			}
		}
	}
	return nil
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
		// not seen by scan: refuse symlinks anywhere on the way, even ones
		// that stay inside, and anything that is not a regular file
		parts := strings.Split(f.Path, "/")
		dir := "."
		exists := true
		for _, part := range parts[:len(parts)-1] {
			dir = path.Join(dir, part)
			switch d := p.dir(dir); d.kind {
			case failed:
				return c, d.err
			case isLink:
				return c, fmt.Errorf("%s is a symlink; fluxtf never writes through links, remove it", p.display(dir))
			case isOther:
				return c, fmt.Errorf("%s is a file where fluxtf needs a folder; move it away", p.display(dir))
			case missing:
				exists = false
			}
			if !exists {
				break
			}
		}
		if exists {
			base := parts[len(parts)-1]
			r := p.dir(dir).root
			st, err := r.Lstat(base)
			switch {
			case errors.Is(err, fs.ErrNotExist):
			case err != nil:
				return c, fmt.Errorf("%s: %w", p.display(f.Path), err)
			case st.Mode()&fs.ModeSymlink != 0:
				return c, fmt.Errorf("%s is a symlink; fluxtf never writes through links, remove it", p.display(f.Path))
			case !st.Mode().IsRegular():
				return c, fmt.Errorf("%s is not a regular file; move it away", p.display(f.Path))
			default:
				if old, err = r.ReadFile(base); err != nil {
					return c, fmt.Errorf("%s: %w", p.display(f.Path), err)
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

// stagedFile is one file written beside its destination, to be renamed
// into place.
type stagedFile struct {
	dir       *os.Root
	rel       string // destination, slash path from the output root
	tmp, base string // names in dir
	written   bool   // the staging file exists
}

// apply stages every new file next to its destination, then renames them
// all into place and removes stale generated files. If staging fails,
// every staged file and every folder it created is removed again, leaving
// the tree as it was. Staging runs on several goroutines: the system calls
// dominate and proceed in parallel.
func (p *planner) apply(changes []Change) (err error) {
	var staged []*stagedFile
	var created []string // folders made by this run, deepest last
	defer func() {
		if err == nil {
			return
		}
		for _, s := range staged {
			if s.written {
				_ = s.dir.Remove(s.tmp)
			}
		}
		for i := len(created) - 1; i >= 0; i-- {
			_ = p.root.Remove(filepath.FromSlash(created[i]))
		}
	}()
	suffix, err := randomSuffix()
	if err != nil {
		return err
	}
	for _, c := range changes {
		if c.Kind != Create && c.Kind != Update {
			continue
		}
		dir := path.Dir(c.Path)
		made, err := p.mkdirs(dir)
		created = append(created, made...)
		if err != nil {
			return err
		}
		base := path.Base(c.Path)
		staged = append(staged, &stagedFile{dir: p.dir(dir).root, rel: c.Path, base: base, tmp: "." + base + tmpMarker + suffix})
	}
	if err := forEach(len(staged), func(i int) error {
		s := staged[i]
		if err := p.writeFile(s, p.wantFile[s.rel].Data); err != nil {
			return fmt.Errorf("cannot write %s: %w; nothing was changed", p.display(s.rel), describe(err))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, s := range staged {
		if err := s.dir.Rename(s.tmp, s.base); err != nil {
			return fmt.Errorf("cannot replace %s: %w", p.display(s.rel), describe(err))
		}
		s.written = false
	}
	for _, c := range changes {
		if c.Kind != Delete {
			continue
		}
		if err := p.root.Remove(filepath.FromSlash(c.Path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("cannot delete stale %s: %w", p.display(c.Path), describe(err))
		}
		// drop folders the deletion emptied (Remove fails on non-empty ones)
		for d := path.Dir(c.Path); d != "." && d != "/"; d = path.Dir(d) {
			if p.root.Remove(filepath.FromSlash(d)) != nil {
				break
			}
		}
	}
	for _, s := range p.stale {
		_ = p.root.Remove(filepath.FromSlash(s))
	}
	return nil
}

// forEach runs f(0..n-1) on a few goroutines and returns the first error;
// after an error, items not yet started are skipped.
func forEach(n int, f func(i int) error) error {
	workers := min(n, max(4, runtime.GOMAXPROCS(0)))
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

// mkdirs creates dir and its missing parents inside the root and returns
// the ones it created.
func (p *planner) mkdirs(dir string) ([]string, error) {
	if dir == "." {
		return nil, nil
	}
	var made []string
	d := "."
	for _, part := range strings.Split(dir, "/") {
		parent := p.dir(d)
		d = path.Join(d, part)
		e := p.dir(d)
		switch e.kind {
		case isDir:
			continue
		case failed:
			return made, e.err
		case isLink, isOther:
			// compare refused these already; a change since is a race
			return made, fmt.Errorf("cannot create folder %s: it is a link or a file; nothing was changed", p.display(d))
		}
		if err := parent.root.Mkdir(part, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return made, fmt.Errorf("cannot create folder %s: %w; nothing was changed", p.display(d), describe(err))
		} else if err == nil {
			made = append(made, d)
		}
		delete(p.dirs, d)
		if e = p.dir(d); e.kind != isDir {
			if e.err != nil {
				return made, e.err
			}
			return made, fmt.Errorf("cannot create folder %s: it is a link or a file; nothing was changed", p.display(d))
		}
	}
	return made, nil
}

// testHookWrite, when set by a test, runs before each staged write and
// may fail it.
var testHookWrite func(name string) error

func (p *planner) writeFile(s *stagedFile, data []byte) error {
	if testHookWrite != nil {
		if err := testHookWrite(path.Join(path.Dir(s.rel), s.tmp)); err != nil {
			return err
		}
	}
	f, err := s.dir.OpenFile(s.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	s.written = true
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
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
