package manifest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/digx/fluxtf/internal/fastpath"
	"github.com/digx/fluxtf/internal/yamlx"
)

// kustUnit is one folder whose kustomization is built.
type kustUnit struct {
	dir  string    // the folder
	root string    // what the build may read: see rootFor ("" for the whole file system)
	file string    // its kustomization file
	data []byte    // the kustomization file's content
	pos  yamlx.Pos // where errors about the build point

	bad       bool                   // an error was reported; nothing is built
	plain     bool                   // the fast path may read resources directly
	resources []string               // plain: the resource files, in kustomize's order
	files     []string               // every local resource file reached
	kustRoots map[string]*yamlx.Node // every kustomization reached, by file
	refs      map[string]bool        // every local path an entry names (localRef)
	// generatorFiles are the paths a configMapGenerator or
	// secretGenerator reads (files, envs, env): the budget charges them
	// GeneratorFactor times
	generatorFiles map[string]bool
	inGenerator    bool // checkUse is in a generator's args
	// origins are the paths read by the names kustomize's origins give
	// them: the entries that led to them joined as written from the
	// folder built (resource.Origin.Append), which differs from the path
	// read where a folder on the way is a symbolic link (entryPath)
	origins map[string]string
	at      string // the origin of the folder analyzeDir is in
}

// Keys a plain kustomization may have.
var plainKeys = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "resources": true}

const kustomizeAPIVersion = "kustomize.config.k8s.io/v1beta1"

// analyze reads a kustomization and the local kustomizations it reaches,
// checking that every entry of resources, bases and components exists
// locally, that nothing it would load is remote or outside root (see
// checkRefs), and decides whether it is plain.
func (l *loader) analyze(dir, root string) *kustUnit {
	u := &kustUnit{dir: dir, root: root, kustRoots: map[string]*yamlx.Node{}, refs: map[string]bool{}, generatorFiles: map[string]bool{}, origins: map[string]string{}}
	if real, ok := l.within(root, dir); !ok {
		l.fail(yamlx.Pos{File: dir}, "", "this kustomization folder is %s, outside the repository root %s (a symbolic link?); fluxtf builds only kustomizations inside it", real, root)
		u.bad = true
		return u
	}
	u.plain, u.resources = l.analyzeDir(u, dir, nil, true)
	return u
}

// kustomizationIn returns the kustomization file of dir, or "" and an
// error message.
func (l *loader) kustomizationIn(dir string) (string, string) {
	var found []string
	for _, n := range kustomizationNames {
		p := filepath.Join(dir, n)
		if exists, isDir := l.kind(p); exists && !isDir {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return "", "holds no kustomization.yaml; kustomize needs one in every folder it builds"
	case 1:
		return found[0], ""
	}
	return "", fmt.Sprintf("holds several kustomization files (%s); keep one", strings.Join(found, ", "))
}

func (l *loader) analyzeDir(u *kustUnit, dir string, stack []string, top bool) (plain bool, resources []string) {

	file, msg := l.kustomizationIn(dir)
	if file == "" {
		l.fail(yamlx.Pos{File: dir}, "", "%s", msg)
		u.bad = true
		return false, nil
	}
	if real, ok := l.within(u.root, file); !ok {
		l.fail(yamlx.Pos{File: file}, "", "is a symbolic link to %s, outside the repository root %s; a kustomization may only read files inside it", real, u.root)
		u.bad = true
		return false, nil
	}
	l.read[file] = true
	u.origins[filepath.Join(u.at, filepath.Base(file))] = file
	data, err := l.readFile(file)
	if err != nil {
		l.errs = append(l.errs, asErrList(file, err)...)
		u.bad = true
		return false, nil
	}
	if l.opts.Digests {
		l.sums[file] = sha256.Sum256(data)
	}
	docs, err := yamlx.Parse(file, data, l.lim)
	if err != nil {
		l.errs = append(l.errs, asErrList(file, err)...)
		u.bad = true
		return false, nil
	}
	var root *yamlx.Node
	plain = true
	for _, d := range docs {
		if d.Root == nil {
			continue
		}
		if root != nil {
			plain = false // several documents: kustomize decides
			break
		}
		root = d.Root
	}
	if top {
		u.file, u.data, u.pos = file, data, yamlx.Pos{File: file, Line: 1}
		if root != nil {
			u.pos = root.Pos
		}
	}
	if root == nil || root.Kind != yamlx.MappingNode {
		return false, nil // kustomize reports what is wrong with it
	}
	u.kustRoots[file] = root
	for _, k := range root.Keys() {
		if !plainKeys[k] {
			plain = false
		}
	}
	if v := root.Get("apiVersion"); v != nil && v.String() != kustomizeAPIVersion {
		plain = false
	}
	if v := root.Get("kind"); v != nil && v.String() != "Kustomization" {
		plain = false
	}
	l.checkRefs(u, dir, root)
	fieldsOf(root, func(field string, key, seq *yamlx.Node) {
		if kustomizationUse(field) != useResources {
			return
		}
		if seq.IsNull() {
			return
		}
		if seq.Kind != yamlx.SequenceNode || key.Value != field {
			plain = false // kustomize decides (and matches keys ignoring case)
			if seq.Kind != yamlx.SequenceNode {
				return
			}
		}
		for i, item := range seq.Content {
			entry := item.String()
			if item.Kind != yamlx.ScalarNode || entry == "" {
				plain = false
				continue
			}
			at := fmt.Sprintf("%s[%d]", key.Value, i)
			if gitUserRef(entry) && !remoteRef(entry) {
				// kustomize clones it, even where a folder of that name exists
				l.refuseRemote(item, at, entry)
				u.bad = true
				continue
			}
			path, ok := l.localRef(u, dir, item, at, entry)
			exists, isDir := false, false
			if ok {
				exists, isDir = l.kind(path)
			}
			switch {
			case !ok:
			case !exists:
				l.fail(item.Pos, at, "kustomization lists %q, but %s %s", entry, path, l.missing(path))
				u.bad = true
			case isDir && ambiguousPath(entry):
				l.fail(item.Pos, at, "%q is ambiguous: kustomize refuses a folder entry with \"..\" inside a name (it takes it for a mistyped path); rename the folder", entry)
				u.bad = true
			case isDir && l.cycle(path, append(stack, dir)) != "":
				l.fail(item.Pos, at, "kustomization lists %q, which holds %s, a folder this build is in: kustomize refuses it as a cycle; remove the entry (a kustomization cannot include itself or a folder above it)", entry, l.cycle(path, append(stack, dir)))
				u.bad = true
			case isDir:
				if f, msg := l.kustomizationIn(path); f == "" {
					l.fail(item.Pos, at, "kustomization lists the folder %q, which %s", entry, msg)
					u.bad = true
					continue
				}
				at := u.at
				u.at = filepath.Join(at, entry)
				subPlain, subRes := l.analyzeDir(u, path, append(stack, dir), false)
				u.at = at
				if field == "resources" && subPlain {
					resources = append(resources, subRes...)
				} else {
					plain = false
				}
			default:
				u.files = append(u.files, path)
				if field == "resources" {
					resources = append(resources, path)
				} else {
					plain = false
				}
			}
		}
	})
	return plain, resources
}

// unitDocs returns the objects a kustomization yields: its resources as
// written when it is plain and they allow it, else krusty's build (always
// under FLUXTF_SLOW: internal/fastpath). uses counts how often the plain
// kustomizations list each file: the documents of a file listed once are
// returned themselves (nothing else returns them: Load returns a file's
// documents as read only when no kustomization reaches it), those of a
// file listed more often are copied, each copy naming its kustomization.
func (l *loader) unitDocs(u *kustUnit, uses map[string]int) []*Doc {
	if u.bad {
		return nil
	}
	for _, f := range u.files {
		if len(l.files[f].errs) > 0 {
			return nil // reported with the file
		}
	}
	if u.plain && !l.opts.forceKrusty && fastpath.Enabled(fastpath.Kustomize) {
		var docs []*Doc
		for _, f := range u.resources {
			for _, d := range l.files[f].docs {
				c := d
				if uses[f] > 1 {
					c = d.clone()
				}
				c.Kustomization = u.file
				docs = append(docs, c)
			}
		}
		if fastPathOK(docs) {
			fastpath.Hit(fastpath.Kustomize)
			return docs
		}
	}
	docs, err := l.build(u)
	if err != nil {
		l.errs = append(l.errs, err)
		return nil
	}
	return docs
}

// clone copies a document read from a file, for a kustomization that
// lists it; when it has been checked already, so is the copy.
func (d *Doc) clone() *Doc {
	c := &Doc{
		File: d.File, Index: d.Index, root: d.root, src: d.src, Object: d.Object, Value: d.Value, annotations: d.annotations,
		APIVersion: d.APIVersion, Kind: d.Kind, Name: d.Name, Namespace: d.Namespace,
		Line: d.Line, Kustomization: d.Kustomization, column: d.column, node: d.node,
		plainOK: d.plainOK,
	}
	if d.checked {
		c.once.Do(func() { c.out, c.checked = d.out, true }) // neither changes it again
	}
	return c
}

// plainOK is the part of fastPathOK that reads the document itself: it
// has a name and is not a List, and none of its annotations is one that
// kustomize drops or rewrites.
func plainOK(d *Doc) bool {
	if d.Name == "" || strings.HasSuffix(d.Kind, "List") {
		return false
	}
	meta := d.root.Get("metadata")
	if meta.Kind != yamlx.MappingNode || meta.Get("name").Tag != yamlx.TagStr {
		return false
	}
	if a := meta.Get("annotations"); a != nil {
		if a.Kind != yamlx.MappingNode || len(a.Content) == 0 {
			return false
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			k, v := a.Content[i].Value, a.Content[i+1]
			if v.Kind != yamlx.ScalarNode || v.Tag != yamlx.TagStr || strings.Contains(k, "config.kubernetes.io/") || strings.HasPrefix(k, "kustomize.config.k8s.io/") {
				return false
			}
		}
	}
	return true
}

// fastPathOK reports whether kustomize would emit docs unchanged: every
// object has a name, none is a List (kustomize inlines their items), no
// two share an id (kustomize refuses that), and no annotation is one that
// kustomize drops or rewrites (its own config.kubernetes.io/... keys, a
// value that is not a string, an empty map).
func fastPathOK(docs []*Doc) bool {
	ids := make(map[string]bool, len(docs))
	for _, d := range docs {
		if !d.plainOK {
			return false
		}
		group, _, _ := strings.Cut(d.APIVersion, "/")
		if !strings.Contains(d.APIVersion, "/") {
			group = ""
		}
		ns := d.Namespace
		if ns == "" {
			ns = "default"
		}
		id := group + "|" + d.Kind + "|" + ns + "|" + d.Name
		if ids[id] {
			return false
		}
		ids[id] = true
	}
	return true
}

// krusty keeps global state (the OpenAPI schema); one build at a time.
var krustyMu sync.Mutex

// build runs kustomize on u and traces each object to its source.
func (l *loader) build(u *kustUnit) ([]*Doc, *yamlx.Error) {
	fail := func(format string, args ...any) *yamlx.Error {
		return &yamlx.Error{Pos: u.pos, Msg: "kustomize build failed: " + fmt.Sprintf(format, args...)}
	}
	confirmed, _, err := l.fs.CleanedAbs(u.dir)
	if err != nil {
		return nil, fail("%v", err)
	}
	patched, userOrigin := withOriginAnnotations(u.data)
	// the files fluxtf read itself (kustomizations, resources) are in
	// the run's budget already; every other file the build reads
	// (generator files, patches, schemas) is charged to it once
	charged := map[string]bool{}
	for _, f := range u.files {
		charged[l.buildPath(f)] = true
	}
	generator := map[string]bool{}
	for f := range u.generatorFiles {
		generator[l.buildPath(f)] = true
	}
	for f := range u.kustRoots {
		charged[l.buildPath(f)] = true
	}
	ofs := confinedFS{root: l.buildRoot(u), FileSystem: &overlayFS{
		FileSystem: l.fs,
		path:       confirmed.Join(filepath.Base(u.file)),
		data:       patched,
		maxBytes:   l.lim.MaxBytes,
		onDisk:     l.onDisk,
		charged:    charged,
		generator:  generator,
		take:       func(n int64, generator bool) error { return l.takeFor(n, 0, generator) },
	}}
	opts := krusty.MakeDefaultOptions()
	// Files outside the folder (../base) may be read, as Flux builds, but
	// only inside the root: ofs refuses the rest.
	opts.LoadRestrictions = kustypes.LoadRestrictionsNone
	// Built-in generators and transformers only: no exec, Go or function
	// plugins (containers), no helm. (checkRefs refuses them first, with
	// the entry's line; this is the second lock.)
	opts.PluginConfig = kustypes.DisabledPluginConfig()
	opts.PluginConfig.HelmConfig.Enabled = false
	opts.PluginConfig.FnpLoadingOptions = kustypes.FnPluginLoadingOptions{}
	krustyMu.Lock()
	rm, logged, err := runKrustyLogged(opts, ofs, u.dir)
	krustyMu.Unlock()
	l.kustNotes = append(l.kustNotes, kustomizeNotes(u, logged)...)
	if err != nil {
		// kustomize names files by their absolute path and spreads its
		// message over several lines; say it the user's way on one.
		msg := strings.ReplaceAll(err.Error(), string(confirmed)+string(filepath.Separator), u.dir+string(filepath.Separator))
		return nil, fail("%s", strings.Join(strings.Fields(msg), " "))
	}
	resources := rm.Resources()
	if err := l.take(0, int64(len(resources))); err != nil {
		return nil, nil // Load reports it, once
	}
	origins := make([]*resource.Origin, len(resources))
	for i, r := range resources {
		origins[i], _ = r.GetOrigin() // nil when unknown
	}
	if !userOrigin {
		if err := rm.RemoveOriginAnnotations(); err != nil {
			return nil, fail("removing origin annotations: %v", err)
		}
	}
	lim := l.lim
	lim.MaxBytes = 0 // the inputs were bounded; the output may be larger
	docs := make([]*Doc, 0, len(resources))
	for i, r := range resources {
		y, err := r.AsYAML()
		if err != nil {
			return nil, fail("%s/%s: %v", r.GetKind(), r.GetName(), err)
		}
		parsed, err := yamlx.Parse(u.file, y, lim)
		if err != nil || len(parsed) != 1 || parsed[0].Root == nil || parsed[0].Root.Kind != yamlx.MappingNode {
			return nil, fail("%s/%s: unreadable output: %v", r.GetKind(), r.GetName(), err)
		}
		node := parsed[0].Root
		d := &Doc{
			node:          node,
			APIVersion:    r.GetApiVersion(),
			Kind:          r.GetKind(),
			Name:          r.GetName(),
			Namespace:     r.GetNamespace(),
			Kustomization: u.file,
			annotations:   l.annotationsFor(node),
		}
		if err := d.setContent(node, l.converter()); err != nil {
			return nil, fail("%s/%s: %v", r.GetKind(), r.GetName(), err)
		}
		l.trace(u, d, origins[i], i)
		docs = append(docs, d)
	}
	return docs, nil
}

// runKrustyLogged is runKrusty with what kustomize writes to the
// standard logger (warnings such as "well-defined vars that were never
// replaced: NAME", with names and values from the kustomization) and
// straight to os.Stderr (a deprecation warning per deprecated field of
// each kustomization it loads: `bases`, `vars`, `commonLabels`,
// `patchesStrategicMerge`...) taken from stderr, where they would reach
// the terminal and the CI log raw, beside fluxtf's own notes, and
// returned as lines, for notes, which every format escapes. Callers hold
// krustyMu: the logger and os.Stderr are the process's.
func runKrustyLogged(opts *krusty.Options, fsys filesys.FileSystem, dir string) (resmap.ResMap, []string, error) {
	var msgs logMessages
	w, flags, prefix := log.Writer(), log.Flags(), log.Prefix()
	log.SetOutput(&msgs)
	log.SetFlags(0) // no time stamp: notes are deterministic
	log.SetPrefix("")
	defer func() {
		log.SetOutput(w)
		log.SetFlags(flags)
		log.SetPrefix(prefix)
	}()
	var rm resmap.ResMap
	var err error
	written := captureStderr(func() { rm, err = runKrusty(opts, fsys, dir) })
	return rm, append(msgs, written...), err
}

// captureStderr points os.Stderr at a pipe while fn runs and returns the
// distinct non-empty lines written to it, in order, each without a
// leading "# " (kustomize's deprecation warnings start so). fluxtf itself
// never writes to os.Stderr during a run (main hands its writers down),
// so only what fn's callees write there is caught. Without a pipe (no
// descriptor left) fn runs as it is.
func captureStderr(fn func()) []string {
	r, w, err := os.Pipe()
	if err != nil {
		fn()
		return nil
	}
	var buf bytes.Buffer
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = io.Copy(&buf, r)
	}()
	prev := os.Stderr
	os.Stderr = w
	func() {
		defer func() { os.Stderr = prev }()
		fn()
	}()
	_ = w.Close()
	<-copied
	_ = r.Close()
	var lines []string
	seen := map[string]bool{}
	for line := range strings.Lines(buf.String()) {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "# "))
		if line != "" && !seen[line] {
			seen[line] = true
			lines = append(lines, line)
		}
	}
	return lines
}

// logMessages keeps each message a log.Logger writes (one Write each),
// without its final newline; a message's inner newlines stay in it, for
// the notes to escape.
type logMessages []string

func (m *logMessages) Write(p []byte) (int, error) {
	if msg := strings.TrimSpace(string(p)); msg != "" {
		*m = append(*m, msg)
	}
	return len(p), nil
}

// runKrusty builds dir, turning a panic inside kustomize into an error.
func runKrusty(opts *krusty.Options, fsys filesys.FileSystem, dir string) (rm resmap.ResMap, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return krusty.MakeKustomizer(opts).Run(fsys, dir)
}

// trace points a built object at the document it came from: the origin
// file's document of the same kind and name, else its only document of
// that kind, else the one of that kind whose name is contained in the
// built name (a name prefix or suffix), if there is exactly one such,
// else the file's only List of that kind (kustomize inlines list items).
// Otherwise the object points at the kustomization (for a generated
// object, at its generator's key).
func (l *loader) trace(u *kustUnit, d *Doc, o *resource.Origin, ordinal int) {
	if o != nil && o.Path != "" && o.Repo == "" {
		file := l.originPath(u, o.Path)
		if src := match(l.source(file), d); src != nil {
			d.File, d.Index, d.root, d.src, d.Line, d.column = src.File, src.Index, src.Root(), src.src, src.Line, src.column
			return
		}
	}
	d.File, d.Index = u.file, ordinal
	pos := u.pos
	if o != nil && o.ConfiguredIn != "" && o.Repo == "" {
		kf := l.originPath(u, o.ConfiguredIn)
		if root, ok := u.kustRoots[kf]; ok {
			d.File, pos = kf, root.Pos
			if key := lowerFirst(o.ConfiguredBy.Kind); key != "" {
				if p, ok := root.KeyPos(key); ok {
					pos = p
				}
			}
		}
	}
	d.Line, d.column = pos.Line, pos.Column
}

// originPath is the file an origin path of kustomize's names: a path
// the analysis of u read (origins), else relative to the folder built
// (whose symbolic links kustomize resolved first: entryPath), or
// absolute.
func (l *loader) originPath(u *kustUnit, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	if f, ok := u.origins[filepath.Clean(p)]; ok {
		return f
	}
	return l.entryPath(u.dir, p)
}

func lowerFirst(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// source returns the objects of a file, parsing it when the analysis did
// not reach it.
func (l *loader) source(file string) []*Doc {
	r, ok := l.files[file]
	if !ok {
		r = l.parseFile(file, l.converter(), nil)
		l.files[file] = r
		if len(r.errs) == 0 {
			l.read[file] = true
		}
	}
	return r.docs
}

func match(src []*Doc, d *Doc) *Doc {
	var kind []*Doc
	for _, s := range src {
		if s.Kind == d.Kind {
			kind = append(kind, s)
		}
	}
	var exact *Doc
	for _, s := range kind {
		if s.Name == d.Name && (exact == nil || s.Namespace == d.Namespace) {
			exact = s
		}
	}
	switch {
	case exact != nil:
		return exact
	case len(kind) == 1:
		return kind[0]
	}
	var best *Doc
	tie := false
	for _, s := range kind {
		if s.Name == "" || !strings.Contains(d.Name, s.Name) {
			continue
		}
		switch {
		case best == nil || len(s.Name) > len(best.Name):
			best, tie = s, false
		case len(s.Name) == len(best.Name):
			tie = true
		}
	}
	if best != nil && !tie {
		return best
	}
	// an item of a list kustomize inlined: the file's only such list
	var list *Doc
	for _, s := range src {
		if s.Kind == d.Kind+"List" || s.Kind == "List" {
			if list != nil {
				return nil
			}
			list = s
		}
	}
	return list
}

// withOriginAnnotations returns the kustomization with originAnnotations
// added to its buildMetadata, so that kustomize records where each object
// came from, and whether the user asked for them already (then they stay
// in the output, as Flux would apply them). A kustomization it cannot
// read is returned as it is, for kustomize to report.
func withOriginAnnotations(data []byte) ([]byte, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return data, false
	}
	m := doc.Content[0]
	item := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kustypes.OriginAnnotations}
	found := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "buildMetadata" {
			continue
		}
		found = true
		v := m.Content[i+1]
		if v.Kind != yaml.SequenceNode {
			return data, false
		}
		for _, c := range v.Content {
			if c.Value == kustypes.OriginAnnotations {
				return data, true
			}
		}
		v.Content = append(v.Content, item)
	}
	if !found {
		m.Content = append(m.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"},
			&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}})
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return data, false
	}
	return out, false
}

// overlayFS serves a changed copy of one file (the root kustomization)
// and bounds the size of the others; everything else is the underlying
// file system.
type overlayFS struct {
	filesys.FileSystem
	path     string
	data     []byte
	maxBytes int64
	onDisk   bool
	// charged holds the absolute paths already in the run's budget; take
	// charges it with a file read for the first time
	charged map[string]bool
	// generator holds the absolute paths of the generators' files,
	// charged GeneratorFactor times their size
	generator map[string]bool
	take      func(bytes int64, generator bool) error
}

// buildPath is the path kustomize reads file by, through l.fs (absolute).
func (l *loader) buildPath(file string) string {
	if d, f, err := l.fs.CleanedAbs(file); err == nil {
		return d.Join(f)
	}
	return file
}

func (o *overlayFS) ReadFile(p string) ([]byte, error) {
	if filepath.Clean(p) == o.path {
		return bytes.Clone(o.data), nil
	}
	if o.onDisk && o.maxBytes > 0 {
		if st, err := os.Stat(p); err == nil && st.Size() > o.maxBytes {
			return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", p, st.Size(), o.maxBytes)
		}
	}
	data, err := o.FileSystem.ReadFile(p)
	if err == nil && o.maxBytes > 0 && int64(len(data)) > o.maxBytes {
		return nil, fmt.Errorf("%s is %d bytes, over the %d-byte limit", p, len(data), o.maxBytes)
	}
	if err == nil && o.take != nil && !o.charged[filepath.Clean(p)] {
		o.charged[filepath.Clean(p)] = true
		n, gen := int64(len(data)), o.generator[filepath.Clean(p)]
		if gen {
			n *= GeneratorFactor
		}
		if err := o.take(n, gen); err != nil {
			return nil, err
		}
	}
	return data, err
}

// unlistedNotes says which manifests in the folders of the kustomizations
// built (and below them) no kustomization reaches: neither Flux nor the
// build reads them, so neither does fluxtf, unless they are named on the
// command line. A YAML file counts as listed when any entry of any
// kustomization reached names it (resources, patches, generator files...)
// or when it was read on its own. Files are compared at their places
// (place): an entry that names a file through a symbolic link, or a ".."
// chain, lists it.
func (l *loader) unlistedNotes(units []*kustUnit) []string {
	if len(units) == 0 {
		return nil
	}
	listed := map[string]bool{}
	for f := range l.seen {
		listed[l.place(f)] = true
	}
	for _, u := range units {
		for f := range u.refs {
			listed[l.place(f)] = true
		}
	}
	var notes []string
	nested := nestedUnitDirs(units)
	for _, u := range units {
		var unlisted []string
		l.yamlFilesUnder(u.dir, func(f string) {
			if !listed[l.place(f)] && !underAny(f, nested[u]) {
				unlisted = append(unlisted, f)
			}
		})
		switch n := len(unlisted); {
		case n == 1:
			notes = append(notes, fmt.Sprintf("%s is listed by no kustomization: %s builds its folder without it, so neither Flux nor fluxtf reads it (add it to resources, or name it on the command line to validate it)", unlisted[0], u.file))
		case n > 1:
			notes = append(notes, fmt.Sprintf("%d manifests are listed by no kustomization: %s builds their folder without them, so neither Flux nor fluxtf reads them (add them to resources, or name them on the command line to validate them): %s", n, u.file, someOf(unlisted, 5)))
		}
	}
	return notes
}

// yamlFilesUnder calls fn with every YAML file under dir that is not a
// kustomization file, skipping hidden files and folders and symbolic
// links, as a folder walk would meet them.
func (l *loader) yamlFilesUnder(dir string, fn func(string)) {
	if l.onDisk {
		ls := l.res.list(l.res.abs(dir)) // the listing the analysis read, mostly
		if ls.err != nil {
			return // the build reports an unreadable folder it needs
		}
		for i, name := range ls.names {
			full := filepath.Join(dir, name)
			switch typ := ls.types[i]; {
			case strings.HasPrefix(name, "."):
			case typ.IsDir():
				l.yamlFilesUnder(full, fn)
			case typ.IsRegular() && isYAMLName(name) && !isKustomizationName(name):
				fn(full)
			}
		}
		return
	}
	names, err := l.fs.ReadDir(dir)
	if err != nil {
		return
	}
	sort.Strings(names)
	for _, name := range names {
		full := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "."):
		case l.fs.IsDir(full):
			l.yamlFilesUnder(full, fn)
		case isYAMLName(name) && !isKustomizationName(name):
			fn(full)
		}
	}
}

// cycle returns the folder of chain (the folders a build is in, the
// first built first) that the folder path is or holds, or "": kustomize
// refuses to load such a folder ("cycle detected: candidate root ...
// contains visited root", its loader's errIfArgEqualOrHigher in
// sigs.k8s.io/kustomize/api internal/loader/fileloader.go). Folders are
// compared at their places (real paths), as kustomize compares them.
func (l *loader) cycle(path string, chain []string) string {
	at := l.place(path)
	for _, c := range chain {
		if _, in := inRoot(at, l.place(c)); in {
			return c
		}
	}
	return ""
}

// ambiguousPath reports whether the folder entry has a segment with ".."
// in it that is not ".." itself ("app..v2", "..base"): kustomize refuses
// to load such a folder (its loader's hasAmbiguousPathSegment, in
// sigs.k8s.io/kustomize/api internal/loader/fileloader.go).
func ambiguousPath(entry string) bool {
	for _, part := range strings.Split(filepath.ToSlash(entry), "/") {
		if part != "" && part != "." && part != ".." && strings.Contains(part, "..") {
			return true
		}
	}
	return false
}
