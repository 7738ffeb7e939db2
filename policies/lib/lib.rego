# Package fluxtf.lib is the shared library of the embedded fluxtf rules
# (docs/policies.md is the contract it implements).
#
# It turns the three input shapes into one set of records
# {"path": p, "obj": doc}:
#
#   - fluxtf:           {"files": [{path, contents}], "baseline": [...], "context": {...}}
#   - conftest combine: [{"path": p, "contents": doc or [doc, ...]}]
#   - conftest single:  one document
#
# and offers the lookups every rule shares: objects by kind and by key
# (kind/namespace/name), baseline twins, tier, component, stack, Terraform
# vars, source references, version parsing and the result object.
#
# Performance: the engine evaluates all rules once over up to ~20,000
# documents. Every index below is built once per evaluation; groupings use
# OPA's comprehension indexing (a comprehension closing over one outer
# variable compared with ==), so they stay linear.
package fluxtf.lib

# ---------------------------------------------------------------------------
# Names from the contract (internal/contract spells the same strings).

label_environment := "fluxtf.io/environment"

label_tier := "fluxtf.io/tier"

label_stack := "fluxtf.io/stack"

label_target := "fluxtf.io/target"

label_account := "fluxtf.io/account"

label_region := "fluxtf.io/region"

label_component := "fluxtf.io/component"

annotation_migration_guide := "fluxtf.io/migration-guide"

annotation_migration := "fluxtf.io/migration"

annotation_moved_from := "fluxtf.io/moved-from"

eks_stack := "jeppesen-eks"

tier_names := {"dev", "uat", "prod"}

# higher_tiers lists, nearest first, the tiers a version must have run in
# before it reaches the key's tier.
higher_tiers := {"dev": [], "uat": ["dev"], "prod": ["uat", "dev"]}

# ---------------------------------------------------------------------------
# Input shapes.

# fluxtf_shape: the engine's object {"files": [...], "baseline": [...], "context": {...}}.
fluxtf_shape if {
	is_object(input)
	is_array(input.files)
}

# combined: conftest --combine, an array of {path, contents}.
combined if is_array(input)

# single_document: plain conftest, one document as input. Rules that need
# the whole set (reference resolution) skip their look-ups in this mode.
single_document if {
	is_object(input)
	not fluxtf_shape
}

default input_files := []

input_files := input.files if fluxtf_shape

input_files := [_as_file(x) | some x in input] if combined

input_files := [{"path": "", "contents": input}] if single_document

_as_file(x) := {"path": _str(object.get(x, "path", "")), "contents": x.contents} if {
	is_object(x)
	"contents" in object.keys(x)
}

_as_file(x) := {"path": "", "contents": x} if {
	not _is_wrapper(x)
}

_is_wrapper(x) if {
	is_object(x)
	"contents" in object.keys(x)
}

_str(x) := x if is_string(x)

_str(x) := "" if not is_string(x)

# _record_list turns a list of {path, contents} into records, in input
# order (a document given twice is listed twice); anything that is not an
# object with a non-empty string kind is skipped. A file's contents is one
# document or a list of documents: array.flatten([c]) is c when it is a
# list, else [c].
_record_list(files) := [{"path": p, "obj": d} |
	some f in files
	c := f.contents
	p := _s(object.get(f, "path", ""))
	some d in array.flatten([c])
	is_string(d.kind)
	d.kind != ""
]

# record_list: every object under check, in input order (a document given
# twice is listed twice).
record_list := _record_list(input_files)

# records: every object under check, as {"path": p, "obj": doc}.
records := {r | some r in record_list}

# has_baseline: a baseline was given (it may be empty).
has_baseline if {
	fluxtf_shape
	is_array(input.baseline)
}

default baseline_record_list := []

baseline_record_list := _record_list(input.baseline) if has_baseline

default baseline_records := set()

baseline_records := {r | some r in baseline_record_list} if has_baseline

# context: input.context of the fluxtf shape, else {}.
default context := {}

context := input.context if {
	fluxtf_shape
	is_object(input.context)
}

# fleet_summaries: what the rules that compare environments with each
# other (release-order, promotion-order, migration-marker-stale,
# state-key-unique, account-by-tier, prod-removal) read of the whole fleet,
# when the engine evaluates the rules in batches of environments: each
# such rule's fleet_summary, merged over every batch (sets joined, lists
# concatenated), by rule package (context.fleet). Each of those rules
# judges its objects by its fleet_summary computed over the input when
# none is given (one evaluation, conftest), else by the merged one, so
# that a batch's findings are those of one evaluation over the whole
# fleet.
fleet_summaries := s if {
	s := context.fleet
	is_object(s)
}

# no_credential_hint: the engine found no string in the input (a key or a
# value, at any depth) that may hold a credential (context.noCredentialHint:
# none contains a keyword of no-inline-secrets' detectors, plainly or
# base64-encoded, nor a run of 40 base64 characters), so no-inline-secrets
# need not search the specs and annotations for one.
no_credential_hint if context.noCredentialHint == true

# keys_in_lists: context.keysInLists, the keys of every mapping in a list
# (every key inside a Terraform var's value is one), when the engine gave
# them; undefined under conftest.
keys_in_lists := k if {
	k := context.keysInLists
	is_array(k)
}

# repository_url: the normalised URL of the repository being checked, when known.
repository_url := u if {
	raw := context.repositoryURL
	is_string(raw)
	u := normalize_url(raw)
	u != ""
}

# ---------------------------------------------------------------------------
# Object accessors. A missing metadata.namespace counts as "" everywhere.

name(o) := n if {
	n := o.metadata.name
	is_string(n)
} else := ""

namespace(o) := n if {
	n := o.metadata.namespace
	is_string(n)
} else := ""

api_version(o) := v if {
	v := o.apiVersion
	is_string(v)
} else := ""

kind(o) := k if {
	k := o.kind
	is_string(k)
} else := ""

labels(o) := l if {
	l := o.metadata.labels
	is_object(l)
} else := {}

annotations(o) := a if {
	a := o.metadata.annotations
	is_object(a)
} else := {}

# label(o, k): the label's value when it is a non-empty string.
label(o, k) := v if {
	v := labels(o)[k]
	is_string(v)
	v != ""
}

# annotation(o, k): the annotation's value when it is a non-empty string.
annotation(o, k) := v if {
	v := annotations(o)[k]
	is_string(v)
	trim_space(v) != ""
}

# label_field names a label in the contract's field notation.
label_field(k) := sprintf("metadata.labels[%s]", [k])

# key identifies an object: kind/namespace/name.
key(o) := ref_key(kind(o), namespace(o), name(o))

ref_key(k, ns, n) := sprintf("%s/%s/%s", [k, ns, n])

# ---------------------------------------------------------------------------
# Facts, computed once per object.
#
# Rules iterate these lists instead of the records: each object's name,
# namespace, key, labels, tier, component and (for a Terraform) its vars
# indexed by name are read once here, so that rules compare values instead
# of calling functions on whole objects. A fact is an object with
#
#   "r":    the record {"path", "obj"}
#   "kind", "name", "ns" (namespace), "key" (kind/namespace/name)
#
# and, for other kinds than Terraform and GitRepository,
#
#   "api":  apiVersion (null when absent; it may not be a string)
#
# and, for Terraforms and GitRepositories,
#
#   "spec": spec (null when absent; it may not be an object)
#   "x":    what the labels (and a few other fields) say:
#           "tier":  tier(obj), or "" when it has none
#           "stack": label fluxtf.io/stack, or "" (stack_of(f) has the fallbacks)
#           "api":   apiVersion (null when absent; it may not be a string)
#
# A Terraform's "x" also has
#
#   "comp":    component(obj) or ""      "base":   is_base(obj)
#   "target":  target(obj) or ""         "eks":    is_eks_terraform(obj)
#   "account": label fluxtf.io/account, or "" (account(obj) has the fallback)
#   "quiet":   spec.approvePlan is "auto" or "disable"
#
# and a Terraform also carries
#
#   "vs":  vars(obj)
#   "y":   {"vm": var name -> index of its last entry,
#           "secret": some var name looks secret (secret_name)}
#   "src": source_ref(obj) or null
#
# and a GitRepository's "x" also has
#
#   "ref": git_ref(obj)                  "url": spec.url (null when absent)
#
# Facts are lists in no particular order: a document given twice has two
# facts (the rules' results are sets, so that makes no difference).
#
# Cost: OPA spends about a microsecond on each expression, more on a
# function call (several on one with many arguments) and most on the first
# read of an object of the input. So each object is read once, here, and
# the facts of a generated object, which carries every label, are read on a
# fast path: what its labels say and the names of its vars repeat from
# object to object, and the functions of them (_tf_shape, _layout) run once
# per distinct value, OPA caching a function's result by its arguments; "x"
# and "y" are then shared by the facts. An object the fast path cannot read
# (a missing label, a name that is not a string, vars that are not a list of
# named objects...) is read on the slow path, which spells every definition
# out.

# _s, _o, _a: the value when it is a string, object or array, else the empty one.
_s(x) := x if {
	is_string(x)
} else := ""

_o(x) := x if {
	is_object(x)
} else := {}

_a(x) := x if {
	is_array(x)
} else := []

# _label(l, k): label k of the labels l when it is a non-empty string.
_label(l, k) := v if {
	v := l[k]
	is_string(v)
	v != ""
}

# _label_or_empty(l, k): label k of l when it is a string, else "" (so ""
# stands for an absent or empty label).
_label_or_empty(l, k) := v if {
	v := l[k]
	is_string(v)
} else := ""

# records_by_kind: kind -> the records of that kind (record_list's, in
# another order). When every file has a string path (always, from the
# engine), the records are grouped straight from the files, the kinds
# checked once per kind.
records_by_kind := _by_kind(_documents, _docs_of_kind) if {
	_paths_are_strings(input_files)
} else := {k: [r | some r in record_list; r.obj.kind == k] | some k in {r.obj.kind | some r in record_list}}

# _documents: {"path", "obj"} of every document of the files (kinds
# unchecked); _docs_of_kind: kind -> those of a Terraform or GitRepository.
_documents := [{"path": f.path, "obj": d} | some f in input_files; some d in array.flatten([f.contents])]

_docs_of_kind := {k: [r | some r in _documents; r.obj.kind == k] | some k in ["Terraform", "GitRepository"]}

default _baseline_files := []

_baseline_files := input.baseline if has_baseline

baseline_records_by_kind := _by_kind(_baseline_documents, _baseline_docs_of_kind) if {
	_paths_are_strings(_baseline_files)
} else := {k: [r | some r in baseline_record_list; r.obj.kind == k] | some k in {r.obj.kind | some r in baseline_record_list}}

_baseline_documents := [{"path": f.path, "obj": d} | some f in _baseline_files; some d in array.flatten([f.contents])]

_baseline_docs_of_kind := {k: [r | some r in _baseline_documents; r.obj.kind == k] | some k in ["Terraform", "GitRepository"]}

# _by_kind(docs, of_kind): records_by_kind from the documents; the other
# kinds are looked for only when some document is neither a Terraform nor
# a GitRepository.
_by_kind(docs, of_kind) := of_kind if {
	count(docs) == count(of_kind.Terraform) + count(of_kind.GitRepository)
} else := object.union(of_kind, {k: [r | some r in docs; r.obj.kind == k] |
	some k in ({r.obj.kind | some r in docs} - {"Terraform", "GitRepository"})
	is_string(k)
	k != ""
})

_paths_are_strings(files) if {
	ps := [f.path | some f in files]
	count(ps) == count(files)
	_ = concat("", ps)
}

# _tf_shape(v): a Terraform's "x" from v, the list of its tier, component,
# target, stack and account labels, spec.path, sourceRef kind and namespace,
# approvePlan ("" when absent) and apiVersion: OPA's function cache looks
# the list up, so that this runs once per distinct list. Undefined when the
# tier is not one, or the component, sourceRef kind or namespace is not a
# non-empty string.
_tf_shape(v) := {
	"tier": t, "comp": c, "base": c in {"eks", "base"}, "target": _s(v[2]), "stack": _s(v[3]), "account": _s(v[4]),
	"eks": _eks_terraform({label_stack: v[3]}, v[5]), "quiet": v[8] in {"auto", "disable"},
	"source_kind": sk, "source_ns": sns, "api": v[9],
} if {
	# (v[i], not a pattern [t, c, ...] := v: OPA would index the function
	# on that pattern and copy the list at every call.)
	t := v[0]
	t in tier_names
	c := v[1]
	_non_empty(c)
	sk := v[6]
	_non_empty(sk)
	sns := v[7]
	_non_empty(sns)
}

_non_empty(s) if {
	is_string(s)
	s != ""
}

# _tf_x(l, n, p, vm, spec, api): a Terraform's "x", from its labels l, name
# n, spec.path p (null when absent), var index vm, spec and apiVersion.
_tf_x(l, n, p, vm, spec, api) := {
	"tier": _tier(l, n), "comp": c, "base": _base(c, l, vm), "target": _label_or_empty(l, label_target),
	"stack": stack, "account": _label_or_empty(l, label_account), "eks": _eks_terraform(l, p),
	"quiet": object.get(s, "approvePlan", null) in {"auto", "disable"}, "api": api,
} if {
	c := _component(l, p)
	stack := _label_or_empty(l, label_stack)
	s := _o(spec)
}

# _git_shape(t, stack, api, url, ref): a GitRepository's "x", labelled with
# tier t and stack, with apiVersion api, spec.url and spec.ref, when t is a
# tier.
_git_shape(t, stack, api, url, ref) := {"tier": t, "stack": _s(stack), "api": api, "url": url, "ref": _o(ref)} if t in tier_names

# _layout(names): for a Terraform whose vars are objects named names (in
# order), their count, the var index and whether a name looks secret.
_layout(names) := {"n": count(names), "vm": object.union_n([{n: i} | some i, n in names]), "secret": _any_secret(names)}

_layout_of(vm) := {"vm": vm, "secret": _any_secret(object.keys(vm))}

_any_secret(names) if {
	some n in names
	secret_name(n)
} else := false

# secret_name(n): a var (or env variable, or a key inside a var's value)
# name that looks like it holds a secret: a '_'-separated part (after
# camelCase, '-', '.' and spaces become '_') from secret_part (db_pwd,
# dbPass, adminPassword), unless the last part says it is not the secret
# itself (a name, an ARN, an id...). The rule no-inline-secrets uses it.
secret_part := `(^|_)(password|passwd|passphrase|pass|pwd|secret|secrets|token|tokens|credential|credentials|private_key|privatekey|access_key|accesskey|secret_key|secretkey|api_key|apikey|client_secret|clientsecret|ssh_key)(_|$)`

not_secret_last := {
	"name", "names", "arn", "arns", "id", "ids", "ref", "refs", "path", "paths",
	"file", "url", "uri", "endpoint", "ttl", "enabled", "enable", "version",
	"type", "kind", "length", "prefix", "suffix", "rotation", "count", "store",
	"namespace", "mount", "role", "policy", "subject", "subjects",
}

secret_name(n) if {
	is_string(n)
	regex.match(`(?i)pass|pwd|secret|token|credential|key`, n)
	s := lower(regex.replace(regex.replace(n, `([a-z0-9])([A-Z])`, "${1}_${2}"), `[-.\s]`, "_"))
	regex.match(secret_part, s)
	parts := split(s, "_")
	not parts[count(parts) - 1] in not_secret_last
}

# The fast path reads a Terraform that has metadata.name, namespace and the
# five labels, spec.path, a non-empty list of named vars and a sourceRef
# with kind, namespace and name; any other goes to the slow path.
_tf_fast(recs) := [{
	"r": r, "kind": "Terraform", "name": n, "ns": ns, "key": concat("/", ["Terraform", ns, n]), "spec": s,
	"x": x, "vs": vs, "y": y, "src": {"kind": x.source_kind, "namespace": x.source_ns, "name": sn, "key": concat("/", [x.source_kind, x.source_ns, sn])},
} |
	some r in recs
	m := r.obj.metadata
	n := m.name
	ns := m.namespace
	s := r.obj.spec
	sn := s.sourceRef.name
	x := _tf_shape_of(json.filter(r.obj, [
		["metadata", "labels", "fluxtf.io/tier"], ["metadata", "labels", "fluxtf.io/component"],
		["metadata", "labels", "fluxtf.io/target"], ["metadata", "labels", "fluxtf.io/stack"],
		["metadata", "labels", "fluxtf.io/account"], ["spec", "path"], ["spec", "sourceRef", "kind"],
		["spec", "sourceRef", "namespace"], ["spec", "approvePlan"], ["apiVersion"],
	]))
	sn != ""
	vs := s.vars
	is_array(vs)
	y := _named_layout([v | v := vs[_].name], count(vs))
]

_tf_slow(recs) := [{
	"r": r, "kind": "Terraform", "name": n, "ns": ns, "key": concat("/", ["Terraform", ns, n]),
	"spec": spec, "x": _tf_x(l, n, p, vm, spec, object.get(o, "apiVersion", null)), "vs": vs, "y": _layout_of(vm), "src": _source_ref(object.get(o, ["spec", "sourceRef"], null), ns),
} |
	some r in recs
	o := r.obj
	n := _s(object.get(o, ["metadata", "name"], ""))
	ns := _s(object.get(o, ["metadata", "namespace"], ""))
	l := _o(object.get(o, ["metadata", "labels"], {}))
	spec := object.get(o, "spec", null)
	p := object.get(o, ["spec", "path"], null)
	vs := _a(object.get(o, ["spec", "vars"], []))
	vm := object.union_n([{e.name: i} | some i, e in vs])
]

# The fast path reads a GitRepository that has metadata.name, namespace and
# the tier and stack labels, and spec.ref and spec.url (which repeat too).
_git_fast(recs) := [{
	"r": r, "kind": "GitRepository", "name": n, "ns": ns, "key": concat("/", ["GitRepository", ns, n]), "spec": s,
	"x": _git_shape(l["fluxtf.io/tier"], l["fluxtf.io/stack"], r.obj.apiVersion, s.url, s.ref),
} |
	some r in recs
	m := r.obj.metadata
	n := m.name
	ns := m.namespace
	l := m.labels
	s := r.obj.spec
]

_git_slow(recs) := [{
	"r": r, "kind": "GitRepository", "name": n, "ns": ns, "key": concat("/", ["GitRepository", ns, n]),
	"spec": object.get(o, "spec", null), "x": {
		"tier": _tier(l, n), "stack": _label_or_empty(l, label_stack), "api": object.get(o, "apiVersion", null),
		"url": object.get(o, ["spec", "url"], null), "ref": _o(object.get(o, ["spec", "ref"], {})),
	},
} |
	some r in recs
	o := r.obj
	n := _s(object.get(o, ["metadata", "name"], ""))
	ns := _s(object.get(o, ["metadata", "namespace"], ""))
	l := _o(object.get(o, ["metadata", "labels"], {}))
]

_other_facts(by_kind) := [{"r": r, "kind": k, "api": object.get(r.obj, "apiVersion", null), "name": n, "ns": ns, "key": concat("/", [k, ns, n])} |
	some k, rs in by_kind
	not k in {"Terraform", "GitRepository"}
	some r in rs
	n := _s(object.get(r.obj, ["metadata", "name"], ""))
	ns := _s(object.get(r.obj, ["metadata", "namespace"], ""))
]

# tf_facts, git_facts: the facts of the Terraforms and GitRepositories;
# tf_slow_facts, git_slow_facts: those read on the slow path.
_tf_recs := object.get(records_by_kind, "Terraform", [])

# _engine_facts: the facts the engine computed in Go while it built the
# input (input.facts, policies/facts.go; the embedded rules' input only):
# "tf", "git" and "other" and their "baseline_" counterparts, the lists
# below, each given only when every object of it took the fast path. The
# derivation here is the reference (FLUXTF_SLOW, conftest, a hand-made
# input), which TestEngineFactsMatchTheLibrary holds them equal to.
default _engine_facts := {}

_engine_facts := f if {
	fluxtf_shape
	f := input.facts
	is_object(f)
}

# _given(k): the engine's list k.
_given(k) := fs if {
	fs := _engine_facts[k]
	is_array(fs)
}

# _given_set(k), _given_object(k): the engine's set or object k (its
# summaries of the facts, policies/facts_index.go).
_given_set(k) := v if {
	v := _engine_facts[k]
	is_set(v)
}

_given_object(k) := v if {
	v := _engine_facts[k]
	is_object(v)
}

_tf_fast_facts := _given("tf") if {
	_given("tf")
} else := _tf_fast(_tf_recs)

tf_slow_facts := [] if {
	_given("tf")
} else := [] if {
	count(_tf_fast_facts) == count(_tf_recs)
} else := _tf_slow([r | some r in _tf_recs; not done[r]]) if {
	done := {f.r | some f in _tf_fast_facts}
}

tf_facts := _tf_fast_facts if {
	count(tf_slow_facts) == 0
} else := array.concat(_tf_fast_facts, tf_slow_facts)

_git_recs := object.get(records_by_kind, "GitRepository", [])

_git_fast_facts := _given("git") if {
	_given("git")
} else := _git_fast(_git_recs)

git_slow_facts := [] if {
	_given("git")
} else := [] if {
	count(_git_fast_facts) == count(_git_recs)
} else := _git_slow([r | some r in _git_recs; not done[r]]) if {
	done := {f.r | some f in _git_fast_facts}
}

git_facts := _git_fast_facts if {
	count(git_slow_facts) == 0
} else := array.concat(_git_fast_facts, git_slow_facts)

# other_facts: the facts of the objects of other kinds.
other_facts := _given("other") if {
	_given("other")
} else := _other_facts(records_by_kind)

# tf_shapes, tf_layouts: the distinct "x" and "y" of the Terraforms' facts
# (few: the facts of generated objects share them), so that a rule can see
# once whether any Terraform has what it looks for. The engine gives
# these, git_shapes, base_facts, base_oses and the fact indexes with its
# facts (policies/facts_index.go); the derivations here are the reference.
_tf_xy := {[f.x, f.y] | some f in tf_facts}

tf_shapes := _given_set("tf_shapes") if {
	_given_set("tf_shapes")
} else := {p[0] | some p in _tf_xy}

tf_layouts := _given_set("tf_layouts") if {
	_given_set("tf_layouts")
} else := {p[1] | some p in _tf_xy}

git_shapes := _given_set("git_shapes") if {
	_given_set("git_shapes")
} else := {f.x | some f in git_facts}

# base_facts: the facts of the base Terraforms.
base_facts := _given("base_facts") if {
	_given("base_facts")
} else := [f | some f in tf_facts; f.x.base]

# base_oses: [tier, os] of the base Terraforms whose last os var has an
# inline value (tier "" when none), each pair once.
base_oses := _given_set("base_oses") if {
	_given_set("base_oses")
} else := {[f.x.tier, f.vs[i].value] | some f in base_facts; i := f.y.vm.os}

_baseline_tf_recs := object.get(baseline_records_by_kind, "Terraform", [])

_baseline_tf_fast_facts := _tf_fast(_baseline_tf_recs)

baseline_tf_facts := _given("baseline_tf") if {
	_given("baseline_tf")
} else := _baseline_tf_fast_facts if {
	count(_baseline_tf_fast_facts) == count(_baseline_tf_recs)
} else := array.concat(_baseline_tf_fast_facts, _tf_slow([r | some r in _baseline_tf_recs; not done[r]])) if {
	done := {f.r | some f in _baseline_tf_fast_facts}
}

_baseline_git_recs := object.get(baseline_records_by_kind, "GitRepository", [])

_baseline_git_fast_facts := _git_fast(_baseline_git_recs)

baseline_git_facts := _given("baseline_git") if {
	_given("baseline_git")
} else := _baseline_git_fast_facts if {
	count(_baseline_git_fast_facts) == count(_baseline_git_recs)
} else := array.concat(_baseline_git_fast_facts, _git_slow([r | some r in _baseline_git_recs; not done[r]])) if {
	done := {f.r | some f in _baseline_git_fast_facts}
}

baseline_base_facts := [f | some f in baseline_tf_facts; f.x.base]

# all_facts: the facts of every object.
all_facts := array.concat(array.concat(tf_facts, git_facts), other_facts)

_baseline_all_facts := array.concat(array.concat(baseline_tf_facts, baseline_git_facts), _baseline_other_facts)

_baseline_other_facts := _given("baseline_other") if {
	_given("baseline_other")
} else := _other_facts(baseline_records_by_kind)

# fact_index: key -> fact of the object under check. Should two objects
# share a key, the fact of the first record in set order stands for both
# (as in index).
_fact_keys := {f.key | some f in all_facts}

fact_index := _given_object("fact_index") if {
	_given_object("fact_index")
} else := x if {
	count(_fact_keys) == count(all_facts)
	x := {f.key: f | some f in all_facts}
} else := {k: f |
	some k in _fact_keys
	fs := [g | some g in all_facts; g.key == k]
	r := [x | some x in {g.r | some g in fs}][0]
	f := [g | some g in fs; g.r == r][0]
}

# baseline_fact_index: key -> fact of the baseline object.
_baseline_fact_keys := {f.key | some f in _baseline_all_facts}

baseline_fact_index := _given_object("baseline_fact_index") if {
	_given_object("baseline_fact_index")
} else := x if {
	count(_baseline_fact_keys) == count(_baseline_all_facts)
	x := {f.key: f | some f in _baseline_all_facts}
} else := {k: f |
	some k in _baseline_fact_keys
	fs := [g | some g in _baseline_all_facts; g.key == k]
	r := [x | some x in {g.r | some g in fs}][0]
	f := [g | some g in fs; g.r == r][0]
}

# fvar(f, n): var(f.r.obj, n) less its field: {"index": i, "value": v} when
# the last var named n has an inline value (field: var_field(index)).
fvar(f, n) := {"index": i, "value": e.value} if {
	i := f.y.vm[n]
	e := f.vs[i]
	_ = e.value
}

# fvar_entry(f, n): var_entry(f.r.obj, n).
fvar_entry(f, n) := {"index": i, "entry": f.vs[i]} if {
	i := f.y.vm[n]
}

# ---------------------------------------------------------------------------
# Indexes, built once.

# by_kind: kind -> set of records.
by_kind := {k: {r | some r in rs} | some k, rs in records_by_kind; count(rs) > 0}

# objects(k): the records of kind k (empty when there are none).
objects(k) := object.get(by_kind, k, set())

terraforms := objects("Terraform")

gitrepositories := objects("GitRepository")

# index: key -> record. Should two documents share a key, the first record
# in set order stands for both.
index := {k: f.r | some k, f in fact_index}

# baseline_index: key -> baseline record.
baseline_index := {k: f.r | some k, f in baseline_fact_index}

# twin(r): the baseline record of r's baseline twin (see twins).
twin(r) := twins[key(r.obj)].r

# ---------------------------------------------------------------------------
# Baseline twins, matched by stable identity.
#
# A baseline twin is the same deployment as it was in the baseline, whatever
# its display names say: a target renamed (targets[].name added) or an
# environment renamed renders new object names, a new environment label and
# a new source name, yet deploys the same cluster. Every baseline rule
# compares an object with its twin (twins[f.key]), never with the baseline
# object that happens to have its name. An object's identity is
#
#   - a Terraform labelled fluxtf.io/stack, fluxtf.io/region and
#     fluxtf.io/component (every generated one): Terraform, stack, AWS
#     account id (the var account_id, else the label fluxtf.io/account),
#     region and component;
#   - a GitRepository labelled fluxtf.io/stack and with a tier: its stack,
#     tier and spec.url.
#
# Objects are matched in two steps:
#
#   1. by identity and environment label (a target renamed keeps both; two
#      environments in one account and region differ in the second), by
#      identity alone for an object without the environment label, and by
#      kind, namespace and name for one without an identity (objects of
#      other kinds, hand-written ones without those labels);
#   2. the objects left over on both sides (an environment renamed) by
#      identity alone, when it is unique among them.
#
# An object whose identity changed (another account id or region) has no
# twin: it is a new deployment.
#
# Cost: one pass over the facts of each side (fields read inline), an
# object built from each; step 2 runs only when step 1 left an object under
# check without a twin. Nothing is computed without a baseline.

# identity(f): the identity of a Terraform or GitRepository fact, or "".
identity(f) := i if {
	f.kind == "Terraform"
	i := _tf_identity(f)
} else := i if {
	f.kind == "GitRepository"
	i := _git_identity(f)
} else := ""

_tf_identity(f) := concat("|", ["Terraform", x.stack, a, rg, x.comp]) if {
	x := f.x
	x.stack != ""
	x.comp != ""
	rg := f.r.obj.metadata.labels[label_region]
	_non_empty(rg)
	a := _account_id(f)
}

# _account_id(f): the account id var of a Terraform fact, else its account label.
_account_id(f) := a if {
	a := _id_text(f.vs[f.y.vm.account_id].value)
} else := a if {
	a := f.x.account
	a != ""
}

_id_text(v) := v if {
	is_string(v)
	v != ""
} else := sprintf("%v", [v]) if is_number(v)

_git_identity(g) := concat("|", ["GitRepository", x.stack, x.tier, lower(x.url)]) if {
	x := g.x
	x.stack != ""
	x.tier != ""
	is_string(x.url)
}

# _twin_entries(tfs, gits): [step 1 key, identity or "", fact] of every
# Terraform and GitRepository fact. The facts of a rendered set all have an
# identity and an environment label: they are read inline, in one pass;
# only when some fact lacks one is every fact read through identity(f).
_twin_entries(tfs, gits) := x if {
	x := array.concat(_tf_identified(tfs), _git_identified(gits))
	count(x) == count(tfs) + count(gits)
} else := [[_first_key(i, f), i, f] |
	some f in array.concat(tfs, gits)
	i := identity(f)
]

_tf_identified(facts) := [[concat("|", [i, e]), i, f] |
	some f in facts
	x := f.x
	x.stack != ""
	x.comp != ""
	l := f.r.obj.metadata.labels
	rg := l[label_region]
	_non_empty(rg)
	e := l[label_environment]
	_non_empty(e)
	a := f.vs[f.y.vm.account_id].value
	_non_empty(a)
	i := concat("|", ["Terraform", x.stack, a, rg, x.comp])
]

_git_identified(facts) := [[concat("|", [i, e]), i, f] |
	some f in facts
	x := f.x
	x.stack != ""
	x.tier != ""
	is_string(x.url)
	e := f.r.obj.metadata.labels[label_environment]
	_non_empty(e)
	i := concat("|", ["GitRepository", x.stack, x.tier, lower(x.url)])
]

# _first_key(i, f): the step 1 key of fact f with identity i.
_first_key(i, f) := concat("|", [i, e]) if {
	i != ""
	e := _label(labels(f.r.obj), label_environment)
} else := i if {
	i != ""
} else := concat("|", ["name", f.key])

_cur_twin_entries := _twin_entries(tf_facts, git_facts) if has_baseline

_base_twin_entries := _twin_entries(baseline_tf_facts, baseline_git_facts) if has_baseline

# _first_repeated: the step 1 keys that repeat on either side (one
# deployment claimed by two objects, or a document given twice): those
# objects are matched by kind, namespace and name.
_first_repeated := _repeated([e[0] | some e in _cur_twin_entries]) | _repeated([e[0] | some e in _base_twin_entries])

_first_index := {e[0]: e[2] | some e in _base_twin_entries} if {
	count(_first_repeated) == 0
} else := {e[0]: e[2] | some e in _base_twin_entries; not _first_repeated[e[0]]}

# _first_pairs: [key of the object under check, its step 1 twin].
_first_pairs := [[e[2].key, b] |
	some e in _cur_twin_entries
	not _first_repeated[e[0]]
	b := _first_index[e[0]]
] if {
	count(_first_repeated) == 0
} else := array.concat(
	[[e[2].key, b] | some e in _cur_twin_entries; not _first_repeated[e[0]]; b := _first_index[e[0]]],
	[[k, b] | some e in _cur_twin_entries; _first_repeated[e[0]]; k := e[2].key; b := baseline_fact_index[k]],
)

_cur_keys := {e[2].key | some e in _cur_twin_entries}

_first_twins := {p[0]: p[1] | some p in _first_pairs} if {
	count(_cur_keys) == count(_cur_twin_entries)
} else := {k: b |
	# a key given twice: the twin when its documents agree on one
	some k in {p[0] | some p in _first_pairs}
	bs := {p[1] | some p in _first_pairs; p[0] == k}
	count(bs) == 1
	some b in bs
}

# Step 2: the entries with an identity left over on each side, and the
# identities that repeat among them.
_left := [e | some e in _cur_twin_entries; e[1] != ""; not _first_twins[e[2].key]]

_base_left := [e |
	count(_left) > 0
	matched := {b.key | some b in _first_twins}
	some e in _base_twin_entries
	e[1] != ""
	not matched[e[2].key]
]

_left_repeated := (_repeated([e[1] | some e in _left]) | _repeated([e[1] | some e in _base_left])) | _repeated([e[2].key | some e in _left])

_second_twins := {} if {
	count(_base_left) == 0
} else := {e[2].key: b |
	idx := {x[1]: x[2] | some x in _base_left; not _left_repeated[x[1]]}
	some e in _left
	not _left_repeated[e[1]]
	not _left_repeated[e[2].key]
	b := idx[e[1]]
}

# _repeated(xs): the values that occur more than once in the list xs.
_repeated(xs) := set() if {
	count({x | some x in xs}) == count(xs)
} else := {s[i] |
	# sorted, a repeated value sits next to itself: no pairwise search
	s := sort(xs)
	some i in numbers.range(1, count(s) - 1)
	s[i] == s[i - 1]
}

# twins: key of a Terraform or GitRepository under check -> the fact of its
# baseline twin; empty without a baseline. (A key given twice, its
# documents disagreeing on the twin: the first step's wins, or none.)
default twins := {}

twins := _first_twins if {
	# every object under check has its twin: nothing is left over
	count(_first_twins) == count(_cur_keys)
} else := _first_twins if {
	count(_left) == 0
} else := object.union(_second_twins, _first_twins) if has_baseline

# untwinned_baseline: the baseline Terraform and GitRepository facts no
# object under check has as its twin (removed, or deploying elsewhere now).
untwinned_baseline := [] if {
	count(twins) == count(baseline_tf_facts) + count(baseline_git_facts)
	count({x.key | some x in twins}) == count(twins)
} else := [b |
	matched := {x.key | some x in twins}
	some b in array.concat(baseline_tf_facts, baseline_git_facts)
	not matched[b.key]
]

# twin_leftovers: the identities step 2 of the matching would pair up:
# those of the objects under check without a twin from step 1 ("cur") and
# of the baseline objects no step 1 twin is ("base"). The engine, when it
# evaluates the rules in batches of environments (policies/batches.go),
# checks that each identity is left over in one batch only: step 2 then
# pairs the same objects in the batches as over the whole input.
twin_leftovers := {"cur": {e[1] | some e in _left}, "base": {e[1] |
	matched := {b.key | some b in _first_twins}
	some e in _base_twin_entries
	e[1] != ""
	not matched[e[2].key]
}} if has_baseline

# ---------------------------------------------------------------------------
# Tier, component, stack, target.

# tier(o): label fluxtf.io/tier; else label fluxtf.io/environment when it is
# a tier; else the one distinct tier among the '-'-separated tokens of
# metadata.name. Undefined when none applies (or the name is ambiguous).
tier(o) := t if {
	t := _tier(labels(o), name(o))
	t != ""
}

# _tier(l, n): the tier of an object with labels l and name n, or "".
_tier(l, n) := t if {
	t := l[label_tier]
	t in tier_names
} else := t if {
	t := l[label_environment]
	t in tier_names
} else := t if {
	ts := {x | some x in split(n, "-"); x in tier_names}
	count(ts) == 1
	some t in ts
} else := ""

# component(o): label fluxtf.io/component; else the last segment of spec.path.
component(o) := c if {
	c := _component(labels(o), object.get(o, ["spec", "path"], null))
	c != ""
}

# _component(l, p): the component of an object with labels l and spec.path
# p (null when absent), or "".
_component(l, p) := c if {
	c := _label(l, label_component)
} else := c if {
	is_string(p)
	parts := split(trim_right(trim_space(p), "/"), "/")
	c := parts[count(parts) - 1]
	not c in {"", "."}
} else := ""

# is_base(o): the base stack's Terraform (EKS cluster and node groups):
# component eks or base, or an unlabelled Terraform with a
# kubernetes_version var. An explicit component label of another module
# wins over the var.
is_base(o) if {
	kind(o) == "Terraform"
	component(o) in {"eks", "base"}
}

is_base(o) if {
	kind(o) == "Terraform"
	not label(o, label_component)
	var_entry(o, "kubernetes_version")
}

# _base(c, l, vm): is_base of a Terraform with component c (or ""), labels
# l and var index vm.
_base(c, l, vm) if {
	c in {"eks", "base"}
} else if {
	not _label(l, label_component)
	_ = vm.kubernetes_version
} else := false

# bases: the base Terraforms of the set, computed once.
bases := {f.r | some f in base_facts}

# target(o): label fluxtf.io/target.
target(o) := label(o, label_target)

# _region_suffix matches an AWS region at the end of a target name.
_region_suffix := `-(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso|-isob)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[0-9]+$`

# account(o): label fluxtf.io/account; else the target label less its region.
account(o) := a if {
	a := label(o, label_account)
} else := a if {
	t := target(o)
	regex.match(_region_suffix, t)
	a := regex.replace(t, _region_suffix, "")
	a != ""
}

# account_field: where account(o) was read.
account_field(o) := label_field(label_account) if {
	label(o, label_account)
} else := label_field(label_target)

# ---------------------------------------------------------------------------
# Terraform vars.

vars(o) := v if {
	v := o.spec.vars
	is_array(v)
} else := []

# var_entry(o, n): {"index": i, "entry": spec.vars[i]} for the var named n;
# when a name repeats, the last entry wins, as it does in the tfvars.
var_entry(o, n) := {"index": i, "entry": vs[i]} if {
	vs := vars(o)
	is := [j | some j, e in vs; is_object(e); e.name == n]
	count(is) > 0
	i := max(is)
}

# var(o, n): {"index": i, "value": v, "field": "spec.vars[i].value"} when the
# var named n has an inline value.
var(o, n) := {"index": i, "value": e.value, "field": var_field(i)} if {
	ve := var_entry(o, n)
	i := ve.index
	e := ve.entry
	"value" in object.keys(e)
}

var_field(i) := sprintf("spec.vars[%d].value", [i])

# ---------------------------------------------------------------------------
# Sources.

# source_ref(tf): {"kind", "namespace", "name", "key"} of the object a
# Terraform's spec.sourceRef names; kind defaults to GitRepository, namespace
# to the Terraform's own.
source_ref(tf) := s if {
	s := _source_ref(object.get(tf, ["spec", "sourceRef"], null), namespace(tf))
	s != null
}

# _source_ref(ref, own_ns): source_ref of a Terraform in namespace own_ns
# whose spec.sourceRef is ref (null when absent), or null.
_source_ref(ref, own_ns) := {"kind": k, "namespace": ns, "name": n, "key": concat("/", [k, ns, n])} if {
	n := ref.name
	is_string(n)
	n != ""
	k := default_str(object.get(ref, "kind", ""), "GitRepository")
	ns := default_str(object.get(ref, "namespace", ""), own_ns)
} else := null

# source_ref_key(tf): the key of the Terraform's source.
source_ref_key(tf) := source_ref(tf).key

# default_str(v, d): v when it is a non-empty string, else d.
default_str(v, d) := v if {
	is_string(v)
	v != ""
} else := d

# source_of(tf): the record of the Terraform's source.
source_of(tf) := index[source_ref_key(tf)]

# is_eks_terraform: a Terraform of the jeppesen-eks stack (by label or path).
is_eks_terraform(o) if {
	kind(o) == "Terraform"
	label(o, label_stack) == eks_stack
}

is_eks_terraform(o) if {
	kind(o) == "Terraform"
	p := o.spec.path
	is_string(p)
	contains(p, eks_stack)
}

# _eks_terraform(l, p): is_eks_terraform of a Terraform with labels l and
# spec.path p.
_eks_terraform(l, p) if {
	l[label_stack] == eks_stack
} else if {
	is_string(p)
	contains(p, eks_stack)
} else := false

# ---------------------------------------------------------------------------
# Stack membership.
#
# The stack's rules (ref-by-tier, source-name-prefix, promotion-order,
# account-by-tier, the version, OS, Karpenter and EFS rules) check the
# jeppesen-eks stack's objects only, never an application's GitRepository,
# another team's Terraform or tf-controller's own examples, whatever their
# names say. An object is the stack's when
#
#   - it is labelled fluxtf.io/stack: jeppesen-eks (every object fluxtf
#     renders is); an object labelled with another stack never is;
#   - unlabelled, it is labelled app.kubernetes.io/managed-by: fluxtf;
#   - an unlabelled GitRepository: its name or URL contains jeppesen-eks, or
#     a Terraform of the stack (by its label or a spec.path containing
#     jeppesen-eks) uses it;
#   - an unlabelled Terraform: its spec.path contains jeppesen-eks, or its
#     sourceRef names a GitRepository of the stack.
#
# Nothing is guessed from a token of a name (a GitRepository "dev-team" or
# "platform-eks" is nobody's stack).

managed_by_fluxtf(o) if labels(o)["app.kubernetes.io/managed-by"] == "fluxtf"

# _own_tf(f): the Terraform fact f is the stack's by what it says itself.
_own_tf(f) if f.x.stack == eks_stack

_own_tf(f) if {
	f.x.stack == ""
	f.x.eks
}

_own_tf(f) if {
	f.x.stack == ""
	managed_by_fluxtf(f.r.obj)
}

# eks_referenced_sources: keys of the sources that the stack's Terraforms
# (by what they say themselves) use.
eks_referenced_sources := {f.src.key | some f in tf_facts; _own_tf(f)}

baseline_eks_referenced_sources := {f.src.key | some f in baseline_tf_facts; _own_tf(f)}

# _own_git(g): the GitRepository fact g is the stack's by what it says itself.
_own_git(g) if g.x.stack == eks_stack

_own_git(g) if {
	g.x.stack == ""
	contains(g.name, eks_stack)
}

_own_git(g) if {
	g.x.stack == ""
	is_string(g.x.url)
	contains(lower(g.x.url), eks_stack)
}

_own_git(g) if {
	g.x.stack == ""
	managed_by_fluxtf(g.r.obj)
}

# eks_source(g): the GitRepository fact g is the stack's (see above).
eks_source(g) if _own_git(g)

eks_source(g) if {
	g.x.stack == ""
	g.key in eks_referenced_sources
}

# _stack_git_in(g, refs): eks_source(g) with refs the keys the stack's
# Terraforms use (of the set g belongs to).
_stack_git_in(g, _) if _own_git(g)

_stack_git_in(g, refs) if {
	g.x.stack == ""
	g.key in refs
}

# _stack_tf_in(f, idx, refs): the Terraform fact f is the stack's; idx is
# the fact index of its set, refs as in _stack_git_in.
_stack_tf_in(f, _, _) if _own_tf(f)

_stack_tf_in(f, idx, refs) if {
	f.x.stack == ""
	g := idx[f.src.key]
	g.kind == "GitRepository"
	_stack_git_in(g, refs)
}

# stack_tf_facts, stack_git_facts: the facts of the stack's Terraforms and
# GitRepositories. When every fact is labelled with the stack (a rendered
# set), these are tf_facts and git_facts themselves: the few distinct
# shapes say so, and no fact is looked at.
stack_tf_facts := tf_facts if {
	every x in tf_shapes {
		x.stack == eks_stack
	}
} else := [f | some f in tf_facts; _stack_tf_in(f, fact_index, eks_referenced_sources)]

stack_git_facts := git_facts if {
	every x in git_shapes {
		x.stack == eks_stack
	}
} else := [g | some g in git_facts; _stack_git_in(g, eks_referenced_sources)]

stack_git_shapes := git_shapes if {
	count(stack_git_facts) == count(git_facts)
} else := {g.x | some g in stack_git_facts}

# stack_base_facts: the stack's base Terraforms.
stack_base_facts := base_facts if {
	count(stack_tf_facts) == count(tf_facts)
} else := [f | some f in stack_tf_facts; f.x.base]

# baseline_stack_git_facts, baseline_stack_base_facts: the same of the
# baseline.
# (A rendered baseline takes the same fast path as the set under check.)
_baseline_git_shapes := {g.x | some g in baseline_git_facts}

baseline_stack_git_facts := baseline_git_facts if {
	every x in _baseline_git_shapes {
		x.stack == eks_stack
	}
} else := [g | some g in baseline_git_facts; _stack_git_in(g, baseline_eks_referenced_sources)]

baseline_stack_git_shapes := _baseline_git_shapes if {
	count(baseline_stack_git_facts) == count(baseline_git_facts)
} else := {g.x | some g in baseline_stack_git_facts}

_baseline_base_shapes := {f.x | some f in baseline_base_facts}

baseline_stack_base_facts := baseline_base_facts if {
	every x in _baseline_base_shapes {
		x.stack == eks_stack
	}
} else := [f | some f in baseline_base_facts; _stack_tf_in(f, baseline_fact_index, baseline_eks_referenced_sources)]

# is_eks_source(o): the GitRepository o is the stack's (as eks_source, for
# an object).
is_eks_source(o) if is_eks_source_in(o, eks_referenced_sources)

is_eks_source_in(o, _) if {
	kind(o) == "GitRepository"
	label(o, label_stack) == eks_stack
}

is_eks_source_in(o, _) if {
	kind(o) == "GitRepository"
	not label(o, label_stack)
	_claims_eks_source(o)
}

is_eks_source_in(o, refs) if {
	kind(o) == "GitRepository"
	not label(o, label_stack)
	key(o) in refs
}

_claims_eks_source(o) if contains(name(o), eks_stack)

_claims_eks_source(o) if {
	u := o.spec.url
	is_string(u)
	contains(lower(u), eks_stack)
}

_claims_eks_source(o) if managed_by_fluxtf(o)

# stack_of(f): stack(f.r.obj) for a Terraform or GitRepository fact f (also
# of the baseline: like stack, it looks sources up in the set under check).
stack_of(f) := s if {
	s := f.x.stack
	s != ""
} else := eks_stack if {
	f.kind == "GitRepository"
	eks_source(f)
} else := eks_stack if {
	f.kind == "Terraform"
	_stack_tf_in(f, fact_index, eks_referenced_sources)
}

# stack(o): label fluxtf.io/stack; else jeppesen-eks for the stack's
# objects without that label (see Stack membership).
stack(o) := s if {
	s := label(o, label_stack)
} else := eks_stack if {
	is_eks_source(o)
} else := eks_stack if {
	kind(o) == "Terraform"
	not label(o, label_stack)
	is_eks_terraform(o)
} else := eks_stack if {
	kind(o) == "Terraform"
	not label(o, label_stack)
	managed_by_fluxtf(o)
} else := eks_stack if {
	kind(o) == "Terraform"
	not label(o, label_stack)
	is_eks_source(source_of(o).obj)
}

# normalize_url: host/owner/repo, lower case, without scheme, user, port,
# trailing slash or .git (ssh://git@github.com/digx/infra.git and
# git@github.com:digx/infra both give github.com/digx/infra).
normalize_url(u) := out if {
	is_string(u)
	s0 := lower(trim_space(u))
	s1 := regex.replace(s0, `^[a-z][a-z0-9+.-]*://`, "")
	s2 := regex.replace(s1, `^[^@/]*@`, "")
	s3 := regex.replace(s2, `^([^/:]+):[0-9]+(/|$)`, "${1}${2}")
	s4 := regex.replace(s3, `^([^/:]+):`, "${1}/")
	s5 := trim_suffix(trim_right(s4, "/"), ".git")
	out := trim_right(s5, "/")
}

# git_ref(o): spec.ref of a GitRepository, {} when absent.
git_ref(o) := r if {
	r := o.spec.ref
	is_object(r)
} else := {}

# ref_set(ref, k): the ref field k is set (a non-empty value).
ref_set(ref, k) if {
	v := ref[k]
	v != null
	v != ""
}

# ref_tag(o): {"tag": t, "field": f} for the tag a GitRepository pins:
# spec.ref.name refs/tags/<t> (Flux prefers name) else spec.ref.tag.
ref_tag(o) := ref_tag_of(git_ref(o))

# ref_tag_of(ref): ref_tag of a GitRepository whose git_ref is ref.
ref_tag_of(ref) := {"tag": t, "field": "spec.ref.name"} if {
	n := ref.name
	is_string(n)
	startswith(n, "refs/tags/")
	t := trim_prefix(n, "refs/tags/")
} else := {"tag": t, "field": "spec.ref.tag"} if {
	t := ref.tag
	is_string(t)
	t != ""
}

# ---------------------------------------------------------------------------
# Versions.

# semver_norm: a version as strict semver text: trims a leading v, fills a
# missing minor or patch with 0 ("v4.2" -> "4.2.0"). Numbers are accepted.
semver_norm(v) := s if {
	t := _strip_v(_vtext(v))
	s := _semver_pad(t)
	semver.is_valid(s)
}

_vtext(v) := trim_space(v) if is_string(v)

_vtext(v) := sprintf("%v", [v]) if is_number(v)

_strip_v(t) := substring(t, 1, -1) if {
	lower(substring(t, 0, 1)) == "v"
} else := t

_semver_pad(t) := t if {
	regex.match(`^[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$`, t)
} else := concat("", [t, ".0"]) if {
	regex.match(`^[0-9]+\.[0-9]+$`, t)
} else := concat("", [t, ".0.0"]) if {
	regex.match(`^[0-9]+$`, t)
}

# is_exact_semver: MAJOR.MINOR.PATCH (optional pre-release and build), with or without v.
is_exact_semver(v) if {
	is_string(v)
	regex.match(`^[vV]?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, trim_space(v))
	semver_norm(v)
}

# semver_parse: {"major", "minor", "patch", "pre", "text"}.
semver_parse(v) := {"major": to_number(p[0]), "minor": to_number(p[1]), "patch": to_number(p[2]), "pre": pre, "text": s} if {
	s := semver_norm(v)
	core_pre := split(split(s, "+")[0], "-")
	p := split(core_pre[0], ".")
	pre := concat("-", array.slice(core_pre, 1, count(core_pre)))
}

# semver_compare(a, b): -1, 0 or 1 (pre-releases sort below their release).
semver_compare(a, b) := semver.compare(semver_norm(a), semver_norm(b))

# branch_key: a branch reference counts as newer than any tag (ranks of
# version_ranks, release.rego, stay far below it).
branch_key := 1000000000000000000000000

# k8s_minor: the Kubernetes minor of "1.29" (also "v1.29", "1.29.3"), or of a
# number: 1.29 -> 29, and a one-digit number minor is a YAML-mangled one
# (1.3 was written 1.30) -> 30.
k8s_minor(v) := m if {
	is_string(v)
	ms := regex.find_all_string_submatch_n(`^[vV]?1\.([0-9]+)(\.[0-9]+)?$`, trim_space(v), 1)
	m := to_number(ms[0][1])
} else := m if {
	is_number(v)
	parts := split(sprintf("%v", [v]), ".")
	count(parts) == 2
	parts[0] == "1"
	m := _number_minor(parts[1])
}

_number_minor(d) := to_number(d) * 10 if {
	regex.match(`^[0-9]$`, d)
} else := to_number(d) if {
	regex.match(`^[0-9]+$`, d)
}

# ---------------------------------------------------------------------------
# Fields.

_missing := {"fluxtf.lib/missing": true}

# has_path(o, p): the path p (an array of keys and indexes) exists in o.
has_path(o, p) if object.get(o, p, _missing) != _missing

# nearest_field(o, segs): the longest existing prefix of the key path segs,
# dotted ("" when not even the first key exists): where to point when a
# field is missing.
nearest_field(o, segs) := concat(".", array.slice(segs, 0, n)) if {
	n := max({i | some i in numbers.range(0, count(segs)); has_path(o, array.slice(segs, 0, i))})
}

# ---------------------------------------------------------------------------
# Results.

# result(rule_id, r, field, msg): the result object of the contract. field is
# the offending field in Kubernetes notation, or "" for the whole object.
# unwaivable_result adds "waivable": false: no waiver silences the finding
# (a value that is certainly a credential).
result(rule_id, r, field, msg) := {
	"msg": msg,
	"rule": rule_id,
	"path": r.path,
	"apiVersion": api_version(r.obj),
	"kind": kind(r.obj),
	"name": name(r.obj),
	"namespace": namespace(r.obj),
	"field": _str(field),
}

unwaivable_result(rule_id, r, field, msg) := object.union(result(rule_id, r, field, msg), {"waivable": false})

# fact_result(rule_id, f, field, msg): result(rule_id, f.r, field, msg) of
# the fact f of a Terraform or GitRepository, read from the fact (its
# kind, name, namespace and x.api are the object's, as result reads them)
# instead of the object: for a rule with many findings.
fact_result(rule_id, f, field, msg) := {
	"msg": msg,
	"rule": rule_id,
	"path": f.r.path,
	"apiVersion": _s(f.x.api),
	"kind": f.kind,
	"name": f.name,
	"namespace": f.ns,
	"field": _str(field),
}

# describe(r): "Terraform \"name\"" for messages.
describe(r) := sprintf("%s %q", [kind(r.obj), name(r.obj)])

# show(v): a value as text for messages ("1.29", 1.3, {...}).
show(v) := sprintf("%q", [v]) if is_string(v)

show(v) := sprintf("%v", [v]) if not is_string(v)

# ---------------------------------------------------------------------------
# Fast paths of the facts (rego11).

# _tf_shape_of(v): _tf_shape of v, the fields of a Terraform it reads,
# picked by one json.filter in _tf_fast (a small object that repeats from
# Terraform to Terraform, so that this runs once per distinct pick).
_tf_shape_of(v) := _tf_shape([
	l["fluxtf.io/tier"], l["fluxtf.io/component"], l["fluxtf.io/target"], l["fluxtf.io/stack"], l["fluxtf.io/account"],
	s.path, sr.kind, sr.namespace, object.get(s, "approvePlan", ""), v.apiVersion,
]) if {
	l := v.metadata.labels
	s := v.spec
	sr := s.sourceRef
}

# _named_layout(names, n): _layout(names) of a Terraform whose n vars are
# all named (n is count(names)), when it has some: one call, run once per
# distinct list of names.
_named_layout(names, n) := y if {
	n > 0
	y := _layout(names)
	y.n == n
}
