# Package fluxtf.api is the policy API: what a rule (fluxtf's own or a
# user's, from --policy) reads about the objects under check, with named
# fields. docs/writing-policies.md is its guide; every name here is public
# and kept stable. Everything in data.fluxtf.lib is private: its facts
# (f.x, f.y, f.vs...) are the engine's performance summaries and change
# without notice.
#
# An object record has, for every kind:
#
#   kind, api_version, name, namespace  as written ("" when absent)
#   key          "<kind>/<namespace>/<name>"
#   path         the file it was read from (the engine turns path and a
#                field into file:line:column in the findings)
#   object       the document itself, for any other field
#   labels, annotations   ({} when absent)
#   baseline     true for an object of the baseline (see twin)
#   tier         dev, uat or prod: label fluxtf.io/tier, else
#                fluxtf.io/environment when it is a tier, else the one tier
#                among the '-'-separated words of the name; "" when none
#   stack        label fluxtf.io/stack, else jeppesen-eks for that stack's
#                unlabelled objects (docs/policies.md, "the stack's objects");
#                "" when none (always "" for kinds other than Terraform and
#                GitRepository without the label)
#
# a Terraform's also
#
#   component    label fluxtf.io/component, else the last segment of
#                spec.path
#   base         it is the stack's base (EKS cluster and node groups)
#   target, account   labels fluxtf.io/target and fluxtf.io/account ("")
#   spec         spec (null when absent)
#   vars         spec.vars as written (a list)
#   var_index    var name -> index in vars of its last entry (use var(o, n))
#   source       {kind, namespace, name, key} of spec.sourceRef, or null
#
# and a GitRepository's also
#
#   spec, url (spec.url, null when absent), ref (spec.ref, {} when absent)
#
# The input is what the engine gives: fluxtf validate and check pass every
# object of the run to the embedded rules (and a baseline to those that
# compare); a user policy sees one document at a time, or with --combine
# every document, as conftest does, and never a baseline. The records are
# built from the facts the engine computes once per run (lib.rego), so that
# reading them costs a field access.
package fluxtf.api

import data.fluxtf.catalogue
import data.fluxtf.lib

# ---------------------------------------------------------------------------
# Objects.

# objects: the record of every object under check (a document given twice
# is listed twice).
objects := array.concat(array.concat(terraforms, gitrepositories), [_other(f, false) | some f in lib.other_facts])

# objects_of(kind): the records of the objects of one kind.
objects_of("Terraform") := terraforms

objects_of("GitRepository") := gitrepositories

objects_of(k) := [_other(f, false) | some f in _other_facts_of(k)] if not k in {"Terraform", "GitRepository"}

_other_facts_of(k) := [f | some f in lib.other_facts; f.kind == k]

# terraforms, gitrepositories: the records of tf-controller's Terraforms
# and Flux's GitRepositories.
terraforms := [_tf(f, false) | some f in lib.tf_facts]

gitrepositories := [_git(f, false) | some f in lib.git_facts]

# terraforms_of(component): the Terraforms of one component (karpenter,
# eks...); only those records are built.
terraforms_of(c) := [_tf(f, false) | some f in _tf_facts_of(c)]

# (The facts are picked first: OPA indexes a comprehension comparing with
# an outer variable by evaluating it for every value at once, which would
# build the record of every Terraform.)
_tf_facts_of(c) := [f | some f in lib.tf_facts; f.x.comp == c]

# base_terraforms: the base Terraforms (EKS cluster and node groups);
# the engine builds their records with the facts (lib.given_base_records).
base_terraforms := r if {
	r := lib.given_base_records
} else := [_tf(f, false) | some f in lib.base_facts]

# by_key(key): the record of the object with that key, "<kind>/<namespace>/<name>".
by_key(key) := _record(lib.fact_index[key], false)

# source(o): the record of the GitRepository (or other source) a Terraform
# record o uses, when it is under check.
source(o) := _record(lib.fact_index[o.source.key], false)

# in_family(o, fam): the rules of policy family fam (eks, common,
# ocm-client...) check o: its fluxtf.io/policies annotation, else its
# stack's families in the catalogue. A rule of one family selects its
# objects with it, never by a stack's name (docs/policies.md, families).
in_family(o, fam) if {
	_whole_family(o, fam)
} else if {
	lib.in_family(o.object, fam)
}

# _whole_family(o, fam): o is the record of a Terraform under check and
# every Terraform under check is of family fam (lib.whole_tf_families: the
# rendered fleet), so its own labels need not be read. (not x != y: the
# builtin compares the two objects, at once when they are the one value
# the engine gave both; x == y compiles to their unification, which walks
# every field of the object: most of prod-os-bottlerocket's time.)
_whole_family(o, fam) if {
	lib.whole_tf_families[fam]
	o.kind == "Terraform"
	o.baseline == false
	x := lib.fact_index[o.key].r.obj
	y := o.object
	not x != y
}

# ---------------------------------------------------------------------------
# The baseline.

# has_baseline: the run has a baseline (fluxtf check, validate
# --baseline-ref): the objects as they were before the change.
has_baseline if lib.has_baseline

# baseline_objects: the record of every object of the baseline.
baseline_objects := array.concat(
	array.concat([_tf(f, true) | some f in lib.baseline_tf_facts], [_git(f, true) | some f in lib.baseline_git_facts]),
	[_record(f, true) | some f in lib.baseline_fact_index; not f.kind in {"Terraform", "GitRepository"}],
)

# twin(o): the record of the baseline twin of the Terraform or
# GitRepository record o: the same deployment as it was in the baseline,
# matched by stable identity (stack, AWS account id, region and component
# for a Terraform; stack, tier and URL for a GitRepository), whatever its
# name says (a target or environment renamed). Undefined when o is new or
# there is no baseline.
twin(o) := _record(lib.twins[o.key], true) if not o.baseline

# removed: the records of the baseline's Terraforms and GitRepositories
# that no object under check has as its twin.
removed := [_record(f, true) | some f in lib.untwinned_baseline]

# ---------------------------------------------------------------------------
# Terraform vars and versions.

# var(o, n): {"value", "index", "field"} of the var named n of the
# Terraform record o when its last entry has an inline value; field is
# "spec.vars[<index>].value", for the finding.
var(o, n) := {"value": e.value, "index": i, "field": lib.var_field(i)} if {
	i := o.var_index[n]
	e := o.vars[i]
	_ = e.value
}

# has_var(o, n): the Terraform record o declares the var n (with a value,
# or valueFrom).
has_var(o, n) if _ = o.var_index[n]

# version_var(stack, component): the name of the var carrying a
# component's version, from the stack catalogue (versionVar; the
# kubernetes_version of the base is an input, not a versionVar). Read it
# here rather than writing the name: renaming it in the catalogue then
# keeps the rule working.
version_var(stack, component) := v if {
	some m in catalogue.modules
	m.stack == stack
	m.name == component
	v := m.versionVar
}

# version(o): var(o, n) for the version var of o's stack and component.
# A stack no catalogue describes (a team's own, declaring a family such as
# eks in its fluxtf.io/policies annotation) borrows the name from the
# catalogues of the stacks of that family, when they agree on one.
version(o) := var(o, version_var(o.stack, o.component)) if {
	version_var(o.stack, o.component)
} else := var(o, n) if {
	not catalogue.stacks[o.stack]
	names := {m.versionVar |
		some m in catalogue.modules
		m.name == o.component
		m.versionVar
		some fam in catalogue.stacks[m.stack].policies
		fam != "common"
		in_family(o, fam)
	}
	count(names) == 1
	some n in names
}

# semver(v): {"major", "minor", "patch", "pre", "text"} of a version
# ("v1.2", "1.2.3-rc.1"); undefined when it is none.
semver(v) := lib.semver_parse(v)

# ---------------------------------------------------------------------------
# Labels, annotations and fields.

label(o, k) := lib.label(o.object, k)

annotation(o, k) := lib.annotation(o.object, k)

# The names of fluxtf's labels and annotations.
label_tier := lib.label_tier

label_stack := lib.label_stack

label_component := lib.label_component

label_target := lib.label_target

label_environment := lib.label_environment

annotation_migration := lib.annotation_migration

annotation_moved_from := lib.annotation_moved_from

# label_field(k): the field of label k, for a finding.
label_field(k) := lib.label_field(k)

# nearest_field(o, segs): the longest existing prefix of the key path segs
# in o's document, dotted: where to point when a field is missing.
nearest_field(o, segs) := lib.nearest_field(o.object, segs)

# show(v): a value as text for messages: "1.29" quoted, 1.3 as is.
show(v) := lib.show(v)

# ---------------------------------------------------------------------------
# Findings.

# finding(o, field, msg): a finding on record o at field ("" for the
# whole object), reported under the policy's package name.
finding(o, field, msg) := object.remove(result("", o, field, msg), ["rule"])

# result(rule_id, o, field, msg): the same under the id rule_id (a user
# policy may not use the id of one of fluxtf's own rules).
result(rule_id, o, field, msg) := lib.result(rule_id, {"path": o.path, "obj": o.object}, field, msg)

# ---------------------------------------------------------------------------
# Records, from the facts.

_record(f, b) := _tf(f, b) if {
	f.kind == "Terraform"
} else := _git(f, b) if {
	f.kind == "GitRepository"
} else := _other(f, b)

_tf(f, b) := {
	"kind": "Terraform", "api_version": lib._s(f.x.api), "name": f.name, "namespace": f.ns, "key": f.key,
	"path": f.r.path, "object": f.r.obj, "labels": lib.labels(f.r.obj), "annotations": lib.annotations(f.r.obj),
	"baseline": b, "tier": f.x.tier, "stack": _stack(f), "component": f.x.comp, "base": f.x.base,
	"target": f.x.target, "account": f.x.account, "spec": f.spec, "vars": f.vs, "var_index": f.y.vm,
	"source": f.src,
}

_git(f, b) := {
	"kind": "GitRepository", "api_version": lib._s(f.x.api), "name": f.name, "namespace": f.ns, "key": f.key,
	"path": f.r.path, "object": f.r.obj, "labels": lib.labels(f.r.obj), "annotations": lib.annotations(f.r.obj),
	"baseline": b, "tier": f.x.tier, "stack": _stack(f), "spec": f.spec, "url": f.x.url, "ref": f.x.ref,
}

_other(f, b) := {
	"kind": f.kind, "api_version": lib._s(f.api), "name": f.name, "namespace": f.ns, "key": f.key,
	"path": f.r.path, "object": f.r.obj, "labels": l, "annotations": lib.annotations(f.r.obj),
	"baseline": b, "tier": _tier(f.r.obj), "stack": lib._label_or_empty(l, lib.label_stack),
} if {
	l := lib.labels(f.r.obj)
}

_stack(f) := s if {
	s := lib.stack_of(f)
} else := ""

_tier(o) := t if {
	t := lib.tier(o)
} else := ""
