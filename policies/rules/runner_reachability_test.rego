package fluxtf.rules.runner_reachability_test

import data.fluxtf.rules.runner_reachability as rule
import data.fluxtf.test as t

private_base(tier) := t.add_var(t.base(tier), {"name": "cluster_endpoint_public_access", "value": false})

access(o, a) := t.with_annotations(o, {"fluxtf.io/runner-access": a})

test_private_endpoint_without_access_warned if {
	objs := [t.source("uat"), private_base("uat"), t.efs("uat")]
	res := rule.warn with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "runner-reachability"
	x.name == t.base_name("uat")
	x.field == "spec.vars[6].value"
	contains(x.msg, "nothing says how they reach it")
	t.rules_fired == {"runner-reachability"} with input as t.input_of(objs)
}

test_private_endpoint_with_access_passes if {
	count(rule.warn) == 0 with input as t.input_of([t.source("uat"), access(private_base("uat"), "private"), t.efs("uat")])
}

test_private_endpoint_without_components_passes if {
	count(rule.warn) == 0 with input as t.input_of([t.source("uat"), private_base("uat")])
}

test_unknown_endpoint_passes if {
	count(rule.warn) == 0 with input as t.input_of([t.source("uat"), t.base("uat"), t.efs("uat")])
}

test_public_endpoint_open_to_all_warned if {
	pub := t.add_var(t.base("uat"), {"name": "cluster_endpoint_public_access", "value": true})
	res := rule.warn with input as t.input_of([t.source("uat"), pub])
	t.fields(res) == {"spec.vars[6].value"}
	open := t.add_var(pub, {"name": "cluster_endpoint_public_access_cidrs", "value": ["10.0.0.0/8", "0.0.0.0/0"]})
	t.fields(rule.warn) == {"spec.vars[7].value"} with input as t.input_of([t.source("uat"), open])
	limited := t.add_var(pub, {"name": "cluster_endpoint_public_access_cidrs", "value": ["203.0.113.10/32"]})
	count(rule.warn) == 0 with input as t.input_of([t.source("uat"), limited, t.efs("uat")])
}
