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

# _docs: a file's contents is one document or a list of documents.
_docs(c) := c if is_array(c)

_docs(c) := [c] if not is_array(c)

# _records turns a list of {path, contents} into records; anything that is
# not an object with a non-empty string kind is skipped.
_records(files) := {{"path": _str(object.get(f, "path", "")), "obj": d} |
	some f in files
	is_object(f)
	some d in _docs(f.contents)
	is_object(d)
	is_string(d.kind)
	d.kind != ""
}

# records: every object under check, as {"path": p, "obj": doc}.
records := _records(input_files)

# has_baseline: a baseline was given (it may be empty).
has_baseline if {
	fluxtf_shape
	is_array(input.baseline)
}

default baseline_records := set()

baseline_records := _records(input.baseline) if has_baseline

# context: input.context of the fluxtf shape, else {}.
default context := {}

context := input.context if {
	fluxtf_shape
	is_object(input.context)
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
# Indexes, built once.

_kinds := {kind(r.obj) | some r in records}

# by_kind: kind -> set of records.
by_kind := {k: rs |
	some k in _kinds
	rs := {r | some r in records; kind(r.obj) == k}
}

# objects(k): the records of kind k (empty when there are none).
objects(k) := object.get(by_kind, k, set())

terraforms := objects("Terraform")

gitrepositories := objects("GitRepository")

_keys := {key(r.obj) | some r in records}

# index: key -> record. Should two documents share a key, the first record
# in set order stands for both.
index := {k: rs[0] |
	some k in _keys
	rs := [r | some r in records; key(r.obj) == k]
}

_baseline_keys := {key(r.obj) | some r in baseline_records}

# baseline_index: key -> baseline record.
baseline_index := {k: rs[0] |
	some k in _baseline_keys
	rs := [r | some r in baseline_records; key(r.obj) == k]
}

baseline_terraforms := {r | some r in baseline_records; kind(r.obj) == "Terraform"}

baseline_gitrepositories := {r | some r in baseline_records; kind(r.obj) == "GitRepository"}

# twin(r): the baseline record with the same kind, namespace and name.
twin(r) := baseline_index[key(r.obj)]

# ---------------------------------------------------------------------------
# Tier, component, stack, target.

# tier(o): label fluxtf.io/tier; else label fluxtf.io/environment when it is
# a tier; else the one distinct tier among the '-'-separated tokens of
# metadata.name. Undefined when none applies (or the name is ambiguous).
tier(o) := t if {
	t := label(o, label_tier)
	t in tier_names
} else := t if {
	t := label(o, label_environment)
	t in tier_names
} else := t if {
	ts := {x | some x in split(name(o), "-"); x in tier_names}
	count(ts) == 1
	some t in ts
}

# component(o): label fluxtf.io/component; else the last segment of spec.path.
component(o) := c if {
	c := label(o, label_component)
} else := c if {
	p := o.spec.path
	is_string(p)
	parts := split(trim_right(trim_space(p), "/"), "/")
	c := parts[count(parts) - 1]
	not c in {"", "."}
}

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

# bases: the base Terraforms of the set, computed once.
bases := {r | some r in terraforms; is_base(r.obj)}

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
source_ref(tf) := {"kind": k, "namespace": ns, "name": n, "key": ref_key(k, ns, n)} if {
	ref := tf.spec.sourceRef
	is_object(ref)
	n := ref.name
	is_string(n)
	n != ""
	k := default_str(object.get(ref, "kind", ""), "GitRepository")
	ns := default_str(object.get(ref, "namespace", ""), namespace(tf))
}

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

# eks_referenced_sources: keys of the sources that EKS Terraforms use.
eks_referenced_sources := {k |
	some r in terraforms
	is_eks_terraform(r.obj)
	k := source_ref_key(r.obj)
}

baseline_eks_referenced_sources := {k |
	some r in baseline_terraforms
	is_eks_terraform(r.obj)
	k := source_ref_key(r.obj)
}

# is_eks_source(o): a GitRepository of the jeppesen-eks stack: labelled
# fluxtf.io/stack: jeppesen-eks, or whose name or URL contains jeppesen-eks,
# or whose name has a '-'-separated token eks, or that an EKS Terraform uses.
is_eks_source(o) if is_eks_source_in(o, eks_referenced_sources)

is_eks_source_in(o, _) if {
	kind(o) == "GitRepository"
	label(o, label_stack) == eks_stack
}

is_eks_source_in(o, _) if {
	kind(o) == "GitRepository"
	contains(name(o), eks_stack)
}

is_eks_source_in(o, _) if {
	kind(o) == "GitRepository"
	u := o.spec.url
	is_string(u)
	contains(lower(u), eks_stack)
}

is_eks_source_in(o, _) if {
	kind(o) == "GitRepository"
	"eks" in split(name(o), "-")
}

is_eks_source_in(o, refs) if {
	kind(o) == "GitRepository"
	key(o) in refs
}

# stack(o): label fluxtf.io/stack; else jeppesen-eks for EKS sources and
# EKS Terraforms (also Terraforms whose source is an EKS source).
stack(o) := s if {
	s := label(o, label_stack)
} else := eks_stack if {
	is_eks_source(o)
} else := eks_stack if {
	is_eks_terraform(o)
} else := eks_stack if {
	kind(o) == "Terraform"
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
ref_tag(o) := {"tag": t, "field": "spec.ref.name"} if {
	n := git_ref(o).name
	is_string(n)
	startswith(n, "refs/tags/")
	t := trim_prefix(n, "refs/tags/")
} else := {"tag": t, "field": "spec.ref.tag"} if {
	t := git_ref(o).tag
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

# version_key: a number that orders versions like semver_compare, so that
# max() finds the newest of many; pre-releases sit just below the release
# (and tie with one another).
version_key(v) := (((((p.major * 1000000) + p.minor) * 1000000) + p.patch) * 2) + rel if {
	p := semver_parse(v)
	rel := _release_bit(p.pre)
}

_release_bit(pre) := 1 if pre == ""

_release_bit(pre) := 0 if pre != ""

# branch_key: a branch reference counts as newer than any tag.
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

# describe(r): "Terraform \"name\"" for messages.
describe(r) := sprintf("%s %q", [kind(r.obj), name(r.obj)])

# show(v): a value as text for messages ("1.29", 1.3, {...}).
show(v) := sprintf("%q", [v]) if is_string(v)

show(v) := sprintf("%v", [v]) if not is_string(v)
