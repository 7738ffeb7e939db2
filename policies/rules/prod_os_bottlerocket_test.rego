package fluxtf.rules.prod_os_bottlerocket_test

import data.fluxtf.rules.prod_os_bottlerocket as rule
import data.fluxtf.test as t

prod(os) := [t.source("prod"), t.with_var(t.base("prod"), "os", os)]

test_bottlerocket_passes if {
	count(rule.warn) == 0 with input as t.input_of(t.env("prod"))
}

test_al2023_in_prod_warned if {
	res := rule.warn with input as t.input_of(prod("AL2023"))
	count(res) == 1
	some x in res
	x.rule == "prod-os-bottlerocket"
	x.field == "spec.vars[4].value"
	contains(x.msg, "\"AL2023\"")
	t.rules_fired == {"prod-os-bottlerocket"} with input as t.input_of(prod("AL2023"))
}

test_other_tiers_not_warned if {
	count(rule.warn) == 0 with input as t.input_of([t.source("uat"), t.with_var(t.base("uat"), "os", "AL2023")])
}

test_missing_os_warned if {
	objs := [t.source("prod"), t.without_var(t.base("prod"), "os")]
	t.fields(rule.warn) == {"spec.vars"} with input as t.input_of(objs)
}

test_tier_from_name if {
	b := t.without_labels(t.with_var(t.base("prod"), "os", "CUSTOM"), ["fluxtf.io/tier", "fluxtf.io/environment"])
	count(rule.warn) == 1 with input as t.input_of([t.source("prod"), b])
}

test_prod_components_not_warned if {
	c := t.component("prod", "istio", [{"name": "os", "value": "AL2"}])
	count(rule.warn) == 0 with input as t.input_of(array.concat(t.env("prod"), [c]))
}

test_no_deny_results if {
	count(rule.warn) == 1 with input as t.input_of(prod("AL2023"))
	not rule.deny with input as t.input_of(prod("AL2023"))
}
