# METADATA
# scope: package
# title: Every Terraform's sourceRef names a source in the set
# description: >-
#   tf-controller plans a Terraform from the artifact of the source its
#   `spec.sourceRef` names (kind, default GitRepository; name; namespace,
#   default the Terraform's own). When no such object exists it does not
#   fail: the Terraform waits for an artifact that never comes, and nothing
#   is planned or applied. Every Terraform of the validated set, of any
#   stack or none, must therefore have a `spec.sourceRef.name` naming a
#   source object of that kind in the set. Under plain conftest (one
#   document at a time) the look-up is skipped.
# custom:
#   id: source-ref-resolves
#   severity: deny
#   summary: >-
#     every Terraform (of any stack or none) has a `spec.sourceRef` naming a
#     source in the set (kind defaults to GitRepository, namespace to the
#     Terraform's)
#   fix: >-
#     Point `spec.sourceRef` at an existing source (kind, name and namespace
#     of a GitRepository, OCIRepository or Bucket of the set), or add the
#     missing source to the set.
package fluxtf.rules.source_ref_resolves

import data.fluxtf.lib

rule_id := "source-ref-resolves"

# _unresolved: the source keys (lib.tf_source_keys, each distinct key
# once) that name no object in the set; only their Terraforms are looked
# at below.
_unresolved := {k | some k in lib.tf_source_keys; not lib.fact_index[k]}

# The sourceRef names an object that is not in the set.
deny contains lib.result(rule_id, f.r, "spec.sourceRef.name", msg) if {
	not lib.single_document
	count(_unresolved) > 0
	some f in lib.tf_facts
	k := f.src.key # (undefined when src is null)
	_unresolved[k]
	ref := f.src
	msg := sprintf(
		"Terraform %q uses %s %q%s as its source, but no such object is in the set; add that %s or fix spec.sourceRef",
		[f.name, ref.kind, ref.name, _in_namespace(ref.namespace), ref.kind],
	)
}

# _in_namespace: " in namespace x", or "" for the default (empty) namespace.
_in_namespace(ns) := sprintf(" in namespace %q", [ns]) if ns != ""

_in_namespace(ns) := "" if ns == ""

# The Terraform has no sourceRef name at all.
# (The fast path only reads Terraforms with a sourceRef.)
deny contains lib.result(rule_id, r, field, msg) if {
	some f in lib.tf_slow_facts
	f.src == null
	r := f.r
	field := lib.nearest_field(r.obj, ["spec", "sourceRef", "name"])
	msg := sprintf(
		"Terraform %q has no spec.sourceRef.name, so tf-controller has no source to plan; set spec.sourceRef to its source (kind GitRepository, name and namespace)",
		[lib.name(r.obj)],
	)
}
