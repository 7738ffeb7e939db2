package gitfs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/memfs"
)

// The reasons a baseline cannot be read from git; an *Error wraps one of
// them (errors.Is), or none for another failure of git.
var (
	// ErrNoGit: git is not installed, or not on PATH.
	ErrNoGit = errors.New("git is not installed or not on PATH")
	// ErrNotRepository: the folder is not inside a git work tree (a
	// checkout without its .git, such as a source archive).
	ErrNotRepository = errors.New("not inside a git work tree")
	// ErrOutsideWorkTree: a path of the run is outside the work tree git
	// runs in, so it has no copy at any commit of it.
	ErrOutsideWorkTree = errors.New("outside the git work tree")
	// ErrDubiousOwnership: git refuses a repository owned by another user
	// (safe.directory), as in a CI container running as another uid.
	ErrDubiousOwnership = errors.New("dubious ownership")
	// ErrNoCommits: HEAD was asked for and the repository has no commits
	// yet (before the very first commit).
	ErrNoCommits = errors.New("the repository has no commits yet")
	// ErrUnknownRef: the ref names no commit here (not fetched, a typo, a
	// shallow clone).
	ErrUnknownRef = errors.New("the git ref does not name a commit")
	// ErrPartialClone: the baseline's files are not in this partial clone
	// (git clone --filter), which would fetch them from its remote on
	// demand; fluxtf never reaches the network.
	ErrPartialClone = errors.New("files missing from a partial clone")
)

// Error is a failure of git: what happened and how to fix it, one line
// each.
type Error struct {
	// Kind is one of the Err* reasons, or nil.
	Kind error
	// Msg says what happened.
	Msg string
	// Fix says what to do, or is empty.
	Fix string
}

func (e *Error) Error() string {
	if e.Fix == "" {
		return e.Msg
	}
	return e.Msg + "; " + e.Fix
}

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Kind }

// Repo is a git work tree.
type Repo struct {
	// Dir is a folder inside the work tree; commands run there.
	Dir string
	// Fits, when set, is asked whether Load may read files of this many
	// bytes in all, before it reads any; its error is Load's.
	Fits func(totalBytes int64) error
	// Submodule, when set, is called with the repository path of each
	// submodule (gitlink) under the paths, which Load does not read (its
	// files are in another repository).
	Submodule func(path string)
}

// command is git with args, run in Dir. Its messages are in English
// (LC_ALL=C), the language gitError reads them in. It reads the local
// object store only: a partial clone (git clone --filter) would fetch a
// missing object from its promisor remote on demand, reaching the
// network and starting ssh or a credential helper, so lazy fetching is
// off (GIT_NO_LAZY_FETCH, git 2.44 and later) and no transport protocol
// is allowed (an empty GIT_ALLOW_PROTOCOL, for older git): the read then
// fails, and gitError says how to fetch the files. Paths are literal
// (GIT_LITERAL_PATHSPECS): a file named ":(glob)x" or ":/etc" in a
// kustomization is that file, not pathspec magic.
func (r Repo) command(args ...string) *exec.Cmd {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_NO_LAZY_FETCH=1", "GIT_ALLOW_PROTOCOL=", "GIT_TERMINAL_PROMPT=0", "GIT_LITERAL_PATHSPECS=1")
	return cmd
}

func (r Repo) git(args ...string) ([]byte, error) {
	cmd := r.command(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, r.gitError(args[0], err, stderr.String())
	}
	return out, nil
}

// dubiousRE finds the repository git refuses in its message.
var dubiousRE = regexp.MustCompile(`detected dubious ownership in repository at '([^'\n]*)'`)

// gitError classifies a failure of `git <sub>`, with the fix.
func (r Repo) gitError(sub string, err error, stderr string) error {
	if errors.Is(err, exec.ErrNotFound) {
		return &Error{Kind: ErrNoGit, Msg: "git is not installed or not on PATH", Fix: "install git (fluxtf reads the baseline with it)"}
	}
	msg := strings.TrimSpace(stderr)
	if m := dubiousRE.FindStringSubmatch(msg); m != nil {
		return &Error{
			Kind: ErrDubiousOwnership,
			Msg:  fmt.Sprintf("git refuses to read %s: it is owned by another user (dubious ownership)", m[1]),
			Fix:  "if you trust it, run: git config --global --add safe.directory " + shellQuote(m[1]),
		}
	}
	if strings.Contains(msg, "not a git repository") {
		return &Error{
			Kind: ErrNotRepository,
			Msg:  fmt.Sprintf("%s is not inside a git work tree", r.display()),
			Fix:  "run fluxtf in a git checkout of the repository (with its .git folder)",
		}
	}
	if partialCloneRE.MatchString(msg) || (sub == "ls-tree" && r.partialClone()) {
		return r.partialCloneError()
	}
	if msg == "" {
		msg = err.Error()
	}
	return &Error{Msg: fmt.Sprintf("git %s: %s", sub, firstLine(msg))}
}

// partialCloneRE finds git's messages of an object a partial clone
// would have fetched: lazy fetching is off, or its transport not allowed.
var partialCloneRE = regexp.MustCompile(`from promisor remote|lazy fetching disabled|transport '[^']*' not allowed`)

// partialClone reports whether the repository is a partial clone (it
// has a promisor remote). It runs only when a read failed.
func (r Repo) partialClone() bool {
	out, err := r.git("config", "--get", "extensions.partialclone")
	return err == nil && strings.TrimSpace(string(out)) != ""
}

// partialCloneError says that the baseline's files are not in this
// partial clone, and how to fetch them.
func (r Repo) partialCloneError() error {
	return &Error{
		Kind: ErrPartialClone,
		Msg:  fmt.Sprintf("%s is a partial clone (git clone --filter) without the baseline's files, and fluxtf never fetches them from the network", r.display()),
		Fix:  "fetch them first: git fetch --refetch --no-filter origin (in GitHub Actions, actions/checkout without filter:)",
	}
}

// display is Dir as an absolute path, for messages.
func (r Repo) display() string {
	if abs, err := filepath.Abs(r.Dir); err == nil {
		return abs
	}
	return r.Dir
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@%,=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// workTree returns the top of the work tree and Dir's path relative to
// it, with a trailing slash ("" at the top). It is the first git command
// of a read: its error says whether git runs at all, and trusts the
// repository.
func (r Repo) workTree() (top, prefix string, err error) {
	out, err := r.git("rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return "", "", err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		return "", "", &Error{Kind: ErrNotRepository, Msg: fmt.Sprintf("%s is not inside a git work tree", r.display()), Fix: "run fluxtf in a git checkout of the repository (with its .git folder)"}
	}
	if len(lines) > 1 {
		prefix = lines[1]
	}
	return lines[0], prefix, nil
}

// ResolveCommit returns the commit id a ref names, or an *Error saying
// why not: git cannot run (ErrNoGit, ErrDubiousOwnership,
// ErrNotRepository), HEAD has no commit in a repository without commits
// (ErrNoCommits), or the ref names no commit (ErrUnknownRef, with how to
// fetch it).
func (r Repo) ResolveCommit(ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") || strings.ContainsAny(ref, "\x00\n") {
		return "", &Error{Kind: ErrUnknownRef, Msg: fmt.Sprintf("invalid git ref %q", ref), Fix: "name a branch, tag or commit"}
	}
	out, err := r.git("rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err == nil {
		return strings.TrimSpace(string(out)), nil
	}
	var ge *Error
	if errors.As(err, &ge) && ge.Kind != nil {
		return "", err // git does not run here at all
	}
	if ref == "HEAD" && r.noCommits() {
		return "", &Error{Kind: ErrNoCommits, Msg: "the repository has no commits yet"}
	}
	return "", &Error{
		Kind: ErrUnknownRef,
		Msg:  fmt.Sprintf("git ref %q does not name a commit in %s", ref, r.display()),
		Fix:  r.fetchHint(ref),
	}
}

// HasFile reports whether the commit ref names holds a file at path (a
// path from the repository's top, forward slashes). A ref that names no
// commit is an error (ResolveCommit).
func (r Repo) HasFile(ref, p string) (bool, error) {
	commit, err := r.ResolveCommit(ref)
	if err != nil {
		return false, err
	}
	p = path.Clean(strings.TrimPrefix(filepath.ToSlash(p), "./"))
	if p == "." || strings.HasPrefix(p, "../") || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\n") {
		return false, nil
	}
	out, err := r.git("cat-file", "-t", "--end-of-options", commit+":"+p)
	if err != nil {
		var ge *Error
		if errors.As(err, &ge) && ge.Kind != nil {
			return false, err
		}
		return false, nil // no such path at the commit
	}
	return strings.TrimSpace(string(out)) == "blob", nil
}

// noCommits reports whether the repository has no commits at all: HEAD
// is unborn and no ref exists.
func (r Repo) noCommits() bool {
	if _, err := r.git("rev-parse", "--verify", "--quiet", "HEAD"); err == nil {
		return false
	}
	out, err := r.git("for-each-ref", "--count=1")
	return err == nil && len(bytes.TrimSpace(out)) == 0
}

// fetchHint says how to get a ref that names no commit: `fetch it
// first: git fetch origin main` for origin/main.
func (r Repo) fetchHint(ref string) string {
	const ci = " (in GitHub Actions, actions/checkout with fetch-depth: 0)"
	name := strings.TrimPrefix(ref, "refs/remotes/")
	if remote, branch, ok := strings.Cut(name, "/"); ok && branch != "" {
		known := remote == "origin"
		if out, err := r.git("remote"); err == nil {
			known = known || slices.Contains(strings.Fields(string(out)), remote)
		}
		if known {
			return "fetch it first: git fetch " + shellQuote(remote) + " " + shellQuote(branch) + ci
		}
	}
	if out, err := r.git("rev-parse", "--is-shallow-repository"); err == nil && strings.TrimSpace(string(out)) == "true" {
		return "the clone is shallow; fetch the history: git fetch --unshallow" + ci
	}
	return "check its name (git rev-parse " + shellQuote(ref) + "), or fetch it first: git fetch origin " + shellQuote(ref)
}

// Load returns the files under paths (relative to Dir, or absolute
// inside the work tree) as they are at ref, in memory, at the same paths
// as given (FSPath for a path above Dir), and any other file of the
// repository at that commit on demand (commitFS: a kustomization may name
// files outside the paths). Paths that do not exist at ref are simply
// absent. It also returns how many files it read up front. Its errors are
// *Error (see ResolveCommit) or name the file.
func (r Repo) Load(ref string, paths []string) (filesys.FileSystem, int, error) {
	topDir, prefix, err := r.workTree()
	if err != nil {
		return nil, 0, err
	}
	commit, err := r.ResolveCommit(ref)
	if err != nil {
		return nil, 0, err
	}
	// map each argument to its path in the repository
	repoPaths := make([]string, 0, len(paths))
	for _, p := range paths {
		rp := path.Clean(prefix + filepath.ToSlash(p))
		if filepath.IsAbs(p) {
			rel, err := filepath.Rel(topDir, p)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return nil, 0, &Error{Kind: ErrOutsideWorkTree, Msg: fmt.Sprintf("%s is outside the git work tree %s", p, topDir)}
			}
			rp = filepath.ToSlash(rel)
		}
		if strings.HasPrefix(rp, "../") || rp == ".." {
			return nil, 0, &Error{Kind: ErrOutsideWorkTree, Msg: fmt.Sprintf("%s is outside the git work tree %s", p, topDir)}
		}
		repoPaths = append(repoPaths, rp)
	}
	top := filepath.Clean(topDir)
	c := &commitFS{
		mem:    memfs.New(),
		r:      r,
		commit: commit,
		top:    top,
		dir:    atTop(top, prefix),
		tried:  map[string]bool{},
		lazy:   map[string]entry{},
		subs:   map[string]bool{},
		listed: map[string]bool{},
	}
	// Dir's absolute path may name the top otherwise (through a symbolic
	// link): FSPath's paths are in that form
	disp := r.display()
	for range strings.Count(strings.Trim(prefix, "/"), "/") + 1 {
		if prefix == "" {
			break
		}
		disp = filepath.Dir(disp)
	}
	if disp != top {
		c.dispTop = disp
	}
	n, links, submodules, err := r.fill(c.mem, commit, top, repoPaths)
	if err != nil {
		return nil, 0, err
	}
	c.links = links
	c.addSubmodules(submodules)
	c.loaded = repoPaths
	return c, n, nil
}

// entry is a blob of a commit's tree: its id, path in the repository
// and size (-1 when git does not know it: a missing object).
type entry struct {
	sha, path string
	size      int64
}

// maxLinkTarget bounds the target a symbolic link of a commit may name
// (PATH_MAX): a larger "link" blob is not read, and leads nowhere.
const maxLinkTarget = 4096

// list lists the tree of commit under repoPaths: the regular files, the
// symbolic links (mode 120000) and the submodules (gitlinks) in it. With
// report it reports the submodules (Submodule): the paths' own, listed
// up front, not those met on demand.
func (r Repo) list(commit string, repoPaths []string, recursive, report bool) (files, symlinks, submodules []entry, err error) {
	args := []string{"ls-tree", "-z", "-l", "--full-tree", commit, "--"}
	if recursive {
		args = []string{"ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--"}
	}
	out, err := r.git(append(args, repoPaths...)...)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		f := strings.Fields(string(meta)) // mode type sha size
		if len(f) != 4 {
			continue
		}
		if f[1] == "commit" {
			if report && r.Submodule != nil {
				r.Submodule(string(p))
			}
			submodules = append(submodules, entry{sha: f[2], path: string(p), size: -1})
		}
		if f[1] != "blob" {
			continue // submodules are not read; trees are listed by their files
		}
		// the size is "-" or garbage when the object is missing: cat-file
		// names the file
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			size = -1
		}
		e := entry{sha: f[2], path: string(p), size: size}
		if f[0] == "120000" {
			symlinks = append(symlinks, e)
			continue
		}
		files = append(files, e)
	}
	return files, symlinks, submodules, nil
}

// fill copies the regular files under repoPaths (paths in the
// repository) at commit into mem, each at its path below top, and returns
// how many it read and the targets of the symbolic links under them. It
// reports submodules (Submodule) instead of reading them, does not read
// symbolic links as files, and asks Fits first.
func (r Repo) fill(mem *memfs.FS, commit, top string, repoPaths []string) (int, map[string]string, []entry, error) {
	blobs, symlinks, submodules, err := r.list(commit, repoPaths, true, true)
	if err != nil {
		return 0, nil, nil, err
	}
	var total int64
	for _, b := range blobs {
		total += max(b.size, 0)
	}
	if r.Fits != nil {
		if err := r.Fits(total); err != nil {
			return 0, nil, nil, err
		}
	}
	targets, err := r.linkTargets(symlinks)
	if err != nil {
		return 0, nil, nil, err
	}
	err = r.readBlobs(blobs, func(b entry, data []byte) error {
		if err := mem.Fill(atTop(top, b.path), data); err != nil {
			return fmt.Errorf("baseline %s: %w", b.path, err)
		}
		return nil
	})
	if err != nil {
		return 0, nil, nil, err
	}
	return len(blobs), targets, submodules, nil
}

// linkTargets reads the targets of symbolic links, by repository path;
// a link whose blob is larger than a path can be has the target "".
func (r Repo) linkTargets(symlinks []entry) (map[string]string, error) {
	targets := map[string]string{}
	var small []entry
	for _, l := range symlinks {
		targets[l.path] = ""
		if l.size >= 0 && l.size <= maxLinkTarget {
			small = append(small, l)
		}
	}
	err := r.readBlobs(small, func(b entry, data []byte) error {
		if !bytes.ContainsAny(data, "\x00") {
			targets[b.path] = string(data)
		}
		return nil
	})
	return targets, err
}

// readBlobs reads blobs with one git cat-file and calls fn with each.
func (r Repo) readBlobs(blobs []entry, fn func(b entry, data []byte) error) error {
	if len(blobs) == 0 {
		return nil
	}
	cmd := r.command("cat-file", "--batch")
	var in, stderr bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.sha + "\n")
	}
	cmd.Stdin = &in
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return r.gitError("cat-file", err, "")
	}
	// stop git on an early return: it would block writing the rest of
	// its output, and Wait with it
	abort := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	br := bufio.NewReader(stdout)
	for _, b := range blobs {
		header, err := br.ReadString('\n')
		if err != nil {
			abort()
			return fmt.Errorf("git cat-file: %w", err)
		}
		f := strings.Fields(header) // sha type size
		if len(f) != 3 {
			abort()
			if r.partialClone() {
				return r.partialCloneError()
			}
			return fmt.Errorf("git cat-file: %s: %s (a partial or shallow clone? fetch the ref in full)", b.path, strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(f[2])
		if err != nil || (b.size >= 0 && int64(size) != b.size) {
			abort()
			return fmt.Errorf("git cat-file: unexpected %q", strings.TrimSpace(header))
		}
		data := make([]byte, size+1) // content and a newline
		if _, err := io.ReadFull(br, data); err != nil {
			abort()
			return fmt.Errorf("git cat-file: %w", err)
		}
		if err := fn(b, data[:size]); err != nil {
			abort()
			return err
		}
	}
	if err := cmd.Wait(); err != nil {
		return r.gitError("cat-file", err, stderr.String())
	}
	return nil
}

// FSPath is the name to read the files of the path argument p by, in the
// file system Load returns: p, or, for a relative path that climbs out of
// Dir (../clusters), its absolute path, so that the documents read there
// name their files the way they always did.
func (r Repo) FSPath(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	c := filepath.Clean(p)
	if c == ".." || strings.HasPrefix(c, ".."+string(filepath.Separator)) {
		return filepath.Join(r.display(), c)
	}
	return p
}

// under returns p's path below the repository path dir ("" for dir
// itself), and whether p is dir or below it.
func under(p, dir string) (string, bool) {
	switch {
	case dir == ".":
		return p, true
	case p == dir:
		return "", true
	case strings.HasPrefix(p, dir+"/"):
		return p[len(dir)+1:], true
	}
	return "", false
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
//
// It takes the steps of normalize_url in policies/lib/lib.rego, with the
// same regular expressions (OPA's regex.replace is Go's regexp), so the
// repository URL a policy compares and the one read from git agree;
// policies TestNormalizeURLMatchesRego and FuzzNormalizeURLMatchesRego
// hold the two together.
func NormalizeURL(u string) string {
	s := strings.ToLower(strings.TrimSpace(u))
	s = urlScheme.ReplaceAllString(s, "")
	s = urlUser.ReplaceAllString(s, "")
	s = urlPort.ReplaceAllString(s, "${1}${2}")
	s = urlSCP.ReplaceAllString(s, "${1}/")
	s = strings.TrimSuffix(strings.TrimRight(s, "/"), ".git")
	return strings.TrimRight(s, "/")
}

var (
	urlScheme = regexp.MustCompile(`^[a-z][a-z0-9+.-]*://`)
	urlUser   = regexp.MustCompile(`^[^@/]*@`)
	urlPort   = regexp.MustCompile(`^([^/:]+):[0-9]+(/|$)`)
	urlSCP    = regexp.MustCompile(`^([^/:]+):`)
)
