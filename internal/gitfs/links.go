package gitfs

import (
	"path"
	"slices"
)

// Links returns the names of the symbolic links in the folder dir at the
// commit, sorted (manifest.LinkListingFS): ReadDir lists files and
// folders only, and a folder walk asks for them to meet them as the disk
// walk does (following a link to a folder or a manifest inside the folder
// walked, refusing the others at the link).
func (c *commitFS) Links(dir string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.links) == 0 && c.coveredByLoad(c.repoPath(c.AbsPath(dir))) {
		return nil // no link below what Load listed
	}
	real, err := c.resolve(c.AbsPath(dir))
	if err != nil {
		return nil
	}
	rp := c.repoPath(real)
	if rp == "" || c.need(rp, real) != nil {
		return nil
	}
	var out []string
	for l := range c.links {
		if path.Dir(l) == rp {
			out = append(out, path.Base(l))
		}
	}
	slices.Sort(out)
	return out
}

// ResolvePath is AbsPath(p) with the commit's symbolic links resolved,
// or the error of links that never end (a loop, more than 40, or one git
// cannot read) (manifest.LinkListingFS). A link out of the repository
// gives its target, which is not read.
func (c *commitFS) ResolvePath(p string) (string, error) {
	abs := c.AbsPath(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resolve(abs)
}
