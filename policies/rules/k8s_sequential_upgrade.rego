# METADATA
# scope: package
# title: Kubernetes rises one minor at a time and never falls
# description: >-
#   EKS upgrades the control plane one minor version at a time, so a cluster
#   must go 1.28 -> 1.29 -> 1.30 with no skipping, and it cannot be
#   downgraded at all. AWS refuses a control-plane update that skips a minor
#   or goes back, so such a change fails part-way through the apply, leaving
#   whatever it changed before in place. The rule compares the base
#   Terraform (component `eks` or `base`, or an unlabelled Terraform with a
#   `kubernetes_version` var) with its baseline twin: the baseline object
#   deploying the same cluster (stack, account id, region, component), so a
#   renamed target or environment is still compared; hand-written objects
#   without the fluxtf labels are matched by kind, namespace and name.
#   Without a baseline it finds nothing.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: k8s-sequential-upgrade
#   severity: deny
#   summary: >-
#     against the baseline twin: the base's `kubernetes_version` minor rises
#     by at most one and never falls (baseline)
#   baseline: true
#   fix: >-
#     Set `kubernetes_version` to the baseline's minor plus one (1.28 -> "1.29"),
#     apply and verify it, then raise it again in a later change; never lower it.
#   specFix: >-
#     Set `cluster.kubernetesVersion` to the baseline's minor plus one (1.33
#     -> "1.34"), render, apply and verify, then raise it again in a later
#     change; never lower it.
package fluxtf.rules.k8s_sequential_upgrade

import data.fluxtf.lib

rule_id := "k8s-sequential-upgrade"

# change: {r, field, old, new} for every base Terraform with a twin whose
# minor moved other than by nothing or one up (the rules below look at no
# other).
change := [{"r": f.r, "field": lib.var_field(v.index), "old": old, "new": new} |
	lib.has_baseline
	some f in lib.eks_base_facts
	tw := lib.twins[f.key]
	v := lib.fvar(f, "kubernetes_version")
	new := lib.k8s_minor(v.value)
	ov := lib.fvar(tw, "kubernetes_version")
	old := lib.k8s_minor(ov.value)
	not new in {old, old + 1}
]

deny contains lib.result(rule_id, c.r, c.field, msg) if {
	some c in change
	c.new > c.old + 1
	skipped := concat(" and ", [sprintf("1.%d", [m]) | some m in numbers.range(c.old + 1, c.new - 1)])
	msg := sprintf(
		"Kubernetes 1.%d -> 1.%d skips %s; EKS upgrades one minor at a time: set kubernetes_version to \"1.%d\" first",
		[c.old, c.new, skipped, c.old + 1],
	)
}

deny contains lib.result(rule_id, c.r, c.field, msg) if {
	some c in change
	c.new < c.old
	msg := sprintf(
		"Kubernetes 1.%d -> 1.%d is a downgrade, which EKS cannot do; keep kubernetes_version at \"1.%d\" (or raise it to \"1.%d\")",
		[c.old, c.new, c.old, c.old + 1],
	)
}
