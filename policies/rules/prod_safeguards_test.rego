package fluxtf.rules.prod_safeguards_test

import data.fluxtf.rules.prod_safeguards as rule
import data.fluxtf.test as t

test_prod_auto_apply_denied if {
	objs := [t.source("prod"), t.with_spec(t.base("prod"), {"approvePlan": "auto"})]
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "prod-safeguards"
	x.field == "spec.approvePlan"
	contains(x.msg, "without review")
	t.rules_fired == {"prod-safeguards"} with input as t.input_of(objs)
}

test_prod_destroy_and_force_denied if {
	objs := [t.source("prod"), t.with_spec(t.base("prod"), {"destroyResourcesOnDeletion": true, "force": true})]
	t.fields(rule.deny) == {"spec.destroyResourcesOnDeletion", "spec.force"} with input as t.input_of(objs)
}

test_prod_defaults_and_plan_id_pass if {
	count(rule.deny) == 0 with input as t.input_of(t.env("prod"))
	objs := [t.source("prod"), t.with_spec(t.base("prod"), {"approvePlan": "plan-v4.1.3-b8e362c206", "destroyResourcesOnDeletion": false})]
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_uat_auto_and_destroy_pass if {
	objs := [t.source("uat"), t.with_spec(t.base("uat"), {"approvePlan": "auto", "destroyResourcesOnDeletion": true})]
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_tier_from_labels if {
	# the tier label says prod even though the name says uat
	tf := t.with_labels(t.with_spec(t.base("uat"), {"approvePlan": "auto"}), {"fluxtf.io/tier": "prod"})
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), tf])
}
