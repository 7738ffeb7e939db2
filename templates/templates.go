package templates

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/digx/fluxtf/internal/yamlx"
)

//go:embed tiers.yaml functions-python.yaml eks-versions.yaml aws-regions.yaml stacks compatibility all:init all:scaffolds
var embedded embed.FS

// initDir holds the scaffolds of `fluxtf init`.
const initDir = "init"

// Set is the template data of one run: the embedded files, optionally
// overridden by a user's folder.
type Set struct {
	dir string // user override folder, or ""
}

// Embedded returns the built-in templates.
func Embedded() *Set { return &Set{} }

// WithOverrides returns the built-in templates overridden file by file by
// those in dir. dir must exist.
func WithOverrides(dir string) (*Set, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("templates folder %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("templates folder %s is not a folder", dir)
	}
	return &Set{dir: dir}, nil
}

// read returns a template file's bytes and the name to show in messages.
func (s *Set) read(name string) ([]byte, string, error) {
	if s.dir != "" {
		p := filepath.Join(s.dir, filepath.FromSlash(name))
		data, err := yamlx.ReadFile(p, yamlx.DefaultLimits)
		if err == nil {
			return data, p, nil
		}
		if _, statErr := os.Stat(p); !errors.Is(statErr, fs.ErrNotExist) {
			return nil, p, err
		}
	}
	data, err := embedded.ReadFile(name)
	if err != nil {
		return nil, "", err
	}
	return data, "templates/" + name + " (embedded)", nil
}

func (s *Set) parseOne(name string) (*yamlx.Node, error) {
	data, display, err := s.read(name)
	if err != nil {
		return nil, err
	}
	docs, err := yamlx.Parse(display, data, yamlx.DefaultLimits)
	if err != nil {
		return nil, err
	}
	if len(docs) != 1 || docs[0].Root == nil {
		return nil, &yamlx.Error{Pos: yamlx.Pos{File: display}, Msg: "expected exactly one YAML document"}
	}
	return docs[0].Root, nil
}

// TierDefaults returns the per-tier defaults: the tree under "all" merged
// under the tree under the tier's own key. Either may be absent.
func (s *Set) TierDefaults(tier string) (*yamlx.Node, error) {
	root, err := s.parseOne("tiers.yaml")
	if err != nil {
		return nil, err
	}
	if root.Kind != yamlx.MappingNode {
		return nil, &yamlx.Error{Pos: root.Pos, Msg: "tiers.yaml must be a mapping of tier name to defaults"}
	}
	return yamlx.Merge(root.Get("all"), root.Get(tier)), nil
}

var (
	nameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	urlRE  = regexp.MustCompile(`^(http|https|ssh)://.+$`)
)

// regionRE is the shape of an AWS region code.
var regionRE = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)

// Stack loads and checks the catalogue of one module stack.
func (s *Set) Stack(name string) (*Stack, error) {
	if !nameRE.MatchString(name) {
		return nil, fmt.Errorf("stack name %q is not a DNS-1123 label", name)
	}
	file := path.Join("stacks", name+".yaml")
	root, err := s.parseOne(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("unknown stack %q; known stacks: %s", name, strings.Join(s.StackNames(), ", "))
	}
	if err != nil {
		return nil, err
	}
	st := &Stack{}
	if err := yamlx.Decode(root, st); err != nil {
		return nil, err
	}
	if err := st.check(root); err != nil {
		return nil, err
	}
	return st, nil
}

// StackNames lists the stacks available, embedded and overridden.
func (s *Set) StackNames() []string {
	seen := map[string]bool{}
	add := func(names []string) {
		for _, n := range names {
			if strings.HasSuffix(n, ".yaml") {
				seen[strings.TrimSuffix(n, ".yaml")] = true
			}
		}
	}
	if ents, err := fs.ReadDir(embedded, "stacks"); err == nil {
		for _, e := range ents {
			add([]string{e.Name()})
		}
	}
	if s.dir != "" {
		if ents, err := os.ReadDir(filepath.Join(s.dir, "stacks")); err == nil {
			for _, e := range ents {
				add([]string{e.Name()})
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// File is one scaffold file of `fluxtf init`.
type File struct {
	// Path is slash-separated and relative to the new repository's root:
	// "environments/uat.yaml", ".github/workflows/fluxtf.yml".
	Path string
	// Data is the file's contents, placeholders not yet replaced.
	Data []byte
	// Source names where Data came from, for messages: the override
	// folder's file, or templates/init/<Path> for an embedded one.
	Source string
}

// InitFiles returns the scaffold `fluxtf init` writes into a new
// repository, sorted by path: every file under init/, embedded or from the
// override folder's init/ (which replaces an embedded file of the same path
// and may add files of its own). The files may hold placeholders that init
// replaces (see package scaffold).
func (s *Set) InitFiles() ([]File, error) {
	paths := map[string]bool{}
	err := fs.WalkDir(embedded, initDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths[strings.TrimPrefix(p, initDir+"/")] = true
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.overrideFiles(initDir, paths); err != nil {
		return nil, err
	}
	files := make([]File, 0, len(paths))
	for p := range paths {
		data, display, err := s.read(path.Join(initDir, p))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: p, Data: data, Source: strings.TrimSuffix(display, " (embedded)")})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// overrideFiles adds to paths the regular files below root (a slash path)
// in the templates folder that overrides the embedded one, by slash path
// relative to root; a missing root adds nothing.
func (s *Set) overrideFiles(root string, paths map[string]bool) error {
	if s.dir == "" {
		return nil
	}
	droot := filepath.Join(s.dir, filepath.FromSlash(root))
	err := filepath.WalkDir(droot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == droot {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(droot, p)
			if err != nil {
				return err
			}
			paths[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("templates folder %s: %w", s.dir, err)
	}
	return nil
}
