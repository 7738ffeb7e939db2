package policies

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/parallel"
)

// State and contract facts in Go.
//
// The rules state-key-unique and module-contract read of every Terraform
// what the library derives in policies/lib/state.rego: where it keeps its
// state (lib.tf_state_keys), the shape of what module-contract checks of
// it (lib.tf_contract_shapes) and the Secrets the Terraforms write their
// outputs to (lib.secret_writers). Those were a third of the evaluation of
// a fleet, most of it in reading each Terraform; the engine computes them
// here, with the Terraforms' facts (facts.go), as input.facts'
// "tf_state_keys", "tf_contract_shapes" and "secret_writers". Each is
// given only with the Terraforms' facts ("tf", the files' not the
// baseline's).
// TestEngineStateFactsMatchTheLibrary holds them equal to the library's.

// Terms of the fields read here.
var (
	tBackendConfig, tCustomConfiguration = ast.StringTerm("backendConfig"), ast.StringTerm("customConfiguration")
	tDisable, tSecretSuffix, tWorkspace  = ast.StringTerm("disable"), ast.StringTerm("secretSuffix"), ast.StringTerm("workspace")
	tWriteOutputsToSecret, tOutputs      = ast.StringTerm("writeOutputsToSecret"), ast.StringTerm("outputs")
	tVarsFrom, tVarsKeys                 = ast.StringTerm("varsFrom"), ast.StringTerm("varsKeys")
	tTrue                                = ast.BooleanTerm(true)
)

// backendAttrNames are the attributes lib._backend_attrs reads of a
// backend block: its type and its location, in the order of the
// alternatives of its pattern,
//
//	(?m)^\s*(backend|bucket|key|prefix|storage_account_name|container_name|workspace_key_prefix)\s*=?\s*"([^"]*)"
//
// which eachBackendAttr matches without a regular expression (that
// pattern's FindAllStringSubmatch took half of the state facts' CPU on a
// fleet whose Terraforms all have a custom backend).
var backendAttrNames = [...]string{"backend", "bucket", "key", "prefix", "storage_account_name", "container_name", "workspace_key_prefix"}

// The indexes of backendAttrNames stateKey reads.
const (
	attrBackend = iota
	attrBucket
	attrKey
	attrPrefix
	attrStorageAccount
	attrContainer
	attrWorkspaceKeyPrefix
)

// eachBackendAttr calls fn with the index in backendAttrNames and the
// quoted value of every match of the pattern of backendAttrNames in c,
// in order (as its FindAllStringSubmatch finds them), until fn returns
// false. A match starts at a line start (^ of a multi-line pattern),
// where \s* may run over further lines; it cannot start within the
// spaces a failed attempt skipped (they lead to the same name), and the
// next one starts at a line after the previous match's closing quote.
// \s is RE2's: tab, newline, form feed, carriage return and space.
// TestEachBackendAttrMatchesThePattern holds it to the pattern.
func eachBackendAttr(c string, fn func(attr int, value string) bool) {
	for p := 0; ; {
		q := skipSpace(c, p)
		next := q
		if attr, value, end, ok := backendAttrAt(c, q); ok {
			if !fn(attr, value) {
				return
			}
			next = end
		}
		i := strings.IndexByte(c[next:], '\n')
		if i < 0 {
			return
		}
		p = next + i + 1
	}
}

// backendAttrAt matches name\s*=?\s*"value" at c[q:], name one of
// backendAttrNames (none is the prefix of another): end is the index
// after the closing quote.
func backendAttrAt(c string, q int) (attr int, value string, end int, ok bool) {
	for a, name := range backendAttrNames {
		if !strings.HasPrefix(c[q:], name) {
			continue
		}
		r := skipSpace(c, q+len(name))
		if r < len(c) && c[r] == '=' {
			r = skipSpace(c, r+1)
		}
		if r >= len(c) || c[r] != '"' {
			return 0, "", 0, false
		}
		j := strings.IndexByte(c[r+1:], '"')
		if j < 0 {
			return 0, "", 0, false
		}
		return a, c[r+1 : r+1+j], r + 2 + j, true
	}
	return 0, "", 0, false
}

// skipSpace is the index of the first byte of c from i that is not in
// RE2's \s.
func skipSpace(c string, i int) int {
	for i < len(c) {
		switch c[i] {
		case '\t', '\n', '\f', '\r', ' ':
			i++
		default:
			return i
		}
	}
	return i
}

// contractFilter is the json.filter of lib._contract_shape: the paths of
// a spec that module-contract reads as written.
var contractFilter = ast.NewObject(
	ast.Item(tPath, ast.NullTerm()), ast.Item(ast.StringTerm("tfVarsFiles"), ast.NullTerm()),
	ast.Item(ast.StringTerm("values"), ast.NullTerm()),
	ast.Item(tWriteOutputsToSecret, ast.ObjectTerm(ast.Item(tOutputs, ast.NullTerm()))),
)

// stateFacts adds to out the state and contract facts of the Terraforms'
// facts tf (each of the fast path: facts.go's terraform), on every CPU
// but for the Secrets' writers (which the shapes read); without contract,
// only the state facts ("tf_state_keys": fleetFacts).
func stateFacts(out inserter, tf []*ast.Term, contract bool) {
	specs := make([]ast.Object, len(tf))
	for i, f := range tf {
		specs[i] = f.Value.(ast.Object).Get(tSpec).Value.(ast.Object)
	}
	var writers ast.Object
	if contract {
		writers = secretWriters(tf, specs)
	}
	keys := make([]*ast.Term, len(tf))
	shapes := make([]*ast.Term, len(tf))
	chunks := min(runtime.GOMAXPROCS(0), max(1, len(tf)/factChunk))
	parallel.For(chunks, func(k int) {
		for i := k * len(tf) / chunks; i < (k+1)*len(tf)/chunks; i++ {
			f := tf[i]
			fo := f.Value.(ast.Object)
			ns, name := fo.Get(tNS), fo.Get(tName)
			if k, defined := stateKey(specs[i], ns, name); defined {
				keys[i] = ast.ArrayTerm(ast.StringTerm(k), f)
			}
			if contract {
				shapes[i] = ast.ArrayTerm(contractShape(f, specs[i], ns, writers), f)
			}
		}
	})
	out.Insert(ast.StringTerm("tf_state_keys"), ast.ArrayTerm(slices.DeleteFunc(keys, func(t *ast.Term) bool { return t == nil })...))
	if contract {
		out.Insert(ast.StringTerm("secret_writers"), ast.NewTerm(writers))
		out.Insert(ast.StringTerm("tf_contract_shapes"), ast.ArrayTerm(shapes...))
	}
}

// stateKey is lib.state_key of the fact of a Terraform with that spec,
// namespace and name (strings): the key and whether it is defined (not
// for a backend block giving one attribute two values).
func stateKey(spec ast.Object, nsTerm, nameTerm *ast.Term) (string, bool) {
	bo, _ := obj(spec.Get(tBackendConfig))
	var cfg *ast.Term
	disabled := false
	if bo != nil {
		cfg = bo.Get(tCustomConfiguration)
		d := bo.Get(tDisable)
		disabled = d != nil && d.Equal(tTrue)
	}
	if c, isStr := str(cfg); isStr && c != "" {
		if disabled {
			return "", false
		}
		var attrs [len(backendAttrNames)]string
		var seen [len(backendAttrNames)]bool
		conflict := false
		eachBackendAttr(c, func(a int, v string) bool {
			if seen[a] && attrs[a] != v {
				conflict = true
				return false
			}
			attrs[a], seen[a] = v, true
			return true
		})
		if conflict {
			return "", false
		}
		t := attrs[attrBackend]
		ws := workspace(spec)
		var loc string
		switch {
		case !seen[attrBackend]:
			return "", false
		case t == "s3" && ws == "default":
			loc = attrs[attrBucket] + "/" + attrs[attrKey]
		case t == "s3":
			// (lib._backend_location: another workspace's object key)
			prefix := "env:"
			if seen[attrWorkspaceKeyPrefix] {
				prefix = attrs[attrWorkspaceKeyPrefix]
			}
			loc = attrs[attrBucket] + "/" + prefix + "/" + ws + "/" + attrs[attrKey]
		case t == "gcs":
			loc = attrs[attrBucket] + "/" + attrs[attrPrefix]
		case t == "azurerm":
			loc = attrs[attrStorageAccount] + "/" + attrs[attrContainer] + "/" + attrs[attrKey]
		default:
			return "", false
		}
		return t + "://" + loc + " (workspace " + ws + ")", true
	}
	// (lib._custom_backend: a customConfiguration that is not "", a string
	// or not)
	if (cfg != nil && !cfg.Equal(ast.StringTerm(""))) || disabled {
		return "", false
	}
	ns, _ := str(nsTerm)
	suffix, _ := str(nameTerm)
	if bo != nil {
		if s, isStr := str(bo.Get(tSecretSuffix)); isStr && s != "" {
			suffix = s
		}
	}
	return "kubernetes://" + ns + "/" + suffix + " (workspace " + workspace(spec) + ")", true
}

// workspace is lib._workspace: spec.workspace when a non-empty string,
// else "default".
func workspace(spec ast.Object) string {
	if w, ok := str(spec.Get(tWorkspace)); ok && w != "" {
		return w
	}
	return "default"
}

// secretWriters is lib.secret_writers of the Terraforms' facts tf (and
// their specs):
// namespace/name -> [namespace/name, Terraform name, keys written], the
// first writer of each Secret.
func secretWriters(tf []*ast.Term, specs []ast.Object) ast.Object {
	writers := ast.NewObject()
	for i, f := range tf {
		fo := f.Value.(ast.Object)
		spec := specs[i]
		w, ok := obj(spec.Get(tWriteOutputsToSecret))
		if !ok {
			continue
		}
		n, ok := str(w.Get(tName))
		if !ok {
			continue
		}
		ns, _ := str(fo.Get(tNS))
		key := ast.StringTerm(ns + "/" + n)
		if writers.Get(key) != nil {
			continue // the first writer's
		}
		if ks := writtenKeys(w.Get(tOutputs), spec.Get(tPath)); ks != nil {
			writers.Insert(key, ast.ArrayTerm(key, fo.Get(tName), ks))
		}
	}
	return writers
}

// writtenKeys is lib._written: the keys a writeOutputsToSecret listing
// outputs writes (their aliases), or with none listed the outputs of the
// catalogue module at spec.path p; nil when unknown.
func writtenKeys(outputs, p *ast.Term) *ast.Term {
	if outputs != nil {
		if a, ok := outputs.Value.(*ast.Array); ok && a.Len() > 0 {
			ks := ast.NewSet()
			a.Foreach(func(o *ast.Term) {
				if s, ok := str(o); ok {
					ks.Add(ast.StringTerm(keyPair(s)[1]))
				}
			})
			return ast.NewTerm(ks)
		}
	}
	path, ok := str(p)
	if !ok {
		if p != nil {
			return nil
		}
		path = "" // object.get's default
	}
	return catalogueWritten()[ModulePathKey(path)]
}

// catalogueWritten is writtenKeys of each catalogue module with no outputs
// listed: the set of its outputs, by module key, made once and shared by
// the facts of every Terraform of that module (OPA changes no value it
// evaluates) instead of a set and its strings made for each
// (TestSecretWritersShareCatalogueKeys).
var catalogueWritten = sync.OnceValue(func() map[string]*ast.Term {
	out := map[string]*ast.Term{}
	for key, outs := range catalogueOutputs() {
		ks := ast.NewSet()
		for _, o := range outs {
			ks.Add(ast.StringTerm(o))
		}
		out[key] = ast.NewTerm(ks)
	}
	return out
})

// keyPair is lib.key_pair: [key, variable] of "key" or "key:var".
func keyPair(k string) [2]string {
	if parts := strings.Split(k, ":"); len(parts) == 2 {
		return [2]string{parts[0], parts[1]}
	}
	return [2]string{k, k}
}

// catalogueOutputs returns the output names of every catalogue module by
// module key, read once from the embedded catalogue the rules read
// (CatalogueFile).
var catalogueOutputs = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	src, err := Embedded.ReadFile(CatalogueFile)
	if err != nil {
		panic(fmt.Sprintf("embedded %s: %v", CatalogueFile, err))
	}
	m, err := ast.ParseModule(CatalogueFile, string(src))
	if err != nil {
		panic(fmt.Sprintf("embedded %s: %v", CatalogueFile, err))
	}
	for _, r := range m.Rules {
		if r.Head.Name != "modules" || r.Head.Value == nil {
			continue
		}
		mods, _ := obj(r.Head.Value)
		mods.Foreach(func(k, v *ast.Term) {
			key, _ := str(k)
			mo, _ := obj(v)
			outs, ok := obj(mo.Get(tOutputs))
			if !ok {
				return // object.keys of no object: no keys known
			}
			names := []string{}
			outs.Foreach(func(n, _ *ast.Term) {
				s, _ := str(n)
				names = append(names, s)
			})
			out[key] = names
		})
	}
	return out
})

// contractShape is lib._contract_shape of fact f (of the fast path, with
// that spec and namespace) with the Secrets' writers.
func contractShape(f *ast.Term, spec ast.Object, nsTerm *ast.Term, writers ast.Object) *ast.Term {
	var vshape []*ast.Term
	if vfs := spec.Get(tVarsFrom); vfs != nil {
		a, ok := vfs.Value.(*ast.Array)
		if !ok {
			return f
		}
		ns, _ := str(nsTerm)
		vshape = make([]*ast.Term, 0, a.Len())
		for i := range a.Len() {
			vf, ok := obj(a.Elem(i))
			if !ok {
				return f
			}
			kind, keys := vf.Get(tKind), vf.Get(tVarsKeys)
			name, isStr := str(vf.Get(tName))
			if kind == nil || keys == nil || !isStr {
				return f
			}
			w := writers.Get(ast.StringTerm(ns + "/" + name))
			if w == nil {
				return f
			}
			vshape = append(vshape, ast.ArrayTerm(kind, keys, w.Value.(*ast.Array).Elem(2)))
		}
	}
	filtered, err := spec.Filter(contractFilter)
	if err != nil {
		return f // json.filter's error: undefined
	}
	return ast.ArrayTerm(ast.NewTerm(filtered), f.Value.(ast.Object).Get(tY), ast.ArrayTerm(vshape...))
}
