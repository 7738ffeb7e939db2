package fluxtf.rules.account_by_tier_test

import data.fluxtf.rules.account_by_tier as rule
import data.fluxtf.test as t

test_clean_tiers_pass if {
	count(rule.deny) == 0 with input as t.input_of(t.all_tiers)
}

test_uat_in_prod_account_denied if {
	b := t.with_labels(t.base("uat"), {"fluxtf.io/account": "digx-prod-eu"})
	res := rule.deny with input as t.input_of([t.source("uat"), b])
	count(res) == 1
	some x in res
	x.rule == "account-by-tier"
	x.field == "metadata.labels[fluxtf.io/account]"
	contains(x.msg, "\"digx-prod-eu\"")
	contains(x.msg, "\"digx-uat\"")
	t.rules_fired == {"account-by-tier"} with input as t.input_of([t.source("uat"), b])
}

test_dev_in_uat_account_denied if {
	b := t.with_labels(t.base("dev"), {"fluxtf.io/account": "digx-uat"})
	t.fields(rule.deny) == {"metadata.labels[fluxtf.io/account]"} with input as t.input_of([t.source("dev"), b])
}

test_prod_in_non_production_account_denied if {
	b := t.with_labels(t.base("prod"), {"fluxtf.io/account": "digx-uat"})
	res := rule.deny with input as t.input_of([t.source("prod"), b])
	some x in res
	contains(x.msg, "not a production account")
}

test_prod_accounts_per_region_pass if {
	b := t.with_labels(t.base("prod"), {"fluxtf.io/account": "digx-prod-us"})
	count(rule.deny) == 0 with input as t.input_of([t.source("prod"), b])
}

test_account_from_target_when_unlabelled if {
	b := t.with_labels(t.without_labels(t.base("uat"), ["fluxtf.io/account"]), {"fluxtf.io/target": "digx-dev-eu-west-1"})
	t.fields(rule.deny) == {"metadata.labels[fluxtf.io/target]"} with input as t.input_of([t.source("uat"), b])
	b2 := t.without_labels(t.base("uat"), ["fluxtf.io/account"])
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), b2])
}

test_untiered_terraform_skipped if {
	b := t.without_labels(t.base("uat"), ["fluxtf.io/tier", "fluxtf.io/environment"])
	b2 := json.patch(b, [{"op": "replace", "path": "/metadata/name", "value": "cluster-eks"}])
	b3 := t.with_labels(b2, {"fluxtf.io/account": "digx-prod-eu"})
	count(rule.deny) == 0 with input as t.input_of([b3])
}

test_shared_account_id_denied_on_both_tiers if {
	prod := t.with_var(t.base("prod"), "account_id", "111111111111")
	objs := array.concat(t.env("uat"), [t.source("prod"), prod])
	res := rule.deny with input as t.input_of(objs)
	{[x.name, x.field] | some x in res} == {
		["uat-digx-uat-eu-west-1-eks", "spec.vars[0].value"],
		["prod-digx-prod-eu-eu-west-1-eks", "spec.vars[0].value"],
	}
	some x in res
	x.name == "prod-digx-prod-eu-eu-west-1-eks"
	contains(x.msg, "also serves uat")
}

test_same_account_id_in_one_tier_passes if {
	# Two prod targets of one account (two regions) share its id.
	other := json.patch(t.base("prod"), [{"op": "replace", "path": "/metadata/name", "value": "prod-digx-prod-eu-eu-central-1-eks"}])
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("prod"), [other]))
}

test_account_id_not_twelve_digits_denied if {
	b := t.with_var(t.base("uat"), "account_id", 11111111111)
	res := rule.deny with input as t.input_of([t.source("uat"), b])
	t.fields(res) == {"spec.vars[0].value"}
	some x in res
	contains(x.msg, "12-digit")
}

# The specs folder's mapping (context.accounts) replaces a tier's defaults.
with_accounts(objs, m) := object.union(t.input_of(objs), {"context": {"accounts": m}})

test_accounts_from_context if {
	b := t.with_labels(t.base("prod"), {"fluxtf.io/account": "acme-live-eu"})
	objs := [t.source("prod"), b]
	res := rule.deny with input as t.input_of(objs)
	some x in res
	contains(x.msg, "prod deploys only to \"digx-prod…\"")
	count(rule.deny) == 0 with input as with_accounts(objs, {"prod": ["acme-live-*"]})
	# uat keeps its default
	res2 := rule.deny with input as with_accounts(array.concat(objs, [t.source("uat"), t.with_labels(t.base("uat"), {"fluxtf.io/account": "acme-test"})]), {"prod": ["acme-live-*"]})
	{x.name | some x in res2} == {t.base_name("uat")}
	count(rule.deny) == 0 with input as with_accounts(array.concat(objs, [t.source("uat"), t.with_labels(t.base("uat"), {"fluxtf.io/account": "acme-test"})]), {"prod": ["acme-live-*"], "uat": ["acme-test", "digx-uat"]})
	# digx-prod-eu is no longer a production account there
	count(rule.deny) == 1 with input as with_accounts(t.env("prod"), {"prod": ["acme-live-*"]})
}

# ---- the common family: ocm-client (accounts and Azure subscriptions)

test_clean_ocm_tiers_pass if {
	count(rule.deny) == 0 with input as t.input_of(t.ocm_all_tiers)
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.all_tiers, t.ocm_all_tiers))
}

test_ocm_uat_in_dev_account_denied if {
	app := t.with_labels(t.ocm_app("uat"), {"fluxtf.io/account": "digx-dev"})
	res := rule.deny with input as t.input_of([t.ocm_source("uat"), app])
	count(res) == 1
	some x in res
	x.field == "metadata.labels[fluxtf.io/account]"
	contains(x.msg, t.ocm_app_name("uat"))
	t.rules_fired == {"account-by-tier"} with input as t.input_of([t.ocm_source("uat"), app])
}

test_ocm_account_id_of_two_tiers_denied if {
	app := t.with_var(t.ocm_app("prod"), "account_id", t.accounts.uat.id)
	objs := array.concat(t.ocm_env("uat"), [t.ocm_source("prod"), app])
	t.fields(rule.deny) == {"spec.vars[0].value"} with input as t.input_of(objs)
	count(rule.deny) == 2 with input as t.input_of(objs)
}

test_ocm_subscription_of_two_tiers_denied if {
	app := t.with_var(t.ocm_app("prod"), "subscription_id", upper(t.ocm_subscriptions.uat))
	objs := array.concat(t.ocm_env("uat"), [t.ocm_source("prod"), app])
	res := rule.deny with input as t.input_of(objs)
	count(res) == 2
	{x.name | some x in res} == {t.ocm_app_name("uat"), t.ocm_app_name("prod")}
	some x in res
	x.name == t.ocm_app_name("prod")
	x.field == t.var_field(app, "subscription_id")
	contains(x.msg, "also serves uat")
	t.rules_fired == {"account-by-tier"} with input as t.input_of(objs)
}

# a stack whose families leave out common is not checked
test_ocm_without_common_not_checked if {
	app := t.with_annotations(t.with_labels(t.ocm_app("uat"), {"fluxtf.io/account": "digx-dev"}), {"fluxtf.io/policies": "ocm-client"})
	count(rule.deny) == 0 with input as t.input_of([t.ocm_source("uat"), app])
}
