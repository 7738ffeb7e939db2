package gitfs

import (
	"path"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// walkStops are the names of the files that stop a folder walk at their
// folder (internal/manifest: a kustomization is built, a Helm chart is
// skipped): a link below such a folder is kustomize's to follow, not the
// walk's.
var walkStops = []string{"kustomization.yaml", "kustomization.yml", "Kustomization", "Chart.yaml"}

// Unfollowed returns the symbolic links of the commit that a folder walk
// of fsys (a file system Load returned) under paths (in fsys's form, as
// the walk is given them) meets and does not follow, as repository paths,
// sorted: those leading to a folder at the commit (folders) and the
// others (files: to a file, out of the repository, or nowhere). The
// paths' own links, listed up front, and those of folders listed on
// demand (a path that is itself a link) alike; links in hidden folders,
// or below a folder the walk stops at (a kustomization, a Helm chart),
// are the walk's to skip and not returned.
func Unfollowed(fsys filesys.FileSystem, paths []string) (folders, files []string) {
	c, ok := fsys.(*commitFS)
	if !ok {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var roots []string // the real repository folders walked
	for _, p := range paths {
		real, err := c.resolve(c.AbsPath(p))
		if err != nil {
			continue
		}
		rp := c.repoPath(real)
		if rp == "" || c.need(rp, real) != nil || !c.mem.IsDir(real) {
			continue
		}
		roots = append(roots, rp)
	}
	links := make([]string, 0, len(c.links))
	for l := range c.links {
		links = append(links, l)
	}
	slices.Sort(links)
	for _, l := range links {
		if !slices.ContainsFunc(roots, func(root string) bool { return c.walkMeets(root, l) }) {
			continue
		}
		if c.linkToFolder(l) {
			folders = append(folders, l)
		} else {
			files = append(files, l)
		}
	}
	return folders, files
}

// walkMeets reports whether a folder walk of the repository folder root
// meets the entry at the repository path rp: rp is below root, in no
// hidden folder, and no folder on the way holds a file that stops the
// walk. c.mu is held.
func (c *commitFS) walkMeets(root, rp string) bool {
	rest, ok := under(rp, root)
	if !ok || rest == "" {
		return false
	}
	dir := root
	parts := strings.Split(rest, "/")
	for i, name := range parts {
		if strings.HasPrefix(name, ".") {
			return false
		}
		for _, stop := range walkStops {
			if c.mem.Exists(atTop(c.top, path.Join(dir, stop))) {
				return false
			}
		}
		if i < len(parts)-1 {
			dir = path.Join(dir, name)
		}
	}
	return true
}

// linkToFolder reports whether the symbolic link at the repository path
// rp leads to a folder of the repository at the commit. c.mu is held.
func (c *commitFS) linkToFolder(rp string) bool {
	real, err := c.resolve(atTop(c.top, rp))
	if err != nil {
		return false
	}
	target := c.repoPath(real)
	if target == "" || c.need(target, real) != nil {
		return false
	}
	return c.mem.IsDir(real)
}
