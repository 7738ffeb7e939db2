# METADATA
# scope: package
# title: The cluster's Kubernetes version is in EKS standard support
# description: >-
#   Amazon EKS supports a Kubernetes minor version for 14 months of standard
#   support, then 12 months of extended support at an extra cost per cluster
#   hour. The rule warns when the base Terraform's `kubernetes_version` is
#   past the end of standard support on the day of the run, naming that day
#   and the end of extended support; past extended support it is
#   `eks-extended-support`. The dates come from the EKS release calendar
#   kept as data in `templates/eks-versions.yaml` (with its AWS source),
#   which fluxtf passes to the policies as `context.eksVersions` with the
#   run's date as `context.today` (`--now` sets it); without them (conftest)
#   the rule finds nothing. A version missing from the calendar is refused
#   by `fluxtf render` (exit 2).
#   Only the jeppesen-eks stack's objects are checked.
# custom:
#   id: eks-standard-support
#   severity: warn
#   summary: >-
#     the base's `kubernetes_version` is past EKS standard support on the
#     run's date (`context.eksVersions`, `context.today`): names the end of
#     standard and of extended support
#   fix: >-
#     Raise `cluster.kubernetesVersion` in the environment spec one minor at a
#     time (1.31 -> "1.32"), render, apply and verify, until the version is in
#     standard support again (hand-written: the `kubernetes_version` var).
package fluxtf.rules.eks_standard_support

import data.fluxtf.lib

rule_id := "eks-standard-support"

# (lib.eks_base_k8s_by_minor: each minor's row is looked up once, and the
# bases of a minor only when it is past.)
# (lib.fact_result: many clusters may warn.)
warn contains lib.fact_result(rule_id, e.f, lib.var_field(e.index), msg) if {
	today := lib.context.today
	is_string(today)
	some m, bases in lib.eks_base_k8s_by_minor
	row := lib.context.eksVersions[sprintf("1.%d", [m])]
	today > row.endOfStandardSupport
	today <= row.endOfExtendedSupport
	some e in bases
	msg := sprintf(
		"Kubernetes 1.%d left EKS standard support on %s; the cluster is on extended support (an extra cost per cluster hour) until %s, when EKS upgrades it itself: raise cluster.kubernetesVersion to \"1.%d\"",
		[m, row.endOfStandardSupport, row.endOfExtendedSupport, m + 1],
	)
}
