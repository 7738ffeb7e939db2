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
# custom:
#   id: prod-os-bottlerocket
#   severity: warn
#   fix: >-
#     Set `os: BOTTLEROCKET` (cluster.os in the prod spec), or waive the rule on
#     the object with a dated reason while the move is planned.
package fluxtf.rules.prod_os_bottlerocket

import data.fluxtf.lib

rule_id := "prod-os-bottlerocket"

prod_bases contains r if {
	some r in lib.bases
	lib.tier(r.obj) == "prod"
}

warn contains lib.result(rule_id, r, v.field, msg) if {
	some r in prod_bases
	v := lib.var(r.obj, "os")
	v.value != "BOTTLEROCKET"
	msg := sprintf(
		"Production Terraform %q runs os %s; production should run Bottlerocket, the container-optimised OS: set os to \"BOTTLEROCKET\"",
		[lib.name(r.obj), lib.show(v.value)],
	)
}

warn contains lib.result(rule_id, r, field, msg) if {
	some r in prod_bases
	not lib.var_entry(r.obj, "os")
	field := lib.nearest_field(r.obj, ["spec", "vars"])
	msg := sprintf(
		"Production Terraform %q sets no os, so it takes the module's default (AL2); production should run Bottlerocket: add the var os with value \"BOTTLEROCKET\"",
		[lib.name(r.obj)],
	)
}
