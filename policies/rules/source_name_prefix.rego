# METADATA
# scope: package
# title: EKS sources are named jeppesen-eks… and every sourceRef resolves
# description: >-
#   The platform's Git reference naming convention says that sources of the
#   EKS module stack start with `jeppesen-eks`: dashboards, alerts, RBAC and
#   the promotion tooling find the stack's GitRepositories by that prefix, so a
#   GitRepository that carries the stack under another name escapes them. A
#   GitRepository counts as an EKS source when it is labelled
#   `fluxtf.io/stack: jeppesen-eks`, when its name or URL contains
#   `jeppesen-eks`, when its name has a `-`-separated token `eks`, or when a
#   Terraform of the stack (path containing `jeppesen-eks` or that stack label)
#   uses it. Every Terraform's `spec.sourceRef` must also name an object of
#   the validated set (the namespace defaults to the Terraform's own), or
#   tf-controller waits forever for an artifact that never comes.
# custom:
#   id: source-name-prefix
#   severity: deny
#   fix: >-
#     Rename the GitRepository so that its name starts with `jeppesen-eks`
#     (for example `jeppesen-eks-uat`) and point the Terraforms'
#     `spec.sourceRef.name` at it; add any missing source to the set.
package fluxtf.rules.source_name_prefix

import data.fluxtf.lib

rule_id := "source-name-prefix"

prefix := "jeppesen-eks"

# The name is checked first: it is cheaper than is_eks_source.
deny contains lib.result(rule_id, g.r, "metadata.name", msg) if {
	some g in lib.git_facts
	n := g.name
	not startswith(n, prefix)
	n != ""
	lib.eks_source(g)
	msg := sprintf(
		"GitRepository %q holds the jeppesen-eks module stack but its name does not start with %q; rename it to %q and update the Terraforms' spec.sourceRef.name",
		[n, prefix, suggestion(g.r.obj)],
	)
}

# The sourceRef names an object that is not in the set.
deny contains lib.result(rule_id, f.r, "spec.sourceRef.name", msg) if {
	not lib.single_document
	some f in lib.tf_facts
	ref := f.src
	k := ref.key
	not lib.fact_index[k]
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
		"Terraform %q has no spec.sourceRef.name, so tf-controller has no source to plan; set spec.sourceRef to the stack's GitRepository (kind GitRepository, name jeppesen-eks-…)",
		[lib.name(r.obj)],
	)
}

# suggestion: a conforming name for the GitRepository o.
suggestion(o) := sprintf("%s-%s", [prefix, lib.tier(o)]) if {
	lib.tier(o)
} else := concat("-", ["jeppesen", lib.name(o)]) if {
	startswith(lib.name(o), "eks")
} else := sprintf("%s-%s", [prefix, lib.name(o)])
