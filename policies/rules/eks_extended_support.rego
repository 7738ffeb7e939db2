# METADATA
# scope: package
# title: The cluster's Kubernetes version is still supported by EKS
# description: >-
#   When extended support of a Kubernetes minor version ends, Amazon EKS
#   upgrades the control plane to the next version itself, at a time of its
#   choosing and outside this repository: the running cluster no longer
#   matches the spec, and add-ons that do not support the new version break.
#   The rule refuses a base Terraform whose `kubernetes_version` is past the
#   end of extended support on the day of the run, naming that day. The
#   dates come from the EKS release calendar kept as data in
#   `templates/eks-versions.yaml` (with its AWS source), which fluxtf passes
#   to the policies as `context.eksVersions` with the run's date as
#   `context.today` (`--now` sets it); without them (conftest) the rule
#   finds nothing. Past standard support only, it is `eks-standard-support`
#   (warn).
#   Only the jeppesen-eks stack's objects are checked.
# custom:
#   id: eks-extended-support
#   severity: deny
#   summary: >-
#     the base's `kubernetes_version` is past EKS extended support on the
#     run's date: EKS upgrades such a control plane itself
#   fix: >-
#     Raise `cluster.kubernetesVersion` in the environment spec one minor at a
#     time (1.28 -> "1.29"), render, apply and verify each step, to a version
#     EKS still supports (hand-written: the `kubernetes_version` var).
package fluxtf.rules.eks_extended_support

import data.fluxtf.lib

rule_id := "eks-extended-support"

# (lib.eks_base_k8s_by_minor: each minor's row is looked up once, and the
# bases of a minor only when it is past.)
deny contains lib.result(rule_id, e.f.r, lib.var_field(e.index), msg) if {
	today := lib.context.today
	is_string(today)
	some m, bases in lib.eks_base_k8s_by_minor
	row := lib.context.eksVersions[sprintf("1.%d", [m])]
	today > row.endOfExtendedSupport
	some e in bases
	msg := sprintf(
		"Kubernetes 1.%d left EKS extended support on %s; EKS upgrades such a control plane itself, outside this repository: raise cluster.kubernetesVersion to \"1.%d\" now, one minor at a time",
		[m, row.endOfExtendedSupport, m + 1],
	)
}
