# METADATA
# scope: package
# title: A renamed Terraform keeps its cluster and state, or records the move
# description: >-
#   Renaming a target (adding `name: dev-main`) or an environment renders new
#   Terraform names, and by default a new `cluster_name`. Flux then prunes
#   the old objects (with `destroyResourcesOnDeletion: false` their cloud
#   resources and state are left behind, orphaned) and tf-controller plans
#   the new ones from scratch: a second cluster, or a replacement of the
#   first. Against its baseline twin (the baseline Terraform deploying the
#   same stack, account id, region and component, whatever its name: see
#   `twins` in policies/lib/lib.rego), a Terraform whose name, namespace,
#   `cluster_name` var or state key (its backend location, read as
#   state-key-unique reads it) changed is denied, unless it records the move:
#   the annotation `fluxtf.io/moved-from` lists the twin's name (or
#   `<namespace>/<name>` when the namespace changed), as fluxtf renders it
#   from the environment spec's `moved` entries, which also keep the
#   cluster name and the state key of the names before the rename. A
#   `cluster_name` or state key change without a rename is always denied: it
#   replaces the cluster or starts from empty state. GitRepositories hold no
#   state; their renames are not findings. Without a baseline the rule finds
#   nothing.
# custom:
#   id: identity-moved
#   severity: deny
#   summary: >-
#     against the baseline twin: a Terraform whose name, namespace,
#     `cluster_name` var or state key (as `state-key-unique` reads it) changed
#     either lists the twin's name in `fluxtf.io/moved-from` (a rename
#     recorded in the spec's `moved`) or is denied; a `cluster_name` or state
#     key change without a rename is always denied (baseline)
#   baseline: true
#   fix: >-
#     Record the rename in the environment spec, `moved: [{from: <former target
#     or environment name>, to: <its name now>, reason: <why>}]`, and render:
#     the objects get their new names and keep the cluster and its state. Or
#     keep the former names. For a hand-written Terraform, set the annotation
#     `fluxtf.io/moved-from: <former name>` and keep `cluster_name` and the
#     backend key.
package fluxtf.rules.identity_moved

import data.fluxtf.lib
import data.fluxtf.rules.state_key_unique

rule_id := "identity-moved"

# moved_from(o): the former names the annotation lists.
moved_from(o) := {n |
	some x in split(lib.annotation(o, lib.annotation_moved_from), ",")
	n := trim_space(x)
	n != ""
}

# recorded(f, tw): f's annotation lists its twin as a former name.
recorded(f, tw) if concat("/", [tw.ns, tw.name]) in moved_from(f.r.obj)

recorded(f, tw) if {
	tw.ns == f.ns
	tw.name in moved_from(f.r.obj)
}

renamed(f, tw) if tw.name != f.name

renamed(f, tw) if tw.ns != f.ns

# change(f, tw, what): {field, text} when what changed against the twin.
change(f, tw, "name") := {"field": "metadata.name", "text": sprintf("its name %q -> %q", [tw.name, f.name])} if tw.name != f.name

change(f, tw, "namespace") := {"field": "metadata.namespace", "text": sprintf("its namespace %q -> %q", [tw.ns, f.ns])} if tw.ns != f.ns

change(f, tw, "cluster_name") := {"field": lib.var_field(v.index), "text": sprintf("cluster_name %s -> %s", [lib.show(old), lib.show(v.value)])} if {
	v := lib.fvar(f, "cluster_name")
	old := lib.fvar(tw, "cluster_name").value
	old != v.value
}

# (The backend is read only when it, the name or the namespace changed.)
change(f, tw, "state") := {"field": state_key_unique.key_field(f.r.obj), "text": sprintf("its state key %s -> %s", [old, new])} if {
	_backend_may_differ(f, tw)
	new := lib.state_key(f)
	old := lib.state_key(tw)
	old != new
}

_backend_may_differ(f, tw) if renamed(f, tw)

_backend_may_differ(f, tw) if object.get(f.spec, "backendConfig", null) != object.get(tw.spec, "backendConfig", null)

changes(f, tw) := [c | some w in ["name", "namespace", "cluster_name", "state"]; c := change(f, tw, w)]

# what(f): "account 333333333333, eu-west-1, component eks" from the identity.
what(f) := sprintf("%s: account %s, %s, component %s", [p[1], p[2], p[3], p[4]]) if {
	p := split(lib.identity(f), "|")
	count(p) == 5
} else := "the same object"

# hint(f, tw): the moved entry that records the rename, when the labels tell.
hint(f, tw) := sprintf("moved: [{from: %s, to: %s, reason: ...}]", [o, n]) if {
	o := lib.label(tw.r.obj, lib.label_target)
	n := lib.label(f.r.obj, lib.label_target)
	o != n
} else := sprintf("moved: [{from: %s, to: %s, reason: ...}]", [o, n]) if {
	o := lib.label(tw.r.obj, lib.label_environment)
	n := lib.label(f.r.obj, lib.label_environment)
	o != n
} else := "moved: [{from: <former name>, to: <name now>, reason: ...}]"

# moved: [fact, twin] of the Terraforms under check whose namespace or
# name differs from their twin's; in_place: the others whose spec changed
# (only these can have another cluster_name or state key).
moved := [[f, tw] | some k, tw in lib.twins; tw.key != k; tw.kind == "Terraform"; f := lib.fact_index[k]]

in_place := [[f, tw] | some k, tw in lib.twins; tw.key == k; tw.kind == "Terraform"; f := lib.fact_index[k]; f.spec != tw.spec]

deny contains lib.result(rule_id, f.r, cs[0].field, msg) if {
	some [f, tw] in moved
	not recorded(f, tw)
	cs := changes(f, tw)
	msg := sprintf(
		"Terraform %q deploys what %q deployed (%s), but %s: Flux prunes the old object, leaving its resources and state behind, and tf-controller plans this one from scratch; record the rename in the environment spec (%s) and render, so it keeps the cluster and its state, or keep the former name",
		[f.name, tw.name, what(f), concat(", ", [c.text | some c in cs]), hint(f, tw)],
	)
}

deny contains lib.result(rule_id, f.r, cs[0].field, msg) if {
	some [f, tw] in in_place
	cs := changes(f, tw)
	count(cs) > 0
	msg := sprintf(
		"Terraform %q changes %s for the same deployment (%s): a new cluster_name replaces the EKS cluster, a new state key plans everything again from empty state; keep the former value (targets[].clusterName, or the spec's moved entry that kept it)",
		[f.name, concat(", ", [c.text | some c in cs]), what(f)],
	)
}
