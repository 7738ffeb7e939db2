package templates

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// scaffoldsDir holds, per stack other than the default one, the specs
// `fluxtf init --stack <stack>` writes instead of init/environments/:
// scaffolds/<stack>/environments/*.yaml.
const scaffoldsDir = "scaffolds"

// initSpecsDir is the specs folder of the scaffold.
const initSpecsDir = "environments"

// StackInitFiles is InitFiles for a repository of stack: the scaffold's
// files with its specs (environments/) replaced by those of
// scaffolds/<stack>/environments/, embedded or from the override folder.
// The default stack (defaultStack) has no scaffolds/ entry: its specs are
// init/'s own.
func (s *Set) StackInitFiles(stack, defaultStack string) ([]File, error) {
	files, err := s.InitFiles()
	if err != nil || stack == "" || stack == defaultStack {
		return files, err
	}
	if _, err := s.Stack(stack); err != nil {
		return nil, err
	}
	paths := map[string]bool{}
	root := path.Join(scaffoldsDir, stack)
	err = fs.WalkDir(embedded, root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths[strings.TrimPrefix(p, root+"/")] = true
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err := s.overrideFiles(root, paths); err != nil {
		return nil, err
	}
	specs := 0
	for p := range paths {
		if path.Dir(p) == initSpecsDir {
			specs++
		}
	}
	if specs == 0 {
		return nil, fmt.Errorf("stack %s has no scaffold (templates/%s/%s/%s/*.yaml); stacks with one: %s", stack, scaffoldsDir, stack, initSpecsDir, strings.Join(s.scaffoldStacks(defaultStack), ", "))
	}
	out := make([]File, 0, len(files))
	for _, f := range files {
		if !strings.HasPrefix(f.Path, initSpecsDir+"/") {
			out = append(out, f)
		}
	}
	for p := range paths {
		data, display, err := s.read(path.Join(root, p))
		if err != nil {
			return nil, err
		}
		out = append(out, File{Path: p, Data: data, Source: strings.TrimSuffix(display, " (embedded)")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// scaffoldStacks lists the stacks `fluxtf init --stack` knows: the default
// one and those with an embedded scaffold.
func (s *Set) scaffoldStacks(defaultStack string) []string {
	names := []string{defaultStack}
	if ents, err := fs.ReadDir(embedded, scaffoldsDir); err == nil {
		for _, e := range ents {
			if e.IsDir() {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	return names
}
