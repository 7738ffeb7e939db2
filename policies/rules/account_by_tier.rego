# METADATA
# scope: package
# title: Each tier deploys to its own AWS accounts
# description: >-
#   The multi-account strategy gives each tier its own accounts: dev deploys
#   only to `digx-dev` (development and feature testing), UAT only to
#   `digx-uat` (integration testing before production), and production only
#   to the production accounts, one or more per region (`digx-prod…`, such as
#   `digx-prod-eu`). Those are the defaults; a specs folder's
#   `defaults.yaml` names its own under `accounts:` (tier -> aliases, a
#   trailing `*` matching a prefix), which `fluxtf check` and `fluxtf
#   validate --specs DIR` pass to the rule as `context.accounts`. A Terraform whose account (label `fluxtf.io/account`, else
#   its `fluxtf.io/target` label less the region) does not belong to its tier
#   would let a dev or UAT change run against another tier's resources. The
#   same holds for the account itself: the 12-digit `account_id` var (a
#   string, so leading zeros survive) must never serve two tiers in the set,
#   nor the Azure subscription of a target with one (the `subscription_id`
#   var, a GUID). The rule is of the `common` policy family: it checks the
#   Terraforms whose families list `common` (jeppesen-eks and ocm-client,
#   and the jeppesen-eks stack's hand-written ones: see "the stack's
#   objects" in docs/policies.md), never an application's or another
#   team's.
# custom:
#   id: account-by-tier
#   severity: deny
#   summary: >-
#     each tier targets its own accounts (`context.accounts`, from the specs
#     folder's `defaults.yaml` `accounts:`; default dev `digx-dev`, uat
#     `digx-uat`, prod `digx-prod…`); one account id, or Azure subscription id
#     (`subscription_id`), never serves two tiers; every stack of the `common`
#     family
#   fix: >-
#     Point the target at its tier's account (by default dev digx-dev, uat
#     digx-uat, prod a digx-prod… account; `accounts:` in defaults.yaml) with
#     that account's own 12-digit id, quoted; give each tier's Azure target
#     its own subscription (targets[].azure.subscriptionId).
#   specFix: >-
#     Set the target's `targets[].account` and `targets[].accountId` (or
#     `targets[].azure.subscriptionId`) to an account of the environment's
#     tier (`accounts:` in defaults.yaml maps tiers to accounts; one account
#     serves one tier) and render.
package fluxtf.rules.account_by_tier

import data.fluxtf.lib

rule_id := "account-by-tier"

# default_accounts: each tier's account aliases when the run does not say
# (context.accounts, read by fluxtf check from the specs folder's
# defaults.yaml `accounts:`); a trailing * matches any alias with that
# prefix.
default_accounts := {"dev": ["digx-dev"], "uat": ["digx-uat"], "prod": ["digx-prod*"]}

accounts := object.union(default_accounts, {t: ps |
	some t, ps in lib.context.accounts
	t in lib.tier_names
	is_array(ps)
}) if {
	is_object(lib.context.accounts)
} else := default_accounts

matches(p, a) if {
	endswith(p, "*")
	startswith(a, trim_suffix(p, "*"))
}

matches(p, a) if {
	not endswith(p, "*")
	a == p
}

# account_fine(t, a): a Terraform of tier t labelled with account a (a
# fact's "account": "" when it has no such label) targets one of its tier's
# accounts: neither account rule below can fire for it, as account(obj) is
# that label. Distinct [tier, account] pairs are few: each is checked once.
account_fine(t, a) if {
	some p in accounts[t]
	matches(p, a)
}

# shown(t): the tier's accounts for messages: "digx-uat", or "digx-prod…"
# for a prefix.
shown(t) := concat(" or ", [sprintf("%q", [x]) | some p in accounts[t]; x := regex.replace(p, `\*$`, "…")])

_accounts := {[x.tier, x.account] | some x in lib.common_tf_shapes}

_unclear_accounts := {p | some p in _accounts; p[0] in lib.tier_names; not account_fine(p[0], p[1])}

_account_suspects := [[f.r, f.x.tier] |
	count(_unclear_accounts) > 0
	some f in lib.common_tf_facts
	_unclear_accounts[[f.x.tier, f.x.account]]
]

deny contains lib.result(rule_id, r, lib.account_field(r.obj), msg) if {
	some [r, t] in _account_suspects
	t != "prod"
	a := lib.account(r.obj)
	not account_fine(t, a)
	msg := sprintf(
		"Terraform %q (%s) targets account %q; %s deploys only to %s: move the target to that account (or list %q under accounts.%s in defaults.yaml)",
		[lib.name(r.obj), t, a, t, shown(t), a, t],
	)
}

deny contains lib.result(rule_id, r, lib.account_field(r.obj), msg) if {
	some [r, "prod"] in _account_suspects
	a := lib.account(r.obj)
	not account_fine("prod", a)
	msg := sprintf(
		"Terraform %q (prod) targets account %q, which is not a production account; prod deploys only to %s: move the target to a production account (or list %q under accounts.prod in defaults.yaml)",
		[lib.name(r.obj), a, shown("prod"), a],
	)
}

# ---- account ids

# The account ids are read once per distinct [account_id value, tier]
# (lib.common_tf_account_ids): the rules below need the Terraforms only of
# the ids that are malformed or serve several tiers.
_id_values := lib.common_tf_account_ids

# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries):
# the distinct [value, tier] of the account ids and of the subscription ids.
fleet_summary := {"ids": _id_values, "subs": _sub_values}

_fleet := s if {
	s := lib.fleet_summaries.account_by_tier
} else := fleet_summary

_id_tiers := {[id, t] | some [v, t] in _fleet.ids; t in lib.tier_names; id := id_text(v)}

_id_set := {p[0] | some p in _id_tiers}

id_tiers := {id: ts |
	some id in _id_set
	ts := {p[1] | some p in _id_tiers; p[0] == id}
}

id_valid := `^[0-9]{12}$`

_flagged := {id |
	some id, ts in id_tiers
	flagged(id, ts)
}

flagged(id, _) if not regex.match(id_valid, id)

flagged(_, ts) if count(ts) > 1

ids contains {"id": id, "tier": f.x.tier, "r": f.r, "field": lib.var_field(v.index)} if {
	count(_flagged) > 0
	some f in lib.common_tf_facts
	f.x.tier in lib.tier_names
	v := lib.fvar(f, "account_id")
	id := id_text(v.value)
	_flagged[id]
}

id_text(v) := trim_space(v) if is_string(v)

id_text(v) := sprintf("%v", [v]) if is_number(v)

deny contains lib.result(rule_id, x.r, x.field, msg) if {
	some x in ids
	not regex.match(id_valid, x.id)
	msg := sprintf(
		"Terraform %q sets account_id to %s, which is not a 12-digit AWS account id; set it to the target account's id as a quoted 12-digit string",
		[lib.name(x.r.obj), lib.show(lib.var(x.r.obj, "account_id").value)],
	)
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

# ---- Azure subscription ids (targets with an azure block: ocm-client)

# Read once per distinct [subscription_id value, tier], like the account
# ids; GUIDs compare in lower case.
_sub_values := {[f.vs[i].value, f.x.tier] | _subscriptions; some f in lib.common_tf_facts; i := f.y.vm.subscription_id}

# _subscriptions: some Terraform sets subscription_id (seen in the few
# distinct var layouts, so that an AWS fleet is not read for it).
_subscriptions if {
	some y in lib.tf_layouts
	_ = y.vm.subscription_id
}

_sub_tiers := {[id, t] |
	some [v, t] in _fleet.subs
	t in lib.tier_names
	is_string(v)
	id := lower(trim_space(v))
	id != ""
}

sub_tiers := {id: ts |
	some id in {p[0] | some p in _sub_tiers}
	ts := {p[1] | some p in _sub_tiers; p[0] == id}
}

_sub_shared := {id | some id, ts in sub_tiers; count(ts) > 1}

deny contains lib.result(rule_id, f.r, lib.var_field(v.index), msg) if {
	count(_sub_shared) > 0
	some f in lib.common_tf_facts
	f.x.tier in lib.tier_names
	v := lib.fvar(f, "subscription_id")
	is_string(v.value)
	id := lower(trim_space(v.value))
	_sub_shared[id]
	others := sub_tiers[id] - {f.x.tier}
	msg := sprintf(
		"Terraform %q (%s) deploys to Azure subscription %s, which also serves %s; one subscription never serves two tiers: give the %s target its own subscription (targets[].azure.subscriptionId)",
		[lib.name(f.r.obj), f.x.tier, id, concat(" and ", sort(others)), f.x.tier],
	)
}
