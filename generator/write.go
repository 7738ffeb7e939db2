package generator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/digx/fluxtf/internal/textdiff"
)

// tmpMarker is part of every staging file's name; leftovers of a killed
// run are recognised by it and removed.
const tmpMarker = ".fluxtf-tmp-"

// Sync compares rendered outputs with outDir and, when write is set, makes
// outDir match them. pruneEnvs also removes generated files of
// environments not in outs (used with --all).
func Sync(outDir string, outs []*Output, pruneEnvs, write bool) (*Result, error) {
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
	if root != nil {
		defer func() { _ = root.Close() }()
	}
	if write {
		unlock, err := lockDir(outDir)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	p := &planner{root: root, outDir: outDir, diffs: !write}
	want := map[string][]byte{}
	for _, o := range outs {
		for _, f := range o.Files {
			want[f.Path] = f.Data
		}
	}
	// scan what is there: generated files of the rendered environments, and
	// of every environment folder when pruning
	dirs := res.Envs
	if pruneEnvs && root != nil {
		dirs = p.topDirs()
	}
	have := map[string]bool{}
	for _, d := range dirs {
		if err := p.scan(d, have); err != nil {
			return nil, err
		}
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
		if _, ok := want[h]; ok {
			continue
		}
		c := Change{Path: h, Kind: Delete}
		if p.diffs {
			old, _ := root.ReadFile(filepath.FromSlash(h))
			c.Diff = textdiff.Unified("a/"+p.label(h), "/dev/null", string(old), "")
		}
		res.Changes = append(res.Changes, c)
	}
	sort.Slice(res.Changes, func(i, j int) bool { return res.Changes[i].Path < res.Changes[j].Path })
	if !write {
		return res, nil
	}
	if err := p.apply(res.Changes, want); err != nil {
		return nil, err
	}
	return res, nil
}

type planner struct {
	root   *os.Root
	outDir string
	diffs  bool
	stale  []string // leftover staging files to remove
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

// scan records the generated files under dir (two levels deep, never
// following symlinks).
func (p *planner) scan(dir string, have map[string]bool) error {
	if p.root == nil {
		return nil
	}
	return p.scanLevel(dir, 0, have)
}

func (p *planner) scanLevel(dir string, depth int, have map[string]bool) error {
	st, err := p.root.Lstat(filepath.FromSlash(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p.display(dir), err)
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symlink; fluxtf writes only real folders inside the output root, remove the link", p.display(dir))
	}
	if !st.IsDir() {
		return nil
	}
	ents, err := fs.ReadDir(p.root.FS(), dir)
	if err != nil {
		return fmt.Errorf("%s: %w", p.display(dir), err)
	}
	for _, e := range ents {
		rel := path.Join(dir, e.Name())
		switch {
		case strings.Contains(e.Name(), tmpMarker):
			p.stale = append(p.stale, rel)
		case e.Type().IsDir() && depth < 1:
			if err := p.scanLevel(rel, depth+1, have); err != nil {
				return err
			}
		case e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".yaml"):
			data, err := p.root.ReadFile(filepath.FromSlash(rel))
			if err != nil {
				return fmt.Errorf("%s: %w", p.display(rel), err)
			}
			if IsGenerated(data) {
				have[rel] = true
			}
		}
	}
	return nil
}

// compare classifies one rendered file against the disk.
func (p *planner) compare(f File) (Change, error) {
	c := Change{Path: f.Path}
	if p.root == nil {
		c.Kind = Create
		if p.diffs {
			c.Diff = textdiff.Unified("/dev/null", "b/"+p.label(f.Path), "", string(f.Data))
		}
		return c, nil
	}
	// refuse symlinks anywhere on the way, even ones that stay inside
	parts := strings.Split(f.Path, "/")
	for i := range parts {
		rel := filepath.FromSlash(strings.Join(parts[:i+1], "/"))
		st, err := p.root.Lstat(rel)
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return c, fmt.Errorf("%s: %w", p.display(rel), err)
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return c, fmt.Errorf("%s is a symlink; fluxtf never writes through links, remove it", p.display(rel))
		}
		if i < len(parts)-1 && !st.IsDir() {
			return c, fmt.Errorf("%s is a file where fluxtf needs a folder; move it away", p.display(rel))
		}
		if i == len(parts)-1 && !st.Mode().IsRegular() {
			return c, fmt.Errorf("%s is not a regular file; move it away", p.display(rel))
		}
	}
	old, err := p.root.ReadFile(filepath.FromSlash(f.Path))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.Kind = Create
		if p.diffs {
			c.Diff = textdiff.Unified("/dev/null", "b/"+p.label(f.Path), "", string(f.Data))
		}
		return c, nil
	case err != nil:
		return c, fmt.Errorf("%s: %w", p.display(f.Path), err)
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

// apply stages every new file next to its destination, then renames them
// all into place and removes stale generated files. If staging fails,
// every staged file and every folder it created is removed again, leaving
// the tree as it was.
func (p *planner) apply(changes []Change, want map[string][]byte) (err error) {
	var staged [][2]string // temp, final
	var created []string   // folders made by this run, deepest last
	defer func() {
		if err == nil {
			return
		}
		for _, s := range staged {
			_ = p.root.Remove(s[0])
		}
		for i := len(created) - 1; i >= 0; i-- {
			_ = p.root.Remove(created[i])
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
		final := filepath.FromSlash(c.Path)
		dir := filepath.Dir(final)
		made, err := p.mkdirs(dir)
		created = append(created, made...)
		if err != nil {
			return err
		}
		tmp := filepath.Join(dir, "."+filepath.Base(final)+tmpMarker+suffix)
		staged = append(staged, [2]string{tmp, final})
		if err := p.writeFile(tmp, want[c.Path]); err != nil {
			return fmt.Errorf("cannot write %s: %w; nothing was changed", p.display(c.Path), describe(err))
		}
	}
	for _, s := range staged {
		if err := p.root.Rename(s[0], s[1]); err != nil {
			return fmt.Errorf("cannot replace %s: %w", p.display(filepath.ToSlash(s[1])), describe(err))
		}
	}
	staged = nil
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

// mkdirs creates dir and its missing parents inside the root and returns
// the ones it created.
func (p *planner) mkdirs(dir string) ([]string, error) {
	if dir == "." {
		return nil, nil
	}
	var made []string
	parts := strings.Split(filepath.ToSlash(dir), "/")
	for i := range parts {
		d := filepath.FromSlash(strings.Join(parts[:i+1], "/"))
		err := p.root.Mkdir(d, 0o755)
		switch {
		case err == nil:
			made = append(made, d)
		case errors.Is(err, fs.ErrExist):
		default:
			return made, fmt.Errorf("cannot create folder %s: %w; nothing was changed", p.display(filepath.ToSlash(d)), describe(err))
		}
	}
	return made, nil
}

// testHookWrite, when set by a test, runs before each staged write and
// may fail it.
var testHookWrite func(name string) error

func (p *planner) writeFile(name string, data []byte) error {
	if testHookWrite != nil {
		if err := testHookWrite(name); err != nil {
			return err
		}
	}
	f, err := p.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
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
