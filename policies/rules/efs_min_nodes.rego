# METADATA
# scope: package
# title: EFS needs at least two nodes at minimum size
# description: >-
#   The stack's key constraints say that EFS requires a minimum of 2 nodes:
#   the EFS CSI driver runs a controller with two replicas and a node daemon,
#   and on a single node every node replacement (a managed node group or
#   Karpenter rollout, an AMI update) takes the driver down, so volumes stop
#   provisioning and pods with EFS claims hang until the node is back. For
#   every target with an EFS component (component `efs`, or one with an `efs`
#   token such as `aws-efs-csi-driver`), the base Terraform of that target
#   (same `fluxtf.io/target` label, or the base that the EFS Terraform
#   `dependsOn`) must have `node_groups` whose `min_size` values add up to at
#   least 2. A node group without `min_size` counts as 0; node groups that
#   come from a Secret are not checked.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: efs-min-nodes
#   severity: deny
#   summary: >-
#     a target (account and region, within one environment: label
#     `fluxtf.io/environment`) with an EFS component has base node groups
#     whose `min_size` sum to at least 2
#   fix: >-
#     Raise `min_size` of the base Terraform's node groups (for example the
#     system group's `minSize` in the spec) so that together they keep at
#     least 2 nodes, or disable the EFS component for that target.
#   specFix: >-
#     Raise `cluster.nodeGroups[].minSize` in the environment spec (or
#     defaults.yaml) so that the node groups keep at least 2 nodes together,
#     and render.
package fluxtf.rules.efs_min_nodes

import data.fluxtf.lib

rule_id := "efs-min-nodes"

minimum := 2

# is_efs(c): component c has an efs token (contains is the cheap test first).
is_efs(c) if {
	contains(c, "efs")
	"efs" in split(c, "-")
}

# efs: the facts of the EFS Terraforms (is_efs runs once per component,
# and only the Terraforms of those components are read).
_efs_components := {c | some c in {x.comp | some x in lib.eks_tf_shapes}; is_efs(c)}

efs := [f | some c in _efs_components; some f in lib.eks_tf_facts_by_comp[c]; not f.x.base]

# efs_targets: target label -> an EFS Terraform name (for the message).
_efs_target_set := {scope(f) | some f in efs; f.x.target != ""}

efs_targets := {t: n |
	some t in _efs_target_set
	n := min({f.name | some f in efs; scope(f) == t})
}

# efs_bases: key of a Terraform that an EFS Terraform depends on -> EFS name.
# scope(f): where a Terraform runs: its target (account and region) within
# its environment. Two environments may share a target; an EFS in one says
# nothing about the other's nodes.
# (The label is read by a ref, not lib.default_str: OPA caches a
# function's result by its arguments, one entry per environment name.)
scope(f) := [e, f.x.target] if {
	e := f.r.obj.metadata.labels[lib.label_environment]
	is_string(e)
} else := ["", f.x.target]

_efs_deps := {[k, f.name] | some f in efs; some k in dep_keys(f.r.obj)}

_efs_dep_set := {p[0] | some p in _efs_deps}

efs_bases := {k: n |
	some k in _efs_dep_set
	n := min({p[1] | some p in _efs_deps; p[0] == k})
}

dep_keys(o) := {lib.ref_key("Terraform", ns, d.name) |
	some d in object.get(o, ["spec", "dependsOn"], [])
	is_string(d.name)
	ns := lib.default_str(object.get(d, "namespace", ""), lib.namespace(o))
}

# _short: [base fact, the sum of its node groups' min_size] of each base
# Terraform whose node groups keep fewer than the minimum (each distinct
# node_groups value of lib.eks_bases_by_node_groups is judged once).
_short := [[f, total] |
	some v, fs in lib.eks_bases_by_node_groups
	total := min_sum(v)
	total < minimum
	some f in fs
]

# _user(f): the EFS Terraform that runs on base f's nodes: the one of the
# base's target (a fact's target is "" when it has none, and no EFS target
# is ""), else one that depends on the base.
_user(f) := u if {
	u := efs_targets[scope(f)]
} else := efs_bases[f.key]

deny contains lib.result(rule_id, f.r, lib.var_field(f.y.vm.node_groups), msg) if {
	some [f, total] in _short
	user := _user(f)
	msg := sprintf(
		"Terraform %q runs EFS (%s) but its node groups' min_size add up to %v; the EFS CSI driver needs at least %d nodes: raise min_size (for example of the system group) to reach %d",
		[f.name, user, total, minimum, minimum],
	)
}

# min_sum: the min_size of node_groups (a map of name -> group, or a list of groups).
min_sum(groups) := sum([min_size(g) | some g in groups]) if is_object(groups)

min_sum(groups) := sum([min_size(g) | some g in groups]) if is_array(groups)

min_size(g) := n if {
	n := g.min_size
	is_number(n)
} else := to_number(n) if {
	n := g.min_size
	is_string(n)
	regex.match(`^[0-9]+$`, n)
} else := 0
