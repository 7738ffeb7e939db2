package fluxtf.rules.functions_python_end_of_support_test

import data.fluxtf.rules.functions_python_end_of_support as rule
import data.fluxtf.test as t

with_python(v) := [t.ocm_source("uat"), t.with_var(t.ocm_app("uat"), "python_version", v)]

test_far_from_end_passes if {
	count(rule.warn) == 0 with input as t.ocm_input(with_python("3.12"), "2026-11-25")
}

test_within_warn_days_warns if {
	res := rule.warn with input as t.ocm_input(with_python("3.11"), "2027-06-01")
	t.fields(res) == {"spec.vars[4].value"}
	some x in res
	contains(x.msg, "2027-10-31 (152 days from now)")
	t.rules_fired == {"functions-python-end-of-support"} with input as t.ocm_input(with_python("3.11"), "2027-06-01")
}

test_window_edges if {
	count(rule.warn) == 1 with input as t.ocm_input(with_python("3.11"), "2027-05-04")
	count(rule.warn) == 0 with input as t.ocm_input(with_python("3.11"), "2027-05-03")
	count(rule.warn) == 1 with input as t.ocm_input(with_python("3.11"), "2027-10-31")
	count(rule.warn) == 0 with input as t.ocm_input(with_python("3.11"), "2027-11-01")
}

test_no_date_no_warning if {
	count(rule.warn) == 0 with input as t.input_of(with_python("3.11"))
}
