# METADATA
# scope: package
# title: Each tier deploys to its own AWS accounts
# description: >-
#   The multi-account strategy gives each tier its own accounts: dev deploys
#   only to `digx-dev` (development and feature testing), UAT only to
#   `digx-uat` (integration testing before production), and production only
#   to the production accounts, one or more per region (`digx-prod…`, such as
#   `digx-prod-eu`). A Terraform whose account (label `fluxtf.io/account`, else
#   its `fluxtf.io/target` label less the region) does not belong to its tier
#   would let a dev or UAT change run against another tier's resources. The
#   same holds for the account itself: the 12-digit `account_id` var (a
#   string, so leading zeros survive) must never serve two tiers in the set.
# custom:
#   id: account-by-tier
#   severity: deny
#   fix: >-
#     Point the target at its tier's account (dev digx-dev, uat digx-uat, prod
#     a digx-prod… account) with that account's own 12-digit id, quoted.
package fluxtf.rules.account_by_tier

import data.fluxtf.lib

rule_id := "account-by-tier"

expected := {"dev": "digx-dev", "uat": "digx-uat"}

prod_prefix := "digx-prod"

tiered contains [r, t] if {
	some r in lib.terraforms
	t := lib.tier(r.obj)
}

deny contains lib.result(rule_id, r, lib.account_field(r.obj), msg) if {
	some [r, t] in tiered
	want := expected[t]
	a := lib.account(r.obj)
	a != want
	msg := sprintf(
		"Terraform %q (%s) targets account %q; %s deploys only to %s: move the target to account %q",
		[lib.name(r.obj), t, a, t, want, want],
	)
}

deny contains lib.result(rule_id, r, lib.account_field(r.obj), msg) if {
	some [r, "prod"] in tiered
	a := lib.account(r.obj)
	not startswith(a, prod_prefix)
	msg := sprintf(
		"Terraform %q (prod) targets account %q, which is not a production account; prod deploys only to %s… accounts: move the target to a production account such as \"digx-prod-eu\"",
		[lib.name(r.obj), a, prod_prefix],
	)
}

# ---- account ids

ids contains {"id": id, "tier": t, "r": r, "field": v.field} if {
	some [r, t] in tiered
	v := lib.var(r.obj, "account_id")
	id := id_text(v.value)
}

id_text(v) := trim_space(v) if is_string(v)

id_text(v) := sprintf("%v", [v]) if is_number(v)

deny contains lib.result(rule_id, x.r, x.field, msg) if {
	some x in ids
	not regex.match(`^[0-9]{12}$`, x.id)
	msg := sprintf(
		"Terraform %q sets account_id to %s, which is not a 12-digit AWS account id; set it to the target account's id as a quoted 12-digit string",
		[lib.name(x.r.obj), lib.show(lib.var(x.r.obj, "account_id").value)],
	)
}

_id_set := {x.id | some x in ids}

id_tiers := {id: ts |
	some id in _id_set
	ts := {x.tier | some x in ids; x.id == id}
}

deny contains lib.result(rule_id, x.r, x.field, msg) if {
	some x in ids
	others := id_tiers[x.id] - {x.tier}
	count(others) > 0
	msg := sprintf(
		"Terraform %q (%s) deploys to AWS account %s, which also serves %s; one account never serves two tiers: give the %s target its own account and id",
		[lib.name(x.r.obj), x.tier, x.id, concat(" and ", sort(others)), x.tier],
	)
}
