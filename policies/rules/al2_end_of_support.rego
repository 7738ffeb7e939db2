# METADATA
# scope: package
# title: AL2 is past end of support
# description: >-
#   EKS-optimised Amazon Linux 2 AMIs reached end of support on 2025-11-26:
#   they get no more security patches, and none are built for Kubernetes 1.33
#   or later, so an AL2 cluster cannot follow the sequential upgrades past
#   1.32. `DEFAULT` maps to AL2 (and forces launch template updates), so it is
#   affected too. A base Terraform with `os` `AL2` or `DEFAULT` below
#   Kubernetes 1.33 (or with no readable `kubernetes_version`) is warned
#   about; from 1.33 the `os-supported` rule refuses it instead.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: al2-end-of-support
#   severity: warn
#   summary: >-
#     `AL2`/`DEFAULT` below 1.33: past end of support (2025-11-26), plan
#     AL2023 or Bottlerocket
#   fix: >-
#     Plan the move to `AL2023` or `BOTTLEROCKET` (Bottlerocket for production)
#     and set `os` accordingly before upgrading Kubernetes to 1.33.
#   specFix: >-
#     Set `cluster.os` to `AL2023` or `BOTTLEROCKET` in the environment spec,
#     render and apply, before raising `cluster.kubernetesVersion` to 1.33.
package fluxtf.rules.al2_end_of_support

import data.fluxtf.lib

rule_id := "al2-end-of-support"

# The bases' distinct os values are looked at first.
_oses := {p[1] | some p in lib.eks_base_oses}

warn contains lib.result(rule_id, f.r, lib.var_field(v.index), msg) if {
	_oses & {"AL2", "DEFAULT"} != set()
	some f in lib.eks_base_facts
	v := lib.fvar(f, "os")
	v.value in {"AL2", "DEFAULT"}
	not from_133(f)
	msg := sprintf(
		"Terraform %q runs os %s%s, whose EKS AMIs reached end of support on 2025-11-26 and do not exist from Kubernetes 1.33; plan the move and set os to \"AL2023\" or \"BOTTLEROCKET\"",
		[f.name, v.value, note(v.value)],
	)
}

note("DEFAULT") := " (which maps to AL2)"

note(os) := "" if os != "DEFAULT"

from_133(f) if {
	k := lib.fvar(f, "kubernetes_version")
	lib.k8s_minor(k.value) >= 33
}
