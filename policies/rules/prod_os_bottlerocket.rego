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

import data.fluxtf.api

rule_id := "prod-os-bottlerocket"

# (Written against data.fluxtf.api only, as docs/writing-policies.md shows.)
prod_bases := [o | some o in api.base_terraforms; o.tier == "prod"; api.in_family(o, "eks")]

warn contains api.result(rule_id, o, v.field, msg) if {
	some o in prod_bases
	v := api.var(o, "os")
	v.value != "BOTTLEROCKET"
	msg := sprintf(
		"Production Terraform %q runs os %s; production should run Bottlerocket, the container-optimised OS: set os to \"BOTTLEROCKET\"",
		[o.name, api.show(v.value)],
	)
}

warn contains api.result(rule_id, o, field, msg) if {
	some o in prod_bases
	not api.has_var(o, "os")
	field := api.nearest_field(o, ["spec", "vars"])
	msg := sprintf(
		"Production Terraform %q sets no os, so it takes the module's default (AL2); production should run Bottlerocket: add the var os with value \"BOTTLEROCKET\"",
		[o.name],
	)
}
