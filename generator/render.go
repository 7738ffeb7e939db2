package generator

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	kustypes "sigs.k8s.io/kustomize/api/types"

	"github.com/digx/fluxtf/internal/yamlx"
)

// KustomizationFile is the name of the file listing an environment's
// resources.
const KustomizationFile = "kustomization.yaml"

// File is one rendered file. Path is slash-separated and relative to the
// output root, starting with the environment: "uat/kustomization.yaml".
type File struct {
	Path string
	Data []byte
	// Sum is the SHA-256 of the content, set by Build with
	// Options.SumsOnly, which then drops Data (of a generated file).
	Sum [sha256.Size]byte
	// onDisk is the file Render found at Path holding the content Data
	// had (which it then dropped, keeping Sum): Sync trusts a file still
	// the same (diskFile.same: the same file, size and modification time)
	// instead of reading it again.
	onDisk *diskFile
}

// Output is the rendered form of one environment.
type Output struct {
	Env    *Loaded
	Files  []File   // sorted by Path
	Object []Object // the typed objects behind Files, for validation
}

// Options select the environments to render and where they go.
type Options struct {
	LoadOptions
	// OutDir is the output root; each environment gets <OutDir>/<env>/.
	OutDir string
	// Envs names the environments to render; All renders every spec.
	Envs []string
	All  bool
	// Check renders in memory and compares with OutDir, writing nothing.
	Check bool
	// Progress, when set, is called after each environment is built.
	Progress func(done, total int)
	// FilesOnly makes Build keep only the files of each Output (Object is
	// nil), which is all Render and a check need: the typed objects of a
	// large fleet are a good part of a render's memory. Of each Env it
	// keeps what Origin reads: the merged spec tree (Loaded.Tree) is
	// dropped for the positions of its keys in the user's files.
	FilesOnly bool
	// SumsOnly is FilesOnly keeping each file's SHA-256 (File.Sum) instead
	// of its content: what Compare needs to confirm, against the sums of
	// files just read, that nothing changed; when something did, Compare
	// returns ErrNeedContent and the caller builds again without it.
	SumsOnly bool
	// settled, set by Render, is the output root as it was before the
	// render: each environment's files already there with their rendered
	// content keep only their sum (File.onDisk), and the environment is
	// dropped from its Output, so that a render of a fleet holds the
	// content of only the files it changes, not of every file.
	settled *os.Root
}

// ErrNoEnvironment is returned by Build and Render when Options selects no
// environment (no Envs and not All). The CLI words it with its flags.
var ErrNoEnvironment = errors.New("no environment selected")

// ErrNoOutDir is returned by Render when Options.OutDir is empty. The CLI
// words it with its flag.
var ErrNoOutDir = errors.New("no output folder")

// Build loads, expands and marshals the selected environments in memory.
// Nothing is written; any error means no output at all.
func Build(opts Options) ([]*Output, error) {
	names := opts.Envs
	if opts.All {
		all, err := ListEnvironments(opts.SpecsDir)
		if err != nil {
			return nil, err
		}
		names = all
	}
	if len(names) == 0 {
		return nil, ErrNoEnvironment
	}
	seen := map[string]bool{}
	for _, n := range names {
		if err := CheckEnvName(n); err != nil {
			if opts.All { // a file in the specs folder: name it
				return nil, specNameError(opts.SpecsDir, n, err)
			}
			return nil, err
		}
		if !opts.All { // named: ListEnvironments did not see its link (defaults.yaml: readDefaults)
			if err := specLink(opts.SpecsDir, n+".yaml"); err != nil {
				return nil, err
			}
		}
		if seen[n] {
			return nil, fmt.Errorf("environment %s is named twice", n)
		}
		seen[n] = true
	}
	outs := make([]*Output, len(names))
	errs := make([]error, len(names))
	work := make(chan int)
	var wg sync.WaitGroup
	var done atomic.Int64
	shared := &memo{}
	paths := yamlx.NewKeyPaths()
	// the sums are taken as the files are written (buildOne), unless a
	// settled root needs their content first
	sumsOnly := opts.SumsOnly && opts.settled == nil
	var settled *settleRoot
	if opts.settled != nil {
		settled = newSettleRoot(opts.settled)
		defer settled.close()
	}
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Go(func() {
			var objs *tfReuse // reused from one environment to the next, when none is kept
			if opts.FilesOnly || opts.SumsOnly {
				objs = &tfReuse{}
			}
			for i := range work {
				outs[i], errs[i] = buildOne(opts.LoadOptions, names[i], shared, sumsOnly, settled, objs)
				if (opts.FilesOnly || opts.SumsOnly) && outs[i] != nil {
					outs[i].Object = nil
				}
				if opts.settled != nil && outs[i] != nil {
					outs[i].Env = nil
				}
				if (opts.FilesOnly || opts.SumsOnly) && outs[i] != nil {
					outs[i].Env.compact(paths) // (nil once settled)
				}
				if opts.SumsOnly && !sumsOnly && outs[i] != nil {
					for j := range outs[i].Files {
						f := &outs[i].Files[j]
						f.Sum = sha256.Sum256(f.Data)
						if IsGenerated(f.Data) { // (every file is; the check is Compare's)
							f.Data = nil
						}
					}
				}
				if opts.Progress != nil {
					opts.Progress(int(done.Add(1)), len(names))
				}
			}
		})
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := joinUnique(errs); err != nil {
		return nil, err
	}
	return outs, nil
}

// specNameError places an invalid environment name on its spec file.
func specNameError(specsDir, name string, err error) error {
	return &yamlx.Error{Pos: yamlx.Pos{File: filepath.Join(specsDir, name+".yaml")}, Msg: err.Error() + "; rename the file"}
}

// buildOne loads, expands and marshals one environment; sums keeps only
// each file's SHA-256 (File.Sum, Options.SumsOnly), not its content. With
// a settled root (Options.settled), each file is marshalled in path order
// and compared with the disk straight from the emitter's buffer (settler):
// one already there as it renders keeps only its sum and what the disk
// said of it (File.onDisk), with no copy of its content made. The
// Terraform objects come from ts (nil: new ones), which reuses those of
// the environment before: the caller keeps no Output.Object then.
func buildOne(opts LoadOptions, name string, shared *memo, sums bool, settled *settleRoot, ts *tfReuse) (*Output, error) {
	l, err := load(opts, name, shared)
	if err != nil {
		return nil, err
	}
	ts.reuse()
	objs, err := expand(l, "", ts)
	if err != nil {
		return nil, err
	}
	out := &Output{Env: l, Object: objs}
	resources := make([]string, 0, len(objs))
	type item struct {
		path string
		obj  any
	}
	items := make([]item, 0, len(objs)+1)
	for _, o := range objs {
		items = append(items, item{path: o.Path, obj: o.Object})
		resources = append(resources, o.Path)
	}
	k := &kustypes.Kustomization{
		TypeMeta:  kustypes.TypeMeta{APIVersion: kustypes.KustomizationVersion, Kind: kustypes.KustomizationKind},
		Resources: resources,
	}
	items = append(items, item{path: KustomizationFile, obj: k})
	var s *settler
	if settled != nil && !sums {
		// in path order: settle opens each folder once
		sort.Slice(items, func(i, j int) bool { return items[i].path < items[j].path })
		s = &settler{root: settled}
		defer s.close()
	}
	out.Files = make([]File, 0, len(items))
	for _, it := range items {
		f := File{Path: name + "/" + it.path}
		var err error
		switch {
		case sums:
			f.Sum, err = marshalSum(it.obj)
		case s != nil:
			err = marshalTo(it.obj, func(b []byte, owned bool) {
				switch disk := s.match(f.Path, b); {
				case disk != nil:
					f.Sum, f.onDisk = sha256.Sum256(b), disk
				case owned:
					f.Data = b
				default:
					f.Data = slices.Clone(b) // of the exact size: b is the emitter's scratch buffer
				}
			})
		default:
			f.Data, err = Marshal(it.obj)
		}
		out.Files = append(out.Files, f)
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(out.Files, func(i, j int) bool { return out.Files[i].Path < out.Files[j].Path })
	return out, nil
}

// ChangeKind says what rendering does to one file.
type ChangeKind int

// Change kinds.
const (
	Unchanged ChangeKind = iota
	Create
	Update
	Delete
)

func (k ChangeKind) String() string {
	return [...]string{"unchanged", "create", "update", "delete"}[k]
}

// Change is what rendering does, or would do, to one file.
type Change struct {
	Path string // relative to the output root, slash-separated
	Kind ChangeKind
	Diff string // unified diff, empty for Unchanged
}

// Result reports a render.
type Result struct {
	Envs    []string
	Changes []Change // every file, sorted by path
	Written bool     // false in check mode
	// Notes are remarks for the user: an interrupted render completed or
	// undone, a folder of the output root left untouched.
	Notes []string
}

// Drift reports whether any file differs from the rendered output.
func (r *Result) Drift() bool {
	for _, c := range r.Changes {
		if c.Kind != Unchanged {
			return true
		}
	}
	return false
}

// Count returns how many changes are of kind k.
func (r *Result) Count(k ChangeKind) int {
	n := 0
	for _, c := range r.Changes {
		if c.Kind == k {
			n++
		}
	}
	return n
}

// Render builds the selected environments and, unless opts.Check, writes
// them under opts.OutDir atomically: either every file is in place or, on
// any error, the previous output is left as it was. Files fluxtf did not
// generate are never modified or deleted; generated files that are no
// longer produced are deleted. With --all, output folders of environments
// whose spec is gone count as stale too.
func Render(opts Options) (*Result, error) {
	if opts.OutDir == "" {
		return nil, ErrNoOutDir
	}
	opts.FilesOnly = true
	if !opts.Check {
		// a render of a fleet must not hold every file it renders: files
		// already on disk as they render keep only their sum (settle)
		root, err := os.OpenRoot(opts.OutDir)
		if err == nil {
			defer func() { _ = root.Close() }()
			opts.settled = root
		}
	}
	outs, err := Build(opts)
	if err != nil {
		return nil, err
	}
	res, err := Sync(opts.OutDir, outs, opts.All, !opts.Check)
	if opts.settled != nil && errors.Is(err, ErrNeedContent) {
		// a settled file changed before Sync locked the output root
		// (another render, or the journal of an interrupted one): render
		// again, keeping every file's content
		opts.settled = nil
		if outs, err = Build(opts); err != nil {
			return nil, err
		}
		return Sync(opts.OutDir, outs, opts.All, !opts.Check)
	}
	return res, err
}

// settle drops the content of each of files that root (the output root)
// already holds as a generated regular file with that content, keeping
// its sum and what the disk said of it (File.onDisk) for Sync to confirm.
// A file it cannot read keeps its content: Sync reports the problem.
//
// It opens each folder once (os.Root walks a path a folder at a time,
// which was most of the system calls of an up-to-date render; on Linux a
// folder is opened name by name from the root's descriptor, settleRoot)
// and reads each file with one read into a buffer it reuses
// (settleDir.read, with raw system calls on Linux): a file of the size it
// just had that one read does not fill exactly is left to Sync. buildOne
// does the same file by file as it marshals them (settler), from the
// emitter's buffer.
func settle(root *settleRoot, files []File) {
	s := &settler{root: root}
	defer s.close()
	for i := range files {
		f := &files[i]
		if f.Data == nil {
			continue
		}
		if disk := s.match(f.Path, f.Data); disk != nil {
			f.Sum, f.Data, f.onDisk = sha256.Sum256(f.Data), nil, disk
		}
	}
}

// settler is settle's state along files in path order: the folder open
// and the read buffer.
type settler struct {
	root   *settleRoot
	dir    string
	d      *settleDir // dir, or nil when it did not open
	opened bool
	buf    []byte
}

// match reports which file of the output root at slash path p is a
// generated regular file holding data, or nil.
func (s *settler) match(p string, data []byte) *diskFile {
	dd, base := path.Split(p)
	if !s.opened || dd != s.dir {
		s.d.close()
		s.dir, s.opened = dd, true
		s.d = openSettleDir(s.root, filepath.FromSlash(strings.TrimSuffix(dd, "/")))
	}
	if s.d == nil {
		return nil
	}
	got, disk := s.d.read(base, len(data), s.buf)
	if got == nil {
		return nil
	}
	if s.buf = got; !IsGenerated(got) || !bytes.Equal(got, data) {
		return nil
	}
	return disk
}

func (s *settler) close() { s.d.close() }

// growTo is buf's backing grown to at least n bytes, as a slice of n.
func growTo(buf []byte, n int) []byte {
	return slices.Grow(buf[:0], n)[:n]
}

// envNames lists the environment names of outputs.
func envNames(outs []*Output) []string {
	names := make([]string, len(outs))
	for i, o := range outs {
		names[i] = strings.SplitN(o.Files[0].Path, "/", 2)[0]
	}
	return names
}
