package fluxtf.rules.eks_extended_support_test

import data.fluxtf.rules.eks_extended_support as rule
import data.fluxtf.test as t

calendar := {"1.28": {"endOfStandardSupport": "2024-11-26", "endOfExtendedSupport": "2025-11-26"}}

run_input(k8s, today) := object.union(
	t.input_of([t.source("uat"), t.with_var(t.base("uat"), "kubernetes_version", k8s)]),
	{"context": {"eksVersions": calendar, "today": today}},
)

test_past_extended_support_denied if {
	res := rule.deny with input as run_input("1.28", "2025-11-27")
	count(res) == 1
	some x in res
	x.rule == "eks-extended-support"
	contains(x.msg, "2025-11-26")
	contains(x.msg, "\"1.29\"")
	t.rules_fired == {"eks-extended-support"} with input as run_input("1.28", "2025-11-27")
}

test_last_day_of_extended_support_passes if {
	count(rule.deny) == 0 with input as run_input("1.28", "2025-11-26")
}

test_version_not_in_calendar_passes if {
	count(rule.deny) == 0 with input as run_input("1.99", "2030-01-01")
}
