package gitfs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// Repo is a git work tree.
type Repo struct {
	// Dir is a folder inside the work tree; commands run there.
	Dir string
}

func (r Repo) git(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		if errors.Is(err, exec.ErrNotFound) {
			msg = "git is not installed"
		}
		return nil, fmt.Errorf("git %s: %s", args[0], firstLine(msg))
	}
	return out, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Prefix returns Dir's path relative to the top of the work tree, with a
// trailing slash, or "" at the top.
func (r Repo) Prefix() (string, error) {
	out, err := r.git("rev-parse", "--show-prefix")
	if err != nil {
		return "", fmt.Errorf("%s is not inside a git work tree: %w", r.Dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// ResolveCommit returns the commit id a ref names, or a clear error.
func (r Repo) ResolveCommit(ref string) (string, error) {
	if strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("invalid git ref %q", ref)
	}
	out, err := r.git("rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("git ref %q does not name a commit in %s (fetch it first, e.g. git fetch origin main)", ref, r.Dir)
	}
	return strings.TrimSpace(string(out)), nil
}

// Load copies the regular files under paths (relative to Dir, or absolute
// inside the work tree) as they are at ref into an in-memory file system,
// at the same relative paths. Paths that do not exist at ref are simply
// absent. It also returns how many files it read.
func (r Repo) Load(ref string, paths []string) (filesys.FileSystem, int, error) {
	commit, err := r.ResolveCommit(ref)
	if err != nil {
		return nil, 0, err
	}
	prefix, err := r.Prefix()
	if err != nil {
		return nil, 0, err
	}
	top, err := r.git("rev-parse", "--show-toplevel")
	if err != nil {
		return nil, 0, err
	}
	topDir := strings.TrimSpace(string(top))
	// map each argument to its path in the repository
	repoPaths := make([]string, 0, len(paths))
	for _, p := range paths {
		rp := path.Clean(prefix + filepath.ToSlash(p))
		if filepath.IsAbs(p) {
			rel, err := filepath.Rel(topDir, p)
			if err != nil || strings.HasPrefix(rel, "..") {
				return nil, 0, fmt.Errorf("%s is outside the git work tree %s", p, topDir)
			}
			rp = filepath.ToSlash(rel)
		}
		if strings.HasPrefix(rp, "../") || rp == ".." {
			return nil, 0, fmt.Errorf("%s is outside the git work tree %s", p, topDir)
		}
		repoPaths = append(repoPaths, rp)
	}
	args := append([]string{"ls-tree", "-r", "-z", "--full-tree", commit, "--"}, repoPaths...)
	out, err := r.git(args...)
	if err != nil {
		return nil, 0, err
	}
	type blob struct{ sha, path string }
	var blobs []blob
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		f := strings.Fields(string(meta)) // mode type sha
		if len(f) != 3 || f[1] != "blob" || f[0] == "120000" {
			continue // symlinks and submodules are not manifests
		}
		blobs = append(blobs, blob{sha: f[2], path: string(p)})
	}
	fs := filesys.MakeFsInMemory()
	if len(blobs) == 0 {
		return fs, 0, nil
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = r.Dir
	var in bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.sha + "\n")
	}
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("git cat-file: %w", err)
	}
	br := bufio.NewReader(stdout)
	for _, b := range blobs {
		header, err := br.ReadString('\n')
		if err != nil {
			_ = cmd.Wait()
			return nil, 0, fmt.Errorf("git cat-file: %w", err)
		}
		f := strings.Fields(header) // sha type size
		if len(f) != 3 {
			_ = cmd.Wait()
			return nil, 0, fmt.Errorf("git cat-file: unexpected %q", strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			_ = cmd.Wait()
			return nil, 0, fmt.Errorf("git cat-file: unexpected %q", strings.TrimSpace(header))
		}
		data := make([]byte, size+1) // content and a newline
		if _, err := io.ReadFull(br, data); err != nil {
			_ = cmd.Wait()
			return nil, 0, fmt.Errorf("git cat-file: %w", err)
		}
		rel := strings.TrimPrefix(b.path, prefix)
		if prefix != "" && !strings.HasPrefix(b.path, prefix) {
			// outside Dir: express it relative to Dir
			rel = relTo(prefix, b.path)
		}
		if err := fs.WriteFile(rel, data[:size]); err != nil {
			_ = cmd.Wait()
			return nil, 0, fmt.Errorf("baseline %s: %w", b.path, err)
		}
	}
	if err := cmd.Wait(); err != nil {
		return nil, 0, fmt.Errorf("git cat-file: %w", err)
	}
	return fs, len(blobs), nil
}

// relTo expresses repository path p relative to the folder prefix.
func relTo(prefix, p string) string {
	up := strings.Count(strings.TrimSuffix(prefix, "/"), "/") + 1
	return strings.Repeat("../", up) + p
}

// RemoteURL returns the normalised URL of the origin remote, or "".
func (r Repo) RemoteURL() string {
	out, err := r.git("remote", "get-url", "origin")
	if err != nil {
		return ""
	}
	return NormalizeURL(strings.TrimSpace(string(out)))
}

// NormalizeURL reduces a git URL to host/owner/repo in lower case:
// ssh://git@github.com/Digx/Infra.git, git@github.com:digx/infra and
// https://github.com/digx/infra/ all become github.com/digx/infra.
func NormalizeURL(u string) string {
	s := strings.TrimSpace(u)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	} else if at := strings.Index(s, "@"); at >= 0 && strings.Contains(s[at:], ":") {
		s = strings.Replace(s[at+1:], ":", "/", 1) // scp-like git@host:path
	}
	if at := strings.LastIndex(strings.SplitN(s, "/", 2)[0], "@"); at >= 0 {
		s = s[at+1:] // drop user@
	}
	host, rest, _ := strings.Cut(s, "/")
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h // drop the port
	}
	rest = strings.TrimSuffix(strings.TrimSuffix(rest, "/"), ".git")
	if rest == "" {
		return strings.ToLower(host)
	}
	return strings.ToLower(host + "/" + rest)
}
