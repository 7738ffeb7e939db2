package fluxtf.rules.eks_standard_support_test

import data.fluxtf.rules.eks_standard_support as rule
import data.fluxtf.test as t

calendar := {
	"1.31": {"endOfStandardSupport": "2025-11-26", "endOfExtendedSupport": "2026-11-26"},
	"1.32": {"endOfStandardSupport": "2026-03-23", "endOfExtendedSupport": "2027-03-23"},
}

run_input(k8s, today) := object.union(
	t.input_of([t.source("uat"), t.with_var(t.base("uat"), "kubernetes_version", k8s)]),
	{"context": {"eksVersions": calendar, "today": today}},
)

test_past_standard_support_warned if {
	res := rule.warn with input as run_input("1.31", "2026-01-10")
	count(res) == 1
	some x in res
	x.rule == "eks-standard-support"
	startswith(x.field, "spec.vars[")
	contains(x.msg, "2025-11-26")
	contains(x.msg, "2026-11-26")
	t.rules_fired == {"eks-standard-support"} with input as run_input("1.31", "2026-01-10")
}

test_last_day_of_standard_support_passes if {
	count(rule.warn) == 0 with input as run_input("1.31", "2025-11-26")
}

test_in_standard_support_passes if {
	count(rule.warn) == 0 with input as run_input("1.32", "2026-01-10")
}

test_past_extended_is_the_other_rule if {
	count(rule.warn) == 0 with input as run_input("1.31", "2026-11-27")
	t.rules_fired == {"eks-extended-support"} with input as run_input("1.31", "2026-11-27")
}

test_no_calendar_no_finding if {
	count(rule.warn) == 0 with input as t.input_of([t.source("uat"), t.with_var(t.base("uat"), "kubernetes_version", "1.31")])
}
