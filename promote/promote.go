package promote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/finding"
	"github.com/digx/fluxtf/internal/lineedit"
	"github.com/digx/fluxtf/internal/textdiff"
	"github.com/digx/fluxtf/templates"
)

// Options say what to promote where.
type Options struct {
	// SpecsDir holds the environment specs; OutDir is the output root.
	SpecsDir, OutDir string
	// From and To are tiers (dev, uat, prod): every To environment takes
	// the release of the From environment of its stack.
	From, To generator.Tier
	// Components limits the promotion to these components' versions (the
	// module tag, Kubernetes and the OS are then left alone).
	Components []string
	// DryRun writes nothing: the edits are checked and shown only.
	DryRun bool
	// StackRepo is a local clone of the module stack, needed to promote
	// from a tier on a branch (dev's alpha): the newest release tag that
	// contains the branch's commit is proposed.
	StackRepo string
	// Templates is the template data; nil means the embedded set.
	Templates *templates.Set
	// Check, when set, runs the policies on every environment of a specs
	// folder (the edited copy) against the baseline and returns the
	// report; a deny finding refuses the promotion.
	Check func(ctx context.Context, specsDir string) (*finding.Report, error)
}

// Edit is one spec file's change.
type Edit struct {
	// Env is the environment and File its spec file.
	Env, File string
	// Before and After are the file's contents.
	Before, After []byte
	// Lines say what changed, in words ("module tag v4.2.0 -> v4.3.0").
	Lines []string
}

// Result says what Promote did.
type Result struct {
	// Edits are the changed specs (none when the target already runs the
	// source's release).
	Edits []Edit
	// Notes are for a person: what was left alone, and why.
	Notes []string
	// Denied are the policies' deny findings on the promoted specs; the
	// promotion was refused and nothing written.
	Denied []finding.Finding
	// Checked is what the policies read of the promoted specs' output
	// (objects and files, for the summary line; nil without Options.Check
	// or an edit).
	Checked *Checked
	// Render is the rendering of the promoted environments (nil with
	// DryRun, a refusal or no edit).
	Render *generator.Result
}

// Diff is the unified diff of every edited spec.
func (r *Result) Diff() string {
	var b strings.Builder
	for _, e := range r.Edits {
		b.WriteString(textdiff.Unified("a/"+filepath.ToSlash(e.File), "b/"+filepath.ToSlash(e.File), string(e.Before), string(e.After)))
	}
	return b.String()
}

// InputError is a mistake in the options or a spec; nothing was written.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// RefusedError is a promotion that cannot be made as asked (the reason
// says why and what to do); nothing was written.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

func inputErr(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// Promote edits the specs of the To tier to take the From tier's release,
// checks the result, writes it and renders the edited environments.
func Promote(ctx context.Context, opts Options) (*Result, error) {
	if !opts.From.Valid() {
		return nil, inputErr("--from %q is not a tier: use dev, uat or prod", opts.From)
	}
	if !opts.To.Valid() {
		return nil, inputErr("--to %q is not a tier: use dev, uat or prod", opts.To)
	}
	if next[opts.From] != opts.To {
		return nil, inputErr("--from %s --to %s: a release moves dev -> uat -> prod one tier at a time; promote --from %s --to %s", opts.From, opts.To, prev[opts.To], opts.To)
	}
	lo := generator.LoadOptions{SpecsDir: opts.SpecsDir, Templates: opts.Templates}
	names, err := generator.ListEnvironments(opts.SpecsDir)
	if err != nil {
		return nil, &InputError{Err: err}
	}
	sources := map[string][]*generator.Loaded{}
	var targets []*generator.Loaded
	for _, n := range names {
		l, err := generator.Load(lo, n)
		if err != nil {
			return nil, &InputError{Err: err}
		}
		switch l.Env.Tier {
		case opts.From:
			sources[l.Stack.Name] = append(sources[l.Stack.Name], l)
		case opts.To:
			targets = append(targets, l)
		}
	}
	if len(targets) == 0 {
		return nil, inputErr("%s: no environment of tier %s to promote to (tier: %s, or a file named %s.yaml)", opts.SpecsDir, opts.To, opts.To, opts.To)
	}
	res := &Result{}
	for _, t := range targets {
		srcs := sources[t.Stack.Name]
		switch len(srcs) {
		case 0:
			res.Notes = append(res.Notes, fmt.Sprintf("%s: no %s environment of stack %s: left as it is", t.Env.Name, opts.From, t.Stack.Name))
			continue
		case 1:
		default:
			var ns []string
			for _, s := range srcs {
				ns = append(ns, s.File)
			}
			return nil, inputErr("%s: tier %s has %d environments of stack %s (%s): promotion needs one", t.File, opts.From, len(srcs), t.Stack.Name, strings.Join(ns, ", "))
		}
		e, notes, err := plan(srcs[0], t, opts)
		if err != nil {
			return nil, err
		}
		res.Notes = append(res.Notes, notes...)
		if e != nil {
			res.Edits = append(res.Edits, *e)
		}
	}
	if len(res.Edits) == 0 {
		return res, nil
	}
	if opts.Check != nil {
		denied, checked, err := checkEdits(ctx, opts, res.Edits)
		if err != nil {
			return nil, err
		}
		res.Checked = checked
		if len(denied) > 0 {
			res.Denied = denied
			return res, nil
		}
	}
	if opts.DryRun {
		return res, nil
	}
	// every spec is checked before the first is written: a spec that is a
	// symlink would be replaced by a copy, its file left as it was
	modes := make([]os.FileMode, len(res.Edits))
	for i, e := range res.Edits {
		info, err := os.Lstat(e.File)
		switch {
		case err != nil:
			return nil, &InputError{Err: err}
		case !info.Mode().IsRegular():
			return nil, inputErr("%s is not a regular file (a symlink?); fluxtf promote edits only real files: replace the link by its file, nothing was written", e.File)
		}
		modes[i] = info.Mode().Perm()
	}
	var envs []string
	for i, e := range res.Edits {
		if err := generator.ReplaceFile(e.File, e.After, modes[i]); err != nil {
			if i > 0 {
				var done []string
				for _, d := range res.Edits[:i] {
					done = append(done, d.File)
				}
				return nil, fmt.Errorf("%w; %s already promoted: run fluxtf promote again once it can be written", err, strings.Join(done, ", "))
			}
			return nil, err
		}
		envs = append(envs, e.Env)
	}
	res.Render, err = generator.Render(generator.Options{LoadOptions: lo, OutDir: opts.OutDir, Envs: envs})
	if err != nil {
		return res, fmt.Errorf("the promotion is in the specs, but rendering failed: %w", err)
	}
	return res, nil
}

var (
	next = map[generator.Tier]generator.Tier{generator.TierDev: generator.TierUAT, generator.TierUAT: generator.TierProd}
	prev = map[generator.Tier]generator.Tier{generator.TierUAT: generator.TierDev, generator.TierProd: generator.TierUAT}
)

// plan computes the edit of target t's spec that takes source s's
// release, or nil when t already runs it.
func plan(s, t *generator.Loaded, opts Options) (*Edit, []string, error) {
	data, err := os.ReadFile(t.File)
	if err != nil {
		return nil, nil, &InputError{Err: err}
	}
	e := &Edit{Env: t.Env.Name, File: t.File, Before: data, After: data}
	var notes []string
	set := func(path []string, value, line string) error {
		out, err := setPath(e.After, path, value)
		if err != nil {
			return inputErr("%s:%w", t.File, err)
		}
		e.After = out
		e.Lines = append(e.Lines, line)
		return nil
	}
	only := map[string]bool{}
	for _, c := range opts.Components {
		if s.Stack.Component(c) == nil {
			return nil, nil, inputErr("--component %s: not a component of stack %s (`fluxtf components --stack %s` lists them)", c, s.Stack.Name, s.Stack.Name)
		}
		only[c] = true
	}
	whole := len(only) == 0
	if whole {
		tag, err := sourceTag(s, opts.StackRepo)
		if err != nil {
			return nil, nil, err
		}
		if tag != "" && tag != t.Env.Source.Tag {
			if t.Env.Source.Branch != "" {
				return nil, nil, inputErr("%s: environment %s follows branch %s; a promotion sets a tag: replace source.branch with source.tag by hand", t.File, t.Env.Name, t.Env.Source.Branch)
			}
			if err := set([]string{"source", "tag"}, tag, fmt.Sprintf("module tag %s -> %s", t.Env.Source.Tag, tag)); err != nil {
				return nil, nil, err
			}
			mk := markers{prefix: []string{"source"}, what: "the module", old: t.Env.Source.Tag, new: tag,
				srcRollback: s.Env.Source.Rollback, dstRollback: t.Env.Source.Rollback,
				srcGuide: s.Env.Source.MigrationGuide, dstGuide: t.Env.Source.MigrationGuide,
				env: t.Env.Name, from: s.Env.Name}
			ns, err := mk.carry(e, t.File)
			if err != nil {
				return nil, nil, err
			}
			notes = append(notes, ns...)
		}
		sk, tk := s.Env.Cluster.KubernetesVersion, t.Env.Cluster.KubernetesVersion
		if sm, ok := minor(sk); ok && sk != tk {
			tm, ok := minor(tk)
			switch {
			case !ok:
				notes = append(notes, fmt.Sprintf("%s: Kubernetes %q is not a 1.MINOR version: left as it is", t.Env.Name, tk))
			case sm < tm:
				notes = append(notes, fmt.Sprintf("%s: runs Kubernetes %s, newer than %s's %s: left as it is", t.Env.Name, tk, s.Env.Name, sk))
			default:
				step := fmt.Sprintf("1.%d", tm+1)
				if sm > tm+1 {
					notes = append(notes, fmt.Sprintf("%s: Kubernetes moves one minor at a time: %s -> %s now (%s runs %s); promote again once it is applied", t.Env.Name, tk, step, s.Env.Name, sk))
				}
				if err := set([]string{"cluster", "kubernetesVersion"}, step, fmt.Sprintf("Kubernetes %s -> %s", tk, step)); err != nil {
					return nil, nil, err
				}
			}
		}
		if so, to := s.Env.Cluster.OS, t.Env.Cluster.OS; so != "" && so != to {
			if so == generator.OSCustom {
				notes = append(notes, fmt.Sprintf("%s: %s runs a custom image (cluster.os CUSTOM): images belong to accounts and regions, set cluster.customImage and cluster.os by hand", t.Env.Name, s.Env.Name))
			} else if err := set([]string{"cluster", "os"}, string(so), fmt.Sprintf("node OS %s -> %s", to, so)); err != nil {
				return nil, nil, err
			}
		}
	}
	for _, c := range sortedComponents(s) {
		if !whole && !only[c] {
			continue
		}
		m := s.Stack.Component(c)
		if m == nil {
			continue
		}
		sv := version(s, c)
		tc, on := t.Env.Components[c]
		switch {
		case !on || !tc.On():
			if _, listed := t.Env.Components[c]; listed {
				notes = append(notes, fmt.Sprintf("%s: component %s is switched off (enabled: false): left off", t.Env.Name, c))
				continue
			}
			v := ""
			if sv != m.DefaultVersion {
				v = sv
			}
			if err := addComponent(e, c, v, t.File); err != nil {
				return nil, nil, err
			}
			e.Lines = append(e.Lines, fmt.Sprintf("%s %s added", c, sv))
		case m.VersionVar != "" && version(t, c) != sv:
			tv := version(t, c)
			if err := set([]string{"components", c, "version"}, sv, fmt.Sprintf("%s %s -> %s", c, tv, sv)); err != nil {
				return nil, nil, err
			}
			sc := s.Env.Components[c]
			mk := markers{prefix: []string{"components", c}, what: c, old: tv, new: sv,
				srcRollback: sc.Rollback, dstRollback: tc.Rollback,
				srcMigration: sc.Migration, dstMigration: tc.Migration,
				env: t.Env.Name, from: s.Env.Name}
			ns, err := mk.carry(e, t.File)
			if err != nil {
				return nil, nil, err
			}
			notes = append(notes, ns...)
		}
	}
	for _, c := range sortedComponents(t) {
		if _, ok := s.Env.Components[c]; !ok && (whole || only[c]) {
			notes = append(notes, fmt.Sprintf("%s: runs %s, which %s does not: left in place (remove it by hand if it is meant to go)", t.Env.Name, c, s.Env.Name))
		}
	}
	e.After = lineedit.KeepEOL(e.Before, e.After) // a CRLF spec stays CRLF
	if bytes.Equal(e.Before, e.After) {
		return nil, notes, nil
	}
	return e, notes, nil
}

// addComponent enables component c in the spec, with version v (none:
// the catalogue's default).
func addComponent(e *Edit, c, v, file string) error {
	var out []byte
	var err error
	if v != "" {
		out, err = setPath(e.After, []string{"components", c, "version"}, v)
	} else {
		out, err = addEmpty(e.After, c)
	}
	if err != nil {
		return inputErr("%s:%w", file, err)
	}
	e.After = out
	return nil
}

// addEmpty adds `c: {}` under components.
func addEmpty(data []byte, c string) ([]byte, error) {
	// a version entry is added, then the version dropped: one path for
	// both shapes of the components mapping
	const mark = "__fluxtf_promote__"
	out, err := setPath(data, []string{"components", c, mark}, "x")
	if err != nil {
		return nil, err
	}
	s := string(out)
	s = strings.Replace(s, "{"+mark+": x}", "{}", 1)
	if i := strings.Index(s, mark+": x"); i >= 0 {
		// block form: "c:\n  mark: x\n" -> "c: {}\n"
		start := strings.LastIndex(s[:i], "\n")
		prevEnd := strings.LastIndex(s[:start], "\n")
		keyLine := s[prevEnd+1 : start]
		s = s[:prevEnd+1] + keyLine + " {}" + s[i+len(mark+": x"):]
	}
	return []byte(s), nil
}

// version is environment l's version of component c: its spec's, else the
// catalogue's default.
func version(l *generator.Loaded, c string) string {
	if v := l.Env.Components[c].Version; v != "" {
		return v
	}
	if m := l.Stack.Component(c); m != nil {
		return m.DefaultVersion
	}
	return ""
}

// sortedComponents are the enabled components of l, by name.
func sortedComponents(l *generator.Loaded) []string {
	var out []string
	for c, comp := range l.Env.Components {
		if comp.On() {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

var minorRe = regexp.MustCompile(`^1\.(\d+)$`)

func minor(v string) (int, bool) {
	m := minorRe.FindStringSubmatch(v)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// sourceTag is the tag the source environment's release is on: its tag,
// or for a branch the newest release tag of the stack repository that
// contains the branch's commit.
func sourceTag(s *generator.Loaded, stackRepo string) (string, error) {
	if s.Env.Source.Tag != "" {
		return s.Env.Source.Tag, nil
	}
	br := s.Env.Source.Branch
	if br == "" {
		return "", nil
	}
	if stackRepo == "" {
		return "", inputErr("%s: %s follows branch %s, not a tag: pass --stack-repo PATH (a local clone of %s) so that the newest tag containing %s's commit can be proposed", s.File, s.Env.Name, br, s.Env.Source.URL, br)
	}
	return NewestTagContaining(stackRepo, br)
}

// tagForm is a release tag: vMAJOR.MINOR.PATCH with an optional
// pre-release, the form the policies accept.
var tagForm = regexp.MustCompile(`^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$`)

// NewestTagContaining returns the newest release tag (Semantic Versioning
// 2.0 precedence) of the git repository repo whose commit contains the
// commit of branch (the local branch, else origin's).
func NewestTagContaining(repo, branch string) (string, error) {
	if st, err := os.Stat(repo); err != nil || !st.IsDir() {
		return "", inputErr("--stack-repo %s: not a folder", repo)
	}
	var rev string
	for _, ref := range []string{"refs/heads/" + branch, "refs/remotes/origin/" + branch} {
		out, err := git(repo, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
		if err == nil && out != "" {
			rev = out
			break
		}
	}
	if rev == "" {
		return "", inputErr("--stack-repo %s: no branch %s (nor origin/%s) in that repository; fetch it first", repo, branch, branch)
	}
	out, err := git(repo, "tag", "--contains", rev)
	if err != nil {
		return "", inputErr("--stack-repo %s: git tag --contains %s: %w", repo, rev, err)
	}
	var best string
	for _, t := range strings.Fields(out) {
		if !tagForm.MatchString(t) {
			continue
		}
		if best == "" || compareTags(t, best) > 0 {
			best = t
		}
	}
	if best == "" {
		short := rev
		if len(short) > 12 {
			short = short[:12]
		}
		return "", &RefusedError{Reason: fmt.Sprintf("no release tag (vMAJOR.MINOR.PATCH) of %s contains %s's commit %s yet: tag a release from it first", repo, branch, short)}
	}
	return best, nil
}

func git(repo string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", repo}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errb.String()); msg != "" {
			return "", errors.New(msg)
		}
		return "", err
	}
	return strings.TrimSpace(out.String()), nil
}

// compareTags compares two release tags by Semantic Versioning 2.0
// precedence (semver.org item 11): -1, 0 or 1.
func compareTags(a, b string) int {
	ma, mb := tagForm.FindStringSubmatch(a), tagForm.FindStringSubmatch(b)
	for i := 1; i <= 3; i++ {
		if c := compareNum(ma[i], mb[i]); c != 0 {
			return c
		}
	}
	pa, pb := ma[4], mb[4]
	switch {
	case pa == pb:
		return 0
	case pa == "":
		return 1
	case pb == "":
		return -1
	}
	xa, xb := strings.Split(pa, "."), strings.Split(pb, ".")
	for i := 0; i < len(xa) && i < len(xb); i++ {
		na, ea := strconv.Atoi(xa[i])
		nb, eb := strconv.Atoi(xb[i])
		switch {
		case ea == nil && eb == nil:
			if na != nb {
				return cmpInt(na, nb)
			}
		case ea == nil:
			return -1
		case eb == nil:
			return 1
		case xa[i] != xb[i]:
			return strings.Compare(xa[i], xb[i])
		}
	}
	return cmpInt(len(xa), len(xb))
}

func compareNum(a, b string) int {
	if len(a) != len(b) {
		return cmpInt(len(a), len(b))
	}
	return strings.Compare(a, b)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// checkEdits runs opts.Check on a copy of the specs folder holding the
// edited specs, and returns the deny findings other than render-drift (the
// output is rendered after the check), with the copy's paths put back.
func checkEdits(ctx context.Context, opts Options, edits []Edit) ([]finding.Finding, *Checked, error) {
	tmp, err := os.MkdirTemp("", "fluxtf-promote-")
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // a temporary copy: nothing to report if it stays
	entries, err := os.ReadDir(opts.SpecsDir)
	if err != nil {
		return nil, nil, &InputError{Err: err}
	}
	for _, de := range entries {
		// a spec or defaults.yaml may be a symlink to a file inside the
		// specs folder (one leading out is refused by the loader): the copy
		// holds what the link leads to
		if !de.Type().IsRegular() {
			if de.Type()&fs.ModeSymlink == 0 {
				continue
			}
			if st, err := os.Stat(filepath.Join(opts.SpecsDir, de.Name())); err != nil || !st.Mode().IsRegular() {
				continue
			}
		}
		data, err := os.ReadFile(filepath.Join(opts.SpecsDir, de.Name()))
		if err != nil {
			return nil, nil, &InputError{Err: err}
		}
		if err := os.WriteFile(filepath.Join(tmp, de.Name()), data, 0o600); err != nil {
			return nil, nil, err
		}
	}
	for _, e := range edits {
		if err := os.WriteFile(filepath.Join(tmp, filepath.Base(e.File)), e.After, 0o600); err != nil {
			return nil, nil, err
		}
	}
	rep, err := opts.Check(ctx, tmp)
	if err != nil {
		// the copy's paths put back: the user's files are the ones to fix
		msg := strings.ReplaceAll(err.Error(), tmp+string(filepath.Separator), filepath.Clean(opts.SpecsDir)+string(filepath.Separator))
		return nil, nil, &copyError{msg: "checking the promoted specs: " + msg, err: err}
	}
	var denied []finding.Finding
	for _, f := range rep.Findings {
		if f.Severity != finding.Deny || f.Waived() || f.Rule == finding.RenderDrift {
			continue
		}
		if rel, err := filepath.Rel(tmp, f.File); err == nil && !strings.HasPrefix(rel, "..") {
			f.File = filepath.Join(opts.SpecsDir, rel)
		}
		f.Message = strings.ReplaceAll(f.Message, tmp+string(filepath.Separator), filepath.Clean(opts.SpecsDir)+string(filepath.Separator))
		denied = append(denied, f)
	}
	return denied, &Checked{Objects: rep.Objects, Files: rep.Files}, nil
}

// copyError is an error of the check on the copy of the specs folder,
// its text naming the user's files.
type copyError struct {
	msg string
	err error
}

func (e *copyError) Error() string { return e.msg }
func (e *copyError) Unwrap() error { return e.err }

// Checked counts what the policies read of the promoted specs' output.
type Checked struct {
	// Objects and Files are the report's counts.
	Objects, Files int
}
