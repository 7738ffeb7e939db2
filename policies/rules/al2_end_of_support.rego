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
# custom:
#   id: al2-end-of-support
#   severity: warn
#   fix: >-
#     Plan the move to `AL2023` or `BOTTLEROCKET` (Bottlerocket for production)
#     and set `os` accordingly before upgrading Kubernetes to 1.33.
package fluxtf.rules.al2_end_of_support

import data.fluxtf.lib

rule_id := "al2-end-of-support"

warn contains lib.result(rule_id, r, v.field, msg) if {
	some r in lib.bases
	v := lib.var(r.obj, "os")
	v.value in {"AL2", "DEFAULT"}
	not from_133(r.obj)
	msg := sprintf(
		"Terraform %q runs os %s%s, whose EKS AMIs reached end of support on 2025-11-26 and do not exist from Kubernetes 1.33; plan the move and set os to \"AL2023\" or \"BOTTLEROCKET\"",
		[lib.name(r.obj), v.value, note(v.value)],
	)
}

note("DEFAULT") := " (which maps to AL2)"

note(os) := "" if os != "DEFAULT"

from_133(o) if {
	k := lib.var(o, "kubernetes_version")
	lib.k8s_minor(k.value) >= 33
}
