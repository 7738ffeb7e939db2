package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/digx/fluxtf/internal/yamlx"
	"github.com/digx/fluxtf/templates"
)

// LoadOptions say where specs and templates come from.
type LoadOptions struct {
	// SpecsDir holds <env>.yaml files and an optional defaults.yaml.
	SpecsDir string
	// Templates is the template data; nil means the embedded set.
	Templates *templates.Set
}

func (o LoadOptions) templates() *templates.Set {
	if o.Templates == nil {
		return templates.Embedded()
	}
	return o.Templates
}

// Loaded is one environment read from its spec, with everything needed to
// expand it and to point errors at the right line.
type Loaded struct {
	// Env is the decoded spec with tier and file defaults applied.
	Env Environment
	// File is the environment's spec file.
	File string
	// Tree is the merged YAML tree Env was decoded from; each node keeps the
	// position of the file that supplied it. Nil once compacted (Build
	// with FilesOnly or SumsOnly): Origin then reads keys instead.
	Tree *yamlx.Node
	// keys are the positions of Tree's keys in the files the user edits
	// (userFile), all Origin reads of it, once Tree is dropped (compact)
	keys *yamlx.KeyIndex
	// Stack is the module catalogue the environment uses.
	Stack *templates.Stack
	// expanded caches the objects Origin built, by path (nil: the
	// environment renders nothing there).
	expanded map[string]any
}

// CheckEnvName refuses names that are not DNS-1123 labels, which also keeps
// path separators and ".." out of file and folder names.
func CheckEnvName(name string) error {
	if !dnsLabel.MatchString(name) || len(name) > 63 {
		return fmt.Errorf("environment name %q is not valid: use lower-case letters, digits and '-' (a DNS-1123 label), for example uat", name)
	}
	return nil
}

// ListEnvironments returns the environment names in a specs folder: every
// <name>.yaml except defaults.yaml, sorted.
func ListEnvironments(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("specs folder %s does not exist; pass --specs DIR or run fluxtf init", dir)
		}
		return nil, fmt.Errorf("specs folder %s: %w", dir, err)
	}
	var names []string
	var misnamed []error
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") {
			continue
		}
		if ext := filepath.Ext(n); ext != ".yaml" && (strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml")) {
			// stage.yml would be skipped silently: nothing rendered,
			// and check passing without the environment
			misnamed = append(misnamed, &yamlx.Error{Pos: yamlx.Pos{File: filepath.Join(dir, n)}, Msg: fmt.Sprintf("fluxtf reads specs named <name>.yaml only, so it would skip this file; rename it to %s", strings.TrimSuffix(n, ext)+".yaml")})
			continue
		}
		if !strings.HasSuffix(n, ".yaml") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if err := specLink(dir, n); err != nil {
				misnamed = append(misnamed, err)
				continue
			}
		}
		if n != DefaultsFile {
			names = append(names, strings.TrimSuffix(n, ".yaml"))
		}
	}
	if len(misnamed) > 0 {
		return nil, errors.Join(misnamed...)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("specs folder %s has no environment files (<name>.yaml)", dir)
	}
	return names, nil
}

// specLink returns an error when the file name of the specs folder dir
// is a symbolic link leading out of dir, else nil (a file that cannot be
// resolved is reported when it is read). A spec is read in full and its
// text quoted in errors (unknown field "TOKEN", got "..."), so a link to
// a file elsewhere on the machine (a CI runner's credentials) would print
// it; as a folder walk of manifests, the specs folder reads nothing
// outside itself.
func specLink(dir, name string) error {
	file := filepath.Join(dir, name)
	real, err := filepath.EvalSymlinks(file)
	if err != nil {
		return nil
	}
	top, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	if rel, err := filepath.Rel(top, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil
	}
	return &yamlx.Error{Pos: yamlx.Pos{File: file}, Msg: fmt.Sprintf("is a symbolic link to %s, outside %s; fluxtf reads nothing outside the specs folder, remove the link or copy the file", real, dir)}
}

// LoadAll loads every environment of the specs folder. It reports the
// errors of all environments together.
func LoadAll(opts LoadOptions) ([]*Loaded, error) {
	names, err := ListEnvironments(opts.SpecsDir)
	if err != nil {
		return nil, err
	}
	var out []*Loaded
	var errs []error
	shared := &memo{}
	for _, n := range names {
		if err := CheckEnvName(n); err != nil {
			errs = append(errs, specNameError(opts.SpecsDir, n, err))
			continue
		}
		l, err := load(opts, n, shared)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, l)
	}
	if len(errs) > 0 {
		return nil, joinUnique(errs)
	}
	return out, nil
}

// joinUnique joins errors, leaving out repeats of the same message (a bad
// defaults.yaml or catalogue fails every environment the same way).
func joinUnique(errs []error) error {
	seen := map[string]bool{}
	var out []error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if msg := err.Error(); !seen[msg] {
			seen[msg] = true
			out = append(out, err)
		}
	}
	return errors.Join(out...)
}

// memo shares, between the environments of one run, what they all read
// alike: defaults.yaml, the tier defaults and the stack catalogues. Each
// is parsed once instead of once per environment. The values are never
// modified (yamlx.Merge builds new trees). A nil *memo computes every
// time.
type memo struct {
	mu sync.Mutex
	m  map[string]*memoEntry
}

type memoEntry struct {
	once sync.Once
	v    any
	err  error
}

func (c *memo) get(key string, f func() (any, error)) (any, error) {
	if c == nil {
		return f()
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*memoEntry{}
	}
	e := c.m[key]
	if e == nil {
		e = &memoEntry{}
		c.m[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.v, e.err = f() })
	return e.v, e.err
}

// Load reads one environment: its file merged over defaults.yaml merged
// over the tier defaults, decoded strictly and checked. The environment
// may be named by the user (approve --env), so a spec file that is a
// symbolic link out of the specs folder is refused as ListEnvironments
// refuses it (defaults.yaml: readDefaults).
func Load(opts LoadOptions, name string) (*Loaded, error) {
	if err := CheckEnvName(name); err != nil {
		return nil, err
	}
	if err := specLink(opts.SpecsDir, name+".yaml"); err != nil {
		return nil, err
	}
	return load(opts, name, nil)
}

func load(opts LoadOptions, name string, shared *memo) (*Loaded, error) {
	if err := CheckEnvName(name); err != nil {
		return nil, err
	}
	file := filepath.Join(opts.SpecsDir, name+".yaml")
	envRoot, err := readSpecDoc(file, true)
	if err != nil {
		return nil, err
	}
	defaultsFile := filepath.Join(opts.SpecsDir, DefaultsFile)
	v, err := shared.get("defaults", func() (any, error) { return readDefaults(defaultsFile) })
	if err != nil {
		return nil, err
	}
	defaults := v.(*yamlx.Node)
	tier := envRoot.Get("tier").String()
	if tier == "" {
		tier = envRoot.Get("name").String()
	}
	tset := opts.templates()
	var tierDefaults *yamlx.Node
	if Tier(tier).Valid() {
		v, err := shared.get("tier:"+tier, func() (any, error) { return tset.TierDefaults(tier) })
		if err != nil {
			return nil, fmt.Errorf("tier defaults: %w", err)
		}
		tierDefaults = v.(*yamlx.Node)
	}
	// The stack decides which parts of defaults.yaml apply and which spec
	// fields the environment takes, so it is read first.
	stackName := stackOf(envRoot, defaults, tierDefaults)
	v, stackErr := shared.get("stack:"+stackName, func() (any, error) { return tset.Stack(stackName) })
	stack, _ := v.(*templates.Stack)
	if stackErr != nil && yamlx.AsList(stackErr) != nil {
		return nil, stackErr // the catalogue itself is broken
	}
	v, err = shared.get("defaults:"+stackName, func() (any, error) { return scopeDefaults(defaults, stackName) })
	if err != nil {
		return nil, err
	}
	defaults, _ = v.(*yamlx.Node)
	if stack != nil {
		tierDefaults = stripForeign(tierDefaults, stack)
	}
	tree := yamlx.Merge(yamlx.Merge(tierDefaults, defaults), envRoot)
	l := &Loaded{File: file, Tree: tree}
	// A decoding error (an unknown field, a wrong type) leaves that field
	// unset and the rest decoded: the checks still run, so one run
	// reports every error of the spec (specErrors drops the checks' errors
	// about fields that did not decode).
	var decodeErrs yamlx.ErrorList
	if err := yamlx.Decode(tree, &l.Env); err != nil {
		if decodeErrs = yamlx.AsList(err); decodeErrs == nil {
			return nil, err
		}
	}
	applyDefaults(&l.Env)
	if stack != nil && l.Env.Source.URL == "" {
		l.Env.Source.URL = stack.SourceURL
	}
	c := &checker{file: file, defaults: defaultsFile, tree: tree, root: envRoot, stack: stack, set: tset, envName: name}
	if c.versions, c.regions, err = awsFacts(tset, shared); err != nil {
		return nil, err
	}
	c.environment(&l.Env, name)
	if stackErr != nil {
		c.errs = append(c.errs, c.wrap("stack", stackErr))
		return nil, specErrors(decodeErrs, c.errs)
	}
	l.Stack = stack
	c.stackFields(&l.Env, stack, tset)
	c.targetKinds(&l.Env, stack)
	if stack.TakesField("functionApp") {
		v, err := shared.get("functions-python", func() (any, error) { return tset.FunctionsPython() })
		if err != nil {
			return nil, err
		}
		c.functionApp(l.Env.FunctionApp, v.(*templates.PythonRuntimes))
	}
	c.components(&l.Env, stack)
	c.contract(&l.Env, stack)
	c.backend(&l.Env)
	c.accounts(&l.Env)
	c.targetAccounts(&l.Env)
	c.runner(&l.Env.Terraform)
	if stack.TakesField("terraform.runnerAccess") {
		c.runnerAccess(&l.Env)
	}
	c.stateKeys(&l.Env, stack)
	c.approvals(&l.Env, stack)
	c.moves(&l.Env)
	if err := specErrors(decodeErrs, c.errs); err != nil {
		return nil, err
	}
	return l, nil
}

// awsFacts loads the EKS release calendar and the AWS region list of the
// templates (once per run).
func awsFacts(tset *templates.Set, shared *memo) (*templates.EKSVersions, *templates.Regions, error) {
	v, err := shared.get("eks-versions", func() (any, error) { return tset.EKSVersions() })
	if err != nil {
		return nil, nil, err
	}
	r, err := shared.get("aws-regions", func() (any, error) { return tset.Regions() })
	if err != nil {
		return nil, nil, err
	}
	return v.(*templates.EKSVersions), r.(*templates.Regions), nil
}

// readDefaults reads a specs folder's optional defaults.yaml; nil when
// there is none.
func readDefaults(file string) (*yamlx.Node, error) {
	info, err := os.Lstat(file)
	if err != nil {
		return nil, nil
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if err := specLink(filepath.Dir(file), filepath.Base(file)); err != nil {
			return nil, err
		}
	}
	defaults, err := readSpecDoc(file, false)
	if err != nil || defaults == nil {
		return nil, err
	}
	for _, key := range []string{"name", "tier", "apiVersion", "kind", "moved"} {
		if k, _ := defaults.KeyPos(key); defaults.Get(key) != nil {
			return nil, &yamlx.Error{Pos: k, Path: key, Msg: key + " belongs in each environment's own file, not in " + DefaultsFile}
		}
	}
	return defaults, nil
}

// readSpecDoc parses a file that must hold exactly one YAML mapping.
func readSpecDoc(file string, required bool) (*yamlx.Node, error) {
	docs, err := yamlx.ParseFile(file, yamlx.DefaultLimits)
	if err != nil {
		var ye *yamlx.Error
		if errors.As(err, &ye) && ye.Msg == "no such file" && required {
			ye.Msg = "no such environment spec; create it or pick one of the files in " + filepath.Dir(file)
		}
		return nil, err
	}
	var roots []*yamlx.Node
	for _, d := range docs {
		if d.Root != nil {
			roots = append(roots, d.Root)
		}
	}
	switch {
	case len(roots) == 0 && required:
		return nil, &yamlx.Error{Pos: yamlx.Pos{File: file, Line: 1}, Msg: "file is empty; an environment spec starts with apiVersion: " + SpecAPIVersion}
	case len(roots) == 0:
		return nil, nil
	case len(roots) > 1:
		return nil, &yamlx.Error{Pos: roots[1].Pos, Msg: "one environment per file: remove the second YAML document"}
	case roots[0].Kind != yamlx.MappingNode:
		return nil, &yamlx.Error{Pos: roots[0].Pos, Msg: "expected a mapping (key: value lines), got a " + roots[0].Kind.String()}
	}
	return roots[0], nil
}

// applyDefaults fills what neither the tier defaults nor the spec set, so a
// templates override that drops a key still yields a complete environment.
func applyDefaults(e *Environment) {
	if e.Tier == "" && Tier(e.Name).Valid() {
		e.Tier = Tier(e.Name)
	}
	if e.Stack == "" {
		e.Stack = DefaultStack
	}
	if e.Namespace == "" {
		e.Namespace = DefaultNamespace
	}
	if e.Source.Interval == nil {
		e.Source.Interval = &Duration{10 * time.Minute}
	}
	t := &e.Terraform
	if t.Interval == nil {
		t.Interval = &Duration{10 * time.Minute}
	}
	if t.ServiceAccountName == "" {
		t.ServiceAccountName = "tf-runner"
	}
	if t.AssumeRole == "" {
		t.AssumeRole = "flux-terraform"
	}
}
