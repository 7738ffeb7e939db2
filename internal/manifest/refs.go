package manifest

import (
	"crypto/sha256"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/digx/fluxtf/internal/yamlx"
)

// refUse says what kustomize loads from a field of a kustomization or of
// a built-in generator or transformer config.
type refUse int

const (
	useUnknown   refUse = iota // not a field kustomize knows: kustomize reports it
	useNone                    // loads nothing (names, labels, options, inline patches)
	useResources               // resources, bases, components: files, folders or git URLs (analyzeDir)
	useFile                    // a file path
	useFiles                   // a list of file paths
	useKVFiles                 // a list of "[key=]path" (configMapGenerator files)
	usePatches                 // a list of file paths or inline patches (patchesStrategicMerge)
	useWithPath                // a list of mappings whose path is a file (patches, replacements)
	usePathMap                 // a mapping whose path is a file (openapi)
	useKV                      // a list of generator args: files, envs, env (configMapGenerator)
	usePlugins                 // a list of inline configs, config files or folders (generators)
	useHelm                    // Helm chart inflation: refused, it runs helm and fetches charts
)

// kustomizationUse classifies a field of a kustomization by its json name
// lower-cased: kustomize decodes kustomizations with encoding/json, which
// matches field names ignoring case. Every field of
// kustomize's types.Kustomization has a use other than useUnknown
// (TestEveryKustomizationFieldIsClassified), so a field added by a newer
// kustomize is not silently let through.
func kustomizationUse(field string) refUse {
	switch field {
	case "apiversion", "kind", "metadata", "nameprefix", "namesuffix", "namespace",
		"commonlabels", "labels", "commonannotations", "images", "imagetags", "replicas",
		"vars", "sortoptions", "generatoroptions", "buildmetadata":
		return useNone
	case "resources", "bases", "components":
		return useResources
	case "crds", "configurations":
		return useFiles
	case "patchesstrategicmerge":
		return usePatches
	case "patches", "patchesjson6902", "replacements":
		return useWithPath
	case "openapi":
		return usePathMap
	case "configmapgenerator", "secretgenerator":
		return useKV
	case "generators", "transformers", "validators":
		return usePlugins
	case "helmcharts", "helmglobals", "helmchartinflationgenerator":
		return useHelm
	}
	return useUnknown
}

// kvUse classifies a field of configMapGenerator or secretGenerator args
// (also the fields of a ConfigMapGenerator or SecretGenerator config).
func kvUse(field string) refUse {
	switch field {
	case "files":
		return useKVFiles
	case "envs":
		return useFiles
	case "env":
		return useFile
	}
	return useNone
}

// pluginFieldUse classifies a field of a built-in generator or
// transformer config of kind (apiVersion: builtin); known is false for a
// kind kustomize does not build in. Every built-in kind is known
// (TestEveryBuiltinPluginIsClassified).
func pluginFieldUse(kind, field string) (use refUse, known bool) {
	switch kind {
	case "ConfigMapGenerator", "SecretGenerator":
		return kvUse(field), true
	case "PatchTransformer", "PatchJson6902Transformer":
		if field == "path" {
			return useFile, true
		}
		return useNone, true
	case "PatchStrategicMergeTransformer":
		if field == "paths" {
			return usePatches, true
		}
		return useNone, true
	case "ReplacementTransformer":
		if field == "replacements" {
			return useWithPath, true
		}
		return useNone, true
	case "ValueAddTransformer":
		if field == "targetfilepath" {
			return useFile, true
		}
		return useNone, true
	case "HelmChartInflationGenerator":
		return useHelm, true
	case "AnnotationsTransformer", "HashTransformer", "IAMPolicyGenerator", "ImageTagTransformer",
		"LabelTransformer", "NamespaceTransformer", "PrefixTransformer", "SuffixTransformer",
		"PrefixSuffixTransformer", "ReplicaCountTransformer", "SortOrderTransformer",
		"LegacyOrderTransformer":
		return useNone, true
	}
	return useUnknown, false
}

// remoteRef reports whether a kustomization entry names something remote:
// a URL (http, https, ssh, file, git::...) or a git repository in the forms
// kustomize clones (user@host:path, github.com/org/repo, a ?ref= query).
// It errs on the side of remote: such an entry is refused, never fetched.
func remoteRef(entry string) bool {
	s := strings.ToLower(strings.TrimSpace(entry))
	for _, p := range []string{"git::", "github.com/", "github.com:", "gh:"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	for _, c := range []string{"://", "?ref=", "?version=", "?submodules=", "?timeout=", "gitlab.com/", "bitbucket.org/"} {
		if strings.Contains(s, c) {
			return true
		}
	}
	// user@host:path, as kustomize's git URL parser accepts it
	if at := strings.IndexByte(s, '@'); at > 0 && isGitUser(s[:at]) && strings.Contains(s[at:], ":") {
		return true
	}
	// what kustomize's loader fetches with an HTTP GET (its IsRemoteFile):
	// any http or https scheme, "http:/host/x" and "https:\\host" included
	u, err := url.Parse(strings.TrimSpace(entry))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https")
}

// gitUserRef reports whether a resources, bases or components entry
// starts with a git user (user@host/path, no colon needed): kustomize's
// URL parser takes a leading user@ as the start of an SCP or SSH URL and
// clones it, before it looks for a local folder of that name. The forms
// with a colon are remoteRef's.
func gitUserRef(entry string) bool {
	s := strings.ToLower(strings.TrimSpace(entry))
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && isGitUser(s[:at])
}

func isGitUser(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// localRef checks one entry that kustomize would load: it must be local,
// relative and, resolved from dir, inside the root. It returns the path
// to read, or reports at the entry and returns false.
func (l *loader) localRef(u *kustUnit, dir string, node *yamlx.Node, at, entry string) (string, bool) {
	switch {
	case remoteRef(entry):
		l.refuseRemote(node, at, entry)
	case filepath.IsAbs(entry):
		l.fail(node.Pos, at, "%q is an absolute path: a kustomization may only name files inside the repository, relative to its folder", entry)
	default:
		path := l.entryPath(dir, entry)
		real, ok := l.within(u.root, path)
		if ok {
			if t := l.diskInfo(u.root, real); t.exists && !t.typ.IsDir() && !t.typ.IsRegular() && !t.isSymlink() {
				// a FIFO would block kustomize's read for ever, a
				// device or socket is no file of the repository
				l.fail(node.Pos, at, "%q is not a regular file (%s): a kustomization may only read regular files and folders; remove it or list a file", entry, t.typ)
				break
			}
			u.refs[path] = true
			u.origins[filepath.Join(u.at, entry)] = path
			if u.inGenerator {
				u.generatorFiles[path] = true
			}
			return path, true
		}
		if real != l.abs(path) {
			l.fail(node.Pos, at, "%q leads through a symbolic link to %s, outside the repository root %s; a kustomization may only read files inside it", entry, real, u.root)
		} else {
			l.fail(node.Pos, at, "%q is outside the repository root %s; a kustomization may only read files inside it (the root is the git work tree holding the path named, else that path)", entry, u.root)
		}
	}
	u.bad = true
	return "", false
}

// refuseRemote reports a remote entry at node.
func (l *loader) refuseRemote(node *yamlx.Node, at, entry string) {
	l.fail(node.Pos, at, "remote reference %q is not supported: fluxtf reads local files only and never fetches or runs anything; vendor it into this repository, or validate that repository where it lives", entry)
}

// fieldsOf calls fn with each key of a mapping, folded as encoding/json
// matches it (jsonFold), and its value.
func fieldsOf(m *yamlx.Node, fn func(key string, keyNode, value *yamlx.Node)) {
	if m == nil || m.Kind != yamlx.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(jsonFold(m.Content[i].Value), m.Content[i], m.Content[i+1])
	}
}

// jsonFold returns key as encoding/json matches it with a field name:
// regardless of case under Unicode's simple folding, so that "Resources",
// "reſources" (a long s) and "\u212Aind" (a Kelvin sign) are all the
// field of their ASCII spelling. kustomize decodes kustomizations and
// built-in plugin configs that way; a key folded only by strings.ToLower
// would let "ſecretGenerator" load files the checks never saw. Every rune
// becomes the smallest of its fold orbit, lower-cased when that is ASCII,
// so the known field names (lower-case ASCII) compare equal.
func jsonFold(key string) string {
	ascii := true
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(key)
	}
	var b strings.Builder
	for _, r := range key {
		for {
			next := unicode.SimpleFold(r)
			if next <= r {
				r = next
				break
			}
			r = next
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// checkRefs checks every field of a kustomization (root, in dir) that
// kustomize loads files from, except resources, bases and components
// (analyzeDir follows those): every entry must be local and inside the
// root, and nothing may inflate Helm charts or run plugins.
func (l *loader) checkRefs(u *kustUnit, dir string, root *yamlx.Node) {
	fieldsOf(root, func(key string, k, v *yamlx.Node) {
		if use := kustomizationUse(key); use != useResources {
			l.checkUse(u, dir, use, k, v, k.Value)
		}
	})
}

// checkUse checks value v (of the field whose key is k, at path at) as
// use says.
func (l *loader) checkUse(u *kustUnit, dir string, use refUse, k, v *yamlx.Node, at string) {
	items := func(fn func(i int, item *yamlx.Node)) {
		if v.Kind == yamlx.SequenceNode {
			for i, item := range v.Content {
				fn(i, item)
			}
		}
	}
	scalar := func(n *yamlx.Node, at, entry string) {
		if n.Kind == yamlx.ScalarNode && entry != "" {
			l.localRef(u, dir, n, at, entry)
		}
	}
	switch use {
	case useFile:
		scalar(v, at, v.Value)
	case useFiles:
		items(func(i int, item *yamlx.Node) { scalar(item, fmt.Sprintf("%s[%d]", at, i), item.Value) })
	case useKVFiles:
		items(func(i int, item *yamlx.Node) {
			entry := item.Value
			if _, path, ok := strings.Cut(entry, "="); ok && !remoteRef(entry) {
				entry = path // key=path
			}
			scalar(item, fmt.Sprintf("%s[%d]", at, i), entry)
		})
	case usePatches:
		items(func(i int, item *yamlx.Node) {
			if inlineResources(item) == nil {
				scalar(item, fmt.Sprintf("%s[%d]", at, i), item.Value)
			}
		})
	case useWithPath:
		items(func(i int, item *yamlx.Node) {
			fieldsOf(item, func(key string, k, v *yamlx.Node) {
				if key == "path" {
					scalar(v, fmt.Sprintf("%s[%d].%s", at, i, k.Value), v.Value)
				}
			})
		})
	case usePathMap:
		fieldsOf(v, func(key string, k, v *yamlx.Node) {
			if key == "path" {
				scalar(v, at+"."+k.Value, v.Value)
			}
		})
	case useKV:
		u.inGenerator = true
		items(func(i int, item *yamlx.Node) {
			fieldsOf(item, func(key string, k, v *yamlx.Node) {
				l.checkUse(u, dir, kvUse(key), k, v, fmt.Sprintf("%s[%d].%s", at, i, k.Value))
			})
		})
		u.inGenerator = false
	case usePlugins:
		items(func(i int, item *yamlx.Node) { l.checkPluginEntry(u, dir, item, fmt.Sprintf("%s[%d]", at, i)) })
	case useHelm:
		l.fail(k.Pos, at, "fluxtf does not inflate Helm charts (kustomize would run helm and fetch charts, and Flux's kustomize-controller does not either); use a Flux HelmRelease instead")
		u.bad = true
	}
}

// inlineResources returns the objects of an entry that kustomize reads
// as inline content (a patch of patchesStrategicMerge, a generator or
// transformer config), or nil when kustomize reads it as a path: it does
// so unless the text parses as YAML objects that each have a kind and,
// unless a List, a metadata.name (its resource factory's SliceFromBytes).
// So "http://host/x: y" is a mapping, but a path to kustomize, which
// fetches it: it must be checked as one.
func inlineResources(n *yamlx.Node) []*yamlx.Node {
	docs := inlineDocs(n)
	for _, d := range docs {
		kind := d.Get("kind")
		if kind == nil || kind.Kind != yamlx.ScalarNode || kind.Value == "" {
			return nil
		}
		if strings.HasSuffix(kind.Value, "List") {
			continue
		}
		name := d.Get("metadata").Get("name")
		if name == nil || name.Kind != yamlx.ScalarNode || name.Value == "" {
			return nil
		}
	}
	return docs
}

// inlineDocs returns the mappings an entry holds as YAML, or nil when it
// is a path (or not YAML).
func inlineDocs(n *yamlx.Node) []*yamlx.Node {
	if n.Kind != yamlx.ScalarNode || !strings.ContainsAny(n.Value, ":\n") {
		return nil
	}
	docs, err := yamlx.Parse(n.Pos.File, []byte(n.Value), yamlx.DefaultLimits)
	if err != nil {
		return nil
	}
	var out []*yamlx.Node
	for _, d := range docs {
		if d.Root == nil {
			continue
		}
		if d.Root.Kind != yamlx.MappingNode {
			return nil
		}
		out = append(out, d.Root)
	}
	return out
}

// checkPluginEntry checks an entry of generators, transformers or
// validators: an inline config, or a local file of configs. A folder is
// refused: its kustomization would be built into configs, which fluxtf
// does not follow.
func (l *loader) checkPluginEntry(u *kustUnit, dir string, item *yamlx.Node, at string) {
	if item.Kind != yamlx.ScalarNode || item.Value == "" {
		return // kustomize reports it
	}
	if docs := inlineResources(item); docs != nil {
		for _, d := range docs {
			// positions inside the string are not the file's: report at the entry
			l.checkPluginConfig(u, dir, d, item, at)
		}
		return
	}
	if inlineDocs(item) != nil {
		// YAML, but kustomize would read the text as a path (and fetch
		// or clone it when it looks remote)
		l.fail(item.Pos, at, "an inline generator, transformer or validator config needs a kind and a metadata.name: without them kustomize reads the text as a path; add them")
		u.bad = true
		return
	}
	path, ok := l.localRef(u, dir, item, at, item.Value)
	if !ok {
		return
	}
	switch exists, isDir := l.kind(path); {
	case !exists:
		l.fail(item.Pos, at, "kustomization lists %q, but %s %s", item.Value, path, l.missing(path))
		u.bad = true
	case isDir:
		l.fail(item.Pos, at, "%q is a folder: fluxtf reads generator, transformer and validator configs from files only; list the config files", item.Value)
		u.bad = true
	default:
		l.read[path] = true
		data, err := l.readFile(path)
		if err == nil && l.opts.Digests {
			l.sums[path] = sha256.Sum256(data)
		}
		var docs []yamlx.Document
		if err == nil {
			docs, err = yamlx.Parse(path, data, l.lim)
		}
		if err != nil {
			l.errs = append(l.errs, asErrList(path, err)...)
			u.bad = true
			return
		}
		for _, d := range docs {
			if d.Root != nil {
				l.checkPluginConfig(u, dir, d.Root, nil, "")
			}
		}
	}
}

// checkPluginConfig checks one generator, transformer or validator
// config: it must be one of kustomize's built-in plugins (fluxtf runs no
// plugin, function, container or program), and the files its fields name
// must be local and inside the root (paths are relative to the
// kustomization's folder, dir). Errors point at entry (an inline config)
// when set, else at the config's own lines.
func (l *loader) checkPluginConfig(u *kustUnit, dir string, cfg, entry *yamlx.Node, at string) {
	if cfg.Kind != yamlx.MappingNode {
		return // kustomize reports it
	}
	pos := func(n *yamlx.Node) *yamlx.Node {
		if entry != nil {
			return entry
		}
		return n
	}
	path := func(field string) string {
		if at == "" {
			return field
		}
		return at + "." + field
	}
	apiVersion, kind := cfg.Get("apiVersion").String(), cfg.Get("kind").String()
	if apiVersion != "builtin" {
		l.fail(pos(cfg).Pos, at, "%s (apiVersion %q) is not one of kustomize's built-in generators or transformers (apiVersion: builtin): fluxtf runs no kustomize plugins, functions, containers or programs", kindName(kind), apiVersion)
		u.bad = true
		return
	}
	u.inGenerator = kind == "ConfigMapGenerator" || kind == "SecretGenerator"
	defer func() { u.inGenerator = false }()
	fieldsOf(cfg, func(key string, k, v *yamlx.Node) {
		use, known := pluginFieldUse(kind, key)
		if !known {
			return // kustomize reports an unknown built-in
		}
		if entry != nil {
			// an inline config: every error at the entry's line
			k, v = withPos(k, entry.Pos), withPosDeep(v, entry.Pos)
		}
		l.checkUse(u, dir, use, k, v, path(k.Value))
	})
}

func kindName(kind string) string {
	if kind == "" {
		return "a config without a kind"
	}
	return kind
}

// withPos returns a copy of n at pos.
func withPos(n *yamlx.Node, pos yamlx.Pos) *yamlx.Node {
	c := *n
	c.Pos = pos
	return &c
}

// withPosDeep returns a copy of the tree n with every node at pos.
func withPosDeep(n *yamlx.Node, pos yamlx.Pos) *yamlx.Node {
	c := withPos(n, pos)
	if len(n.Content) > 0 {
		c.Content = make([]*yamlx.Node, len(n.Content))
		for i, ch := range n.Content {
			c.Content[i] = withPosDeep(ch, pos)
		}
	}
	return c
}
