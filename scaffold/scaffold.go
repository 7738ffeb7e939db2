package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/digx/fluxtf/generator"
	"github.com/digx/fluxtf/internal/safetext"
	"github.com/digx/fluxtf/templates"
)

// Folders of the scaffold, the defaults of fluxtf's --specs and --out.
const (
	SpecsDir = "environments"
	OutDir   = "clusters"
)

// Defaults of the options.
const (
	DefaultSourceURL = "ssh://git@github.com/digx/infrastructure.git"
	DefaultTag       = "v4.2.0"
	// DevRev is the revision of development builds: the main branch.
	DevRev = "main"
)

// Options say where to scaffold and with what.
type Options struct {
	// Dir is the repository root; it is created when missing.
	Dir string
	// SourceURL is the git URL of the module stack (default DefaultSourceURL).
	SourceURL string
	// Tag is the module stack release of uat and prod (default DefaultTag).
	Tag string
	// Rev is the fluxtf revision the pre-commit hook, the workflow and the
	// Makefile use (default DevRev).
	Rev string
	// Force overwrites existing files.
	Force bool
	// Stack is the module stack of the scaffold's environments (default
	// generator.DefaultStack); another stack's specs come from
	// templates/scaffolds/<stack>/.
	Stack string
	// Templates is the template data; nil means the embedded set.
	Templates *templates.Set
}

// Result lists what Init wrote, by slash-separated path relative to Dir,
// sorted.
type Result struct {
	Created     []string
	Overwritten []string
}

// ExistsError is returned when files Init would write already exist and
// Options.Force is not set. Nothing is written then.
type ExistsError struct {
	Dir   string
	Files []string // slash-separated, relative to Dir, sorted
}

func (e *ExistsError) Error() string {
	var b strings.Builder
	// one line per path, whatever the paths hold
	fmt.Fprintf(&b, "%s already has %d of the files fluxtf init writes; move them away or pass --force to overwrite them:", safetext.Line(e.Dir), len(e.Files))
	for _, f := range e.Files {
		b.WriteString("\n  " + safetext.Line(filepath.Join(e.Dir, filepath.FromSlash(f))))
	}
	return b.String()
}

var (
	// the generator's own patterns, stricter for the URL: it goes into
	// YAML unquoted, so no spaces, quotes or comment characters
	urlRE    = regexp.MustCompile(`^(https?|ssh)://[A-Za-z0-9._~:/?@!$&()*+,;=%-]+$`)
	semverRE = regexp.MustCompile(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	// a release tag such as v1.2.0: what `go install …@REV`, a pre-commit
	// rev and `uses: digx/fluxtf@REV` all accept
	releaseRE = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	revRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)
)

// commitRE is a full git commit id, what a pre-commit rev, `go install
// …@REV` and a GitHub Actions `uses: …@REV` all accept as a pin.
var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Rev is the revision scaffolds should pin for a fluxtf build: the release
// itself (v1.2.0), else the full commit it was built from (a build in a
// clone; revision from the build information), else DevRev, the main
// branch, which pre-commit warns is mutable: Init's caller says so and
// asks for --rev.
func Rev(version, revision string) string {
	switch {
	case releaseRE.MatchString(version):
		return version
	case commitRE.MatchString(revision):
		return revision
	case commitRE.MatchString(version): // a build stamped with its commit
		return version
	}
	return DevRev
}

func (o *Options) defaults() error {
	if o.Dir == "" {
		o.Dir = "."
	}
	if o.SourceURL == "" {
		o.SourceURL = DefaultSourceURL
	}
	if o.Tag == "" {
		o.Tag = DefaultTag
	}
	if o.Rev == "" {
		o.Rev = DevRev
	}
	if o.Templates == nil {
		o.Templates = templates.Embedded()
	}
	switch {
	case !urlRE.MatchString(o.SourceURL):
		return fmt.Errorf("--source-url %q is not a git URL such as %s (ssh://, https:// or http://, no spaces or quotes)", o.SourceURL, DefaultSourceURL)
	case !semverRE.MatchString(o.Tag):
		return fmt.Errorf("--tag %q is not a semver release tag such as %s", o.Tag, DefaultTag)
	case !revRE.MatchString(o.Rev) || strings.Contains(o.Rev, ".."):
		return fmt.Errorf("--rev %q is not a git tag, branch or commit", o.Rev)
	}
	return nil
}

// Files returns the scaffold with its placeholders replaced, the rendered
// output included (under OutDir), sorted by path. Nothing is written.
func Files(opts Options) ([]templates.File, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	files, err := opts.Templates.StackInitFiles(opts.Stack, generator.DefaultStack)
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer(
		"__SOURCE_URL__", opts.SourceURL,
		"__TAG__", opts.Tag,
		"__FLUXTF_REV__", opts.Rev,
	)
	for i := range files {
		if err := checkPath(files[i].Path); err != nil {
			return nil, err
		}
		files[i].Data = []byte(r.Replace(string(files[i].Data)))
	}
	rendered, err := render(files, opts.Templates)
	if err != nil {
		return nil, err
	}
	files = append(files, rendered...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// checkPath refuses template paths that would leave the repository or
// clash with the rendered output.
func checkPath(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("templates: init/%s is not a valid file path", p)
	}
	if p == OutDir || strings.HasPrefix(p, OutDir+"/") {
		return fmt.Errorf("templates: init/%s: %s/ is rendered from the specs, not copied", p, OutDir)
	}
	return nil
}

// render renders the scaffold's specs with the generator, from a temporary
// copy of the specs folder: the output does not depend on where the specs
// are, and nothing is written to the repository before every file is known.
func render(files []templates.File, tset *templates.Set) ([]templates.File, error) {
	tmp, err := os.MkdirTemp("", "fluxtf-init-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	specs := filepath.Join(tmp, SpecsDir)
	if err := os.Mkdir(specs, 0o755); err != nil {
		return nil, err
	}
	var sources []string // temporary copy, template: for messages
	for _, f := range files {
		if path.Dir(f.Path) != SpecsDir {
			continue
		}
		p := filepath.Join(specs, path.Base(f.Path))
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return nil, err
		}
		sources = append(sources, p+":", f.Source+":")
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("templates: init/%s/ holds no environment specs", SpecsDir)
	}
	outs, err := generator.Build(generator.Options{
		LoadOptions: generator.LoadOptions{SpecsDir: specs, Templates: tset},
		All:         true,
	})
	if err != nil {
		// name the templates, not their temporary copies
		msg := strings.NewReplacer(sources...).Replace(err.Error())
		return nil, fmt.Errorf("the scaffold's specs do not render:\n%s", msg)
	}
	var rendered []templates.File
	for _, o := range outs {
		for _, f := range o.Files {
			rendered = append(rendered, templates.File{Path: OutDir + "/" + f.Path, Data: f.Data})
		}
	}
	return rendered, nil
}

// Init writes the scaffold into opts.Dir. Existing files are an
// *ExistsError listing all of them unless opts.Force; then nothing is
// written. The rendered output is written as `fluxtf render` writes it.
// Init never writes through a symlink below opts.Dir (a linked
// environments/ or clusters/ folder is refused before anything is
// written), and a failure removes every file and folder it created.
func Init(opts Options) (*Result, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	files, err := Files(opts)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var existing []string
	for _, f := range files {
		if err := checkFolders(opts.Dir, f.Path); err != nil {
			return nil, err
		}
		st, err := os.Lstat(filepath.Join(opts.Dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			res.Created = append(res.Created, f.Path)
		case err != nil:
			return nil, err
		case st.IsDir():
			return nil, fmt.Errorf("%s is a folder; fluxtf init writes a file there", filepath.Join(opts.Dir, filepath.FromSlash(f.Path)))
		default:
			existing = append(existing, f.Path)
		}
	}
	if len(existing) > 0 && !opts.Force {
		return nil, &ExistsError{Dir: opts.Dir, Files: existing}
	}
	res.Overwritten = existing

	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", opts.Dir, err)
	}
	root, err := os.OpenRoot(opts.Dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = root.Close() }()
	var written, made []string // created here, removed again on failure
	fail := func(err error) (*Result, error) {
		for i := len(written) - 1; i >= 0; i-- {
			_ = root.Remove(written[i])
		}
		for i := len(made) - 1; i >= 0; i-- {
			_ = root.Remove(made[i]) // fails unless empty
		}
		return nil, err
	}
	// the rendered output, one Output per environment as the generator
	// made them, is written the way fluxtf render writes it
	var outs []*generator.Output
	byEnv := map[string]*generator.Output{}
	for _, f := range files {
		if rel, ok := strings.CutPrefix(f.Path, OutDir+"/"); ok {
			env, _, _ := strings.Cut(rel, "/")
			if byEnv[env] == nil {
				byEnv[env] = &generator.Output{}
				outs = append(outs, byEnv[env])
			}
			byEnv[env].Files = append(byEnv[env].Files, generator.File{Path: rel, Data: f.Data})
		}
	}
	// what the render would refuse (a file without the header, a symlink)
	// is refused before anything is written: with --force the files
	// below would already have been overwritten, which a failure cannot undo
	if _, err := generator.Sync(filepath.Join(opts.Dir, OutDir), outs, false, false); err != nil {
		return fail(err)
	}
	for _, f := range files {
		if strings.HasPrefix(f.Path, OutDir+"/") {
			continue
		}
		p := filepath.FromSlash(f.Path)
		dirs, err := mkdirs(root, path.Dir(f.Path))
		made = append(made, dirs...)
		if err != nil {
			return fail(fmt.Errorf("cannot create %s: %w", filepath.Join(opts.Dir, filepath.Dir(p)), err))
		}
		if err := writeFile(root, p, f.Data); err != nil {
			return fail(fmt.Errorf("cannot write %s: %w", filepath.Join(opts.Dir, p), err))
		}
		if !slices.Contains(existing, f.Path) {
			written = append(written, p)
		}
	}
	if _, err := os.Lstat(filepath.Join(opts.Dir, OutDir)); errors.Is(err, fs.ErrNotExist) {
		made = append(made, OutDir)
	}
	if _, err := generator.Sync(filepath.Join(opts.Dir, OutDir), outs, false, true); err != nil {
		return fail(err)
	}
	return res, nil
}

// checkFolders refuses a symlink, or a file, in place of any folder on the
// way from dir (the user's choice, which may itself be a link) to rel.
func checkFolders(dir, rel string) error {
	d := dir
	parts := strings.Split(rel, "/")
	for _, part := range parts[:len(parts)-1] {
		d = filepath.Join(d, part)
		st, err := os.Lstat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return err
		case st.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symlink; fluxtf init never writes through links: remove it, or run fluxtf init in a folder without it", d)
		case !st.IsDir():
			return fmt.Errorf("%s is a file where fluxtf init needs a folder; move it away", d)
		}
	}
	return nil
}

// mkdirs creates dir and its missing parents inside root and returns the
// ones it created, parents first.
func mkdirs(root *os.Root, dir string) ([]string, error) {
	var made []string
	if dir == "." {
		return nil, nil
	}
	d := ""
	for _, part := range strings.Split(dir, "/") {
		d = filepath.Join(d, part)
		err := root.Mkdir(d, 0o755)
		switch {
		case err == nil:
			made = append(made, d)
		case !errors.Is(err, fs.ErrExist):
			return made, err
		}
	}
	return made, nil
}

// writeFile writes data to p inside root through a temporary file in the
// same folder, so a failure never leaves half a file.
func writeFile(root *os.Root, p string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".fluxtf-init-"+strconv.Itoa(os.Getpid()))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { _ = root.Remove(tmp) }()
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return root.Rename(tmp, p)
}
