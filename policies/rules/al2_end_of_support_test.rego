package fluxtf.rules.al2_end_of_support_test

import data.fluxtf.rules.al2_end_of_support as rule
import data.fluxtf.test as t

uat(os, k8s) := [t.source("uat"), t.with_var(t.with_var(t.base("uat"), "os", os), "kubernetes_version", k8s)]

test_al2_warned if {
	res := rule.warn with input as t.input_of(uat("AL2", "1.29"))
	count(res) == 1
	some x in res
	x.rule == "al2-end-of-support"
	x.field == "spec.vars[4].value"
	contains(x.msg, "2025-11-26")
	t.rules_fired == {"al2-end-of-support"} with input as t.input_of(uat("AL2", "1.29"))
}

test_default_warned_as_al2 if {
	res := rule.warn with input as t.input_of(uat("DEFAULT", "1.32"))
	some x in res
	contains(x.msg, "maps to AL2")
}

test_al2023_and_bottlerocket_pass if {
	count(rule.warn) == 0 with input as t.input_of(uat("AL2023", "1.29"))
	count(rule.warn) == 0 with input as t.input_of(uat("BOTTLEROCKET", "1.29"))
}

test_from_133_left_to_os_supported if {
	count(rule.warn) == 0 with input as t.input_of(uat("AL2", "1.33"))
	t.rules_fired == {"os-supported"} with input as t.input_of(uat("AL2", "1.33"))
}

test_unknown_version_still_warned if {
	objs := [t.source("uat"), t.without_var(t.with_var(t.base("uat"), "os", "AL2"), "kubernetes_version")]
	count(rule.warn) == 1 with input as t.input_of(objs)
}
