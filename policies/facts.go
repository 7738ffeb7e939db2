package policies

import (
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/digx/fluxtf/internal/contract"
	"github.com/digx/fluxtf/internal/fastpath"
)

// Facts in Go.
//
// The rules' library derives a fact for every object (lib.all_facts in
// lib.rego: its key, the "x" shape of labels and fields the rules read, a
// Terraform's var layout "y" and source "src"), once per run, before the
// rules run: that derivation is serial, and was about a sixth of the
// evaluation of a fleet. The engine computes the same facts in Go while it
// builds the input (engineFacts, input.facts of the embedded rules' input
// only: user policies never see it) and the library takes them as they
// are when present. The library's derivation stays the reference: what
// FLUXTF_SLOW=facts (internal/fastpath) runs, what conftest and a
// hand-made input run, and what TestEngineFactsMatchTheLibrary holds these
// facts equal to (fixtures, realworld repositories, a generated fleet,
// odd objects).
//
// Go computes only the library's fast-path facts (_tf_fast, _git_fast:
// objects with the labels and fields a generated object has, all strings
// where the library would accept other types too). A list is given only
// when every object of its kind took that path: one odd Terraform leaves
// the Terraforms' facts to the library (the order of its facts, fast then
// slow, is then the library's own).

// factTiers is lib.tier_names and factEKSStack lib.eks_stack
// (TestFactConstantsMatchTheLibrary).
var factTiers = []string{"dev", "uat", "prod"}

const factEKSStack = "jeppesen-eks"

// engineFacts returns input.facts for the files and the baseline files
// (nil: none): {"tf", "git", "other"} of the files and their
// "baseline_" counterparts, each present only when Go computed it. It
// returns nil under FLUXTF_SLOW=facts.
func engineFacts(files, baseFiles *ast.Array) *ast.Term {
	if !fastpath.Enabled(fastpath.Facts) {
		return nil
	}
	facts := buildFacts(files, baseFiles)
	if facts != nil {
		fastpath.Hit(fastpath.Facts)
	}
	return facts
}

// buildFacts is engineFacts whatever FLUXTF_SLOW says.
func buildFacts(files, baseFiles *ast.Array) *ast.Term {
	out := ast.NewObject()
	fb := newFactBuilder()
	fb.side(out, "", files)
	if baseFiles != nil {
		fb.side(out, "baseline_", baseFiles)
	}
	if out.Len() == 0 {
		return nil
	}
	return ast.NewTerm(out)
}

// factBuilder builds facts, sharing the equal "x" and "y" values (as
// OPA's function cache shares the library's).
type factBuilder struct {
	shapes  map[string]*ast.Term
	layouts map[string]*ast.Term
	key     strings.Builder
}

func newFactBuilder() *factBuilder {
	return &factBuilder{shapes: map[string]*ast.Term{}, layouts: map[string]*ast.Term{}}
}

// Terms of the facts' keys.
var (
	tKind, tName, tNS, tKey, tSpec = ast.StringTerm("kind"), ast.StringTerm("name"), ast.StringTerm("ns"), ast.StringTerm("key"), ast.StringTerm("spec")
	tR, tX, tY, tVS, tSrc, tAPI    = ast.StringTerm("r"), ast.StringTerm("x"), ast.StringTerm("y"), ast.StringTerm("vs"), ast.StringTerm("src"), ast.StringTerm("api")
	tPath, tObj                    = ast.StringTerm("path"), ast.StringTerm("obj")
	tTerraform, tGitRepository     = ast.StringTerm("Terraform"), ast.StringTerm("GitRepository")
)

// record is a document of a file, as the library's records are.
type record struct {
	path, obj *ast.Term
	kind      string
}

// side adds to out the facts of files under prefix ("" or "baseline_"),
// or nothing when the files are not as the engine makes them (a path that
// is not a string, a document that is a list).
func (fb *factBuilder) side(out ast.Object, prefix string, files *ast.Array) {
	var recs []record
	ok := true
	files.Foreach(func(f *ast.Term) {
		if !ok {
			return
		}
		fo, isObj := f.Value.(ast.Object)
		if !isObj {
			ok = false
			return
		}
		p, c := fo.Get(tPath), fo.Get(ast.StringTerm("contents"))
		if p == nil || c == nil {
			ok = false
			return
		}
		if _, isStr := p.Value.(ast.String); !isStr {
			ok = false
			return
		}
		docs := []*ast.Term{c}
		if a, isArr := c.Value.(*ast.Array); isArr {
			docs = docs[:0]
			a.Foreach(func(d *ast.Term) {
				if _, nested := d.Value.(*ast.Array); nested {
					ok = false // array.flatten would flatten it too
				}
				docs = append(docs, d)
			})
		}
		for _, d := range docs {
			o, isObj := d.Value.(ast.Object)
			if !isObj {
				continue
			}
			k, isStr := str(o.Get(tKind))
			if !isStr || k == "" {
				continue
			}
			recs = append(recs, record{path: p, obj: d, kind: k})
		}
	})
	if !ok {
		return
	}
	var tf, git, other []*ast.Term
	tfOK, gitOK := true, true
	byKind := map[string][]*ast.Term{}
	for _, r := range recs {
		switch r.kind {
		case "Terraform":
			if tfOK {
				f := fb.terraform(r)
				tfOK = f != nil
				tf = append(tf, f)
			}
		case "GitRepository":
			if gitOK {
				f := fb.gitRepository(r)
				gitOK = f != nil
				git = append(git, f)
			}
		default:
			byKind[r.kind] = append(byKind[r.kind], fb.other(r))
		}
	}
	if tfOK {
		out.Insert(ast.StringTerm(prefix+"tf"), ast.ArrayTerm(tf...))
	}
	if gitOK {
		out.Insert(ast.StringTerm(prefix+"git"), ast.ArrayTerm(git...))
	}
	// the library lists the other kinds in key order
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		other = append(other, byKind[k]...)
	}
	out.Insert(ast.StringTerm(prefix+"other"), ast.ArrayTerm(other...))
}

// str returns t's string, if it is one.
func str(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// obj returns t's object, if it is one.
func obj(t *ast.Term) (ast.Object, bool) {
	if t == nil {
		return nil, false
	}
	o, ok := t.Value.(ast.Object)
	return o, ok
}

// get returns o's field k.
func get(o ast.Object, k string) *ast.Term { return o.Get(ast.StringTerm(k)) }

// orEmpty is lib._s: the string, else "".
func orEmpty(t *ast.Term) *ast.Term {
	if _, ok := str(t); ok {
		return t
	}
	return ast.StringTerm("")
}

// recordTerm is the library's record of r: {"path", "obj"}.
func recordTerm(r record) *ast.Term {
	return ast.ObjectTerm(ast.Item(tPath, r.path), ast.Item(tObj, r.obj))
}

// meta returns the name and namespace of an object, when both are
// strings.
func meta(o ast.Object) (m ast.Object, name, ns string, ok bool) {
	m, ok = obj(get(o, "metadata"))
	if !ok {
		return nil, "", "", false
	}
	name, ok1 := str(get(m, "name"))
	ns, ok2 := str(get(m, "namespace"))
	return m, name, ns, ok1 && ok2
}

func isTier(t string) bool { return slices.Contains(factTiers, t) }

// terraform is _tf_fast's fact of r, or nil when the library's fast path
// would not take it (or Go leaves it to the library).
func (fb *factBuilder) terraform(r record) *ast.Term {
	o := r.obj.Value.(ast.Object)
	m, name, ns, ok := meta(o)
	if !ok {
		return nil
	}
	l, ok := obj(get(m, "labels"))
	if !ok {
		return nil
	}
	var lv [5]string
	for i, k := range []string{contract.LabelTier, contract.LabelComponent, contract.LabelTarget, contract.LabelStack, contract.LabelAccount} {
		if lv[i], ok = str(get(l, k)); !ok {
			return nil
		}
	}
	tier, comp, target, stack, account := lv[0], lv[1], lv[2], lv[3], lv[4]
	if !isTier(tier) || comp == "" {
		return nil
	}
	spec := get(o, "spec")
	s, ok := obj(spec)
	if !ok {
		return nil
	}
	path, ok := str(get(s, "path"))
	if !ok {
		return nil
	}
	sr, ok := obj(get(s, "sourceRef"))
	if !ok {
		return nil
	}
	sk, ok1 := str(get(sr, "kind"))
	sns, ok2 := str(get(sr, "namespace"))
	sn, ok3 := str(get(sr, "name"))
	if !ok1 || !ok2 || !ok3 || sk == "" || sns == "" || sn == "" {
		return nil
	}
	api := get(o, "apiVersion")
	if api == nil {
		return nil
	}
	quiet := false
	if a := get(s, "approvePlan"); a != nil {
		v, _ := str(a)
		quiet = v == "auto" || v == "disable"
	}
	vs := get(s, "vars")
	if vs == nil {
		return nil
	}
	va, ok := vs.Value.(*ast.Array)
	if !ok || va.Len() == 0 {
		return nil
	}
	names := make([]string, 0, va.Len())
	for i := range va.Len() {
		e, ok := obj(va.Elem(i))
		if !ok {
			return nil
		}
		n, ok := str(get(e, "name"))
		if !ok {
			return nil
		}
		names = append(names, n)
	}
	x := fb.tfShape(tier, comp, target, stack, account, path, sk, sns, quiet, api)
	y := fb.layout(names)
	key := ast.StringTerm("Terraform/" + ns + "/" + name)
	src := ast.ObjectTerm(
		ast.Item(tKind, ast.StringTerm(sk)), ast.Item(ast.StringTerm("namespace"), ast.StringTerm(sns)),
		ast.Item(tName, ast.StringTerm(sn)), ast.Item(tKey, ast.StringTerm(sk+"/"+sns+"/"+sn)),
	)
	return ast.ObjectTerm(
		ast.Item(tR, recordTerm(r)), ast.Item(tKind, tTerraform), ast.Item(tName, get(m, "name")),
		ast.Item(tNS, get(m, "namespace")), ast.Item(tKey, key), ast.Item(tSpec, spec),
		ast.Item(tX, x), ast.Item(tVS, vs), ast.Item(tY, y), ast.Item(tSrc, src),
	)
}

// tfShape is _tf_shape's "x", one term per distinct value.
func (fb *factBuilder) tfShape(tier, comp, target, stack, account, path, sk, sns string, quiet bool, api *ast.Term) *ast.Term {
	fb.key.Reset()
	for _, s := range []string{tier, comp, target, stack, account, path, sk, sns, api.String()} {
		fb.key.WriteString(s)
		fb.key.WriteByte(0)
	}
	if quiet {
		fb.key.WriteByte(1)
	}
	if x, ok := fb.shapes[fb.key.String()]; ok {
		return x
	}
	eks := stack == factEKSStack || strings.Contains(path, factEKSStack)
	x := ast.ObjectTerm(
		ast.Item(ast.StringTerm("tier"), ast.StringTerm(tier)),
		ast.Item(ast.StringTerm("comp"), ast.StringTerm(comp)),
		ast.Item(ast.StringTerm("base"), ast.BooleanTerm(comp == "eks" || comp == "base")),
		ast.Item(ast.StringTerm("target"), ast.StringTerm(target)),
		ast.Item(ast.StringTerm("stack"), ast.StringTerm(stack)),
		ast.Item(ast.StringTerm("account"), ast.StringTerm(account)),
		ast.Item(ast.StringTerm("eks"), ast.BooleanTerm(eks)),
		ast.Item(ast.StringTerm("quiet"), ast.BooleanTerm(quiet)),
		ast.Item(ast.StringTerm("source_kind"), ast.StringTerm(sk)),
		ast.Item(ast.StringTerm("source_ns"), ast.StringTerm(sns)),
		ast.Item(tAPI, api),
	)
	fb.shapes[fb.key.String()] = x
	return x
}

// layout is _named_layout's "y" of the var names, one term per distinct
// list.
func (fb *factBuilder) layout(names []string) *ast.Term {
	fb.key.Reset()
	for _, n := range names {
		fb.key.WriteString(n)
		fb.key.WriteByte(0)
	}
	if y, ok := fb.layouts[fb.key.String()]; ok {
		return y
	}
	vm := ast.NewObject()
	secret := false
	for i, n := range names {
		vm.Insert(ast.StringTerm(n), ast.IntNumberTerm(i)) // the last of a name wins
		secret = secret || contract.SecretName(n)
	}
	y := ast.ObjectTerm(
		ast.Item(ast.StringTerm("n"), ast.IntNumberTerm(len(names))),
		ast.Item(ast.StringTerm("vm"), ast.NewTerm(vm)),
		ast.Item(ast.StringTerm("secret"), ast.BooleanTerm(secret)),
	)
	fb.layouts[fb.key.String()] = y
	return y
}

// gitRepository is _git_fast's fact of r, or nil.
func (fb *factBuilder) gitRepository(r record) *ast.Term {
	o := r.obj.Value.(ast.Object)
	m, name, ns, ok := meta(o)
	if !ok {
		return nil
	}
	l, ok := obj(get(m, "labels"))
	if !ok {
		return nil
	}
	tier, ok := str(get(l, contract.LabelTier))
	if !ok || !isTier(tier) {
		return nil
	}
	stack := get(l, contract.LabelStack)
	spec := get(o, "spec")
	s, ok := obj(spec)
	api := get(o, "apiVersion")
	if stack == nil || !ok || api == nil {
		return nil
	}
	url, ref := get(s, "url"), get(s, "ref")
	if url == nil || ref == nil {
		return nil
	}
	if _, ok := obj(ref); !ok {
		ref = ast.ObjectTerm()
	}
	x := ast.ObjectTerm(
		ast.Item(ast.StringTerm("tier"), ast.StringTerm(tier)),
		ast.Item(ast.StringTerm("stack"), orEmpty(stack)),
		ast.Item(tAPI, api),
		ast.Item(ast.StringTerm("url"), url),
		ast.Item(ast.StringTerm("ref"), ref),
	)
	return ast.ObjectTerm(
		ast.Item(tR, recordTerm(r)), ast.Item(tKind, tGitRepository), ast.Item(tName, get(m, "name")),
		ast.Item(tNS, get(m, "namespace")), ast.Item(tKey, ast.StringTerm("GitRepository/"+ns+"/"+name)),
		ast.Item(tSpec, spec), ast.Item(tX, x),
	)
}

// other is _other_facts' fact of r (a kind other than Terraform and
// GitRepository).
func (fb *factBuilder) other(r record) *ast.Term {
	o := r.obj.Value.(ast.Object)
	var name, ns string
	if m, ok := obj(get(o, "metadata")); ok {
		name, _ = str(get(m, "name"))
		ns, _ = str(get(m, "namespace"))
	}
	api := get(o, "apiVersion")
	if api == nil {
		api = ast.NullTerm()
	}
	return ast.ObjectTerm(
		ast.Item(tR, recordTerm(r)), ast.Item(tKind, ast.StringTerm(r.kind)), ast.Item(tAPI, api),
		ast.Item(tName, ast.StringTerm(name)), ast.Item(tNS, ast.StringTerm(ns)),
		ast.Item(tKey, ast.StringTerm(r.kind+"/"+ns+"/"+name)),
	)
}
