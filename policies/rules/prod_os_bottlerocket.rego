# METADATA
# scope: package
# title: Production runs Bottlerocket
# description: >-
#   Bottlerocket is the container-optimised, immutable OS with a minimal
#   attack surface that the platform recommends for production; AL2 is
#   general-purpose (and past end of support), and `DEFAULT` maps to AL2.
#   A production base Terraform (tier `prod`) whose `os` is anything other
#   than `BOTTLEROCKET`, or that sets no `os` and so takes the module's
#   default, is reported as a warning; an agreed exception is recorded with a
#   waiver.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: prod-os-bottlerocket
#   severity: warn
#   summary: >-
#     prod base Terraforms run `BOTTLEROCKET`
#   fix: >-
#     Set `os: BOTTLEROCKET` (cluster.os in the prod spec), or waive the rule on
#     the object with a dated reason while the move is planned.
#   specFix: >-
#     Set `cluster.os: BOTTLEROCKET` in the prod spec and render, or add a
#     dated entry to the spec's `waivers:` while the move is planned.
package fluxtf.rules.prod_os_bottlerocket

import data.fluxtf.lib

rule_id := "prod-os-bottlerocket"

prod_bases := [f | some f in lib.eks_base_facts; f.x.tier == "prod"]

_prod_oses := {p[1] | some p in lib.eks_base_oses; p[0] == "prod"}

warn contains lib.result(rule_id, f.r, lib.var_field(v.index), msg) if {
	count(_prod_oses - {"BOTTLEROCKET"}) > 0
	some f in prod_bases
	v := lib.fvar(f, "os")
	v.value != "BOTTLEROCKET"
	msg := sprintf(
		"Production Terraform %q runs os %s; production should run Bottlerocket, the container-optimised OS: set os to \"BOTTLEROCKET\"",
		[f.name, lib.show(v.value)],
	)
}

warn contains lib.result(rule_id, f.r, field, msg) if {
	some f in prod_bases
	not lib.fvar_entry(f, "os")
	field := lib.nearest_field(f.r.obj, ["spec", "vars"])
	msg := sprintf(
		"Production Terraform %q sets no os, so it takes the module's default (AL2); production should run Bottlerocket: add the var os with value \"BOTTLEROCKET\"",
		[f.name],
	)
}
