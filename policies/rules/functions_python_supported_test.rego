package fluxtf.rules.functions_python_supported_test

import data.fluxtf.rules.functions_python_supported as rule
import data.fluxtf.test as t

with_python(v) := [t.ocm_source("uat"), t.with_var(t.ocm_app("uat"), "python_version", v)]

test_supported_version_passes if {
	count(rule.deny) == 0 with input as t.ocm_input(with_python("3.12"), "2026-11-25")
}

test_python_38_denied if {
	res := rule.deny with input as t.ocm_input(with_python("3.8"), "2026-11-25")
	t.fields(res) == {"spec.vars[4].value"}
	some x in res
	contains(x.msg, "2024-10-07")
	contains(x.msg, "\"3.13\"")
}

test_last_day_of_support_passes if {
	count(rule.deny) == 0 with input as t.ocm_input(with_python("3.10"), "2026-10-31")
}

test_day_after_end_denied if {
	count(rule.deny) == 1 with input as t.ocm_input(with_python("3.10"), "2026-11-01")
}

test_unknown_version_denied_without_a_date if {
	res := rule.deny with input as t.input_of(with_python("3.6"))
	t.fields(res) == {"spec.vars[4].value"}
}

test_no_date_no_end_of_support_finding if {
	count(rule.deny) == 0 with input as t.input_of(with_python("3.8"))
}

test_engine_table_wins if {
	inp := object.union(t.ocm_input(with_python("3.12"), "2026-11-25"), {"context": {"pythonRuntimes": {"warnDays": 10, "versions": {"3.12": "2025-01-01"}}}})
	count(rule.deny) == 1 with input as inp
}

test_eks_terraform_not_checked if {
	objs := [t.source("uat"), t.add_var(t.base("uat"), {"name": "python_version", "value": "3.8"})]
	count(rule.deny) == 0 with input as t.ocm_input(objs, "2026-11-25")
}
