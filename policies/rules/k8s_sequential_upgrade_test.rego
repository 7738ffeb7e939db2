package fluxtf.rules.k8s_sequential_upgrade_test

import data.fluxtf.rules.k8s_sequential_upgrade as rule
import data.fluxtf.test as t

uat_at(v) := [t.source("uat"), t.with_var(t.base("uat"), "kubernetes_version", v)]

test_skip_denied if {
	res := rule.deny with input as t.with_baseline(uat_at("1.30"), uat_at("1.28"))
	count(res) == 1
	some x in res
	x.rule == "k8s-sequential-upgrade"
	x.field == "spec.vars[2].value"
	x.msg == "Kubernetes 1.28 -> 1.30 skips 1.29; EKS upgrades one minor at a time: set kubernetes_version to \"1.29\" first"
}

test_skip_of_two_lists_both if {
	res := rule.deny with input as t.with_baseline(uat_at("1.31"), uat_at("1.28"))
	some x in res
	contains(x.msg, "skips 1.29 and 1.30")
}

test_one_step_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(uat_at("1.29"), uat_at("1.28"))
	count(rule.deny) == 0 with input as t.with_baseline(uat_at("1.29"), uat_at("1.29"))
}

test_downgrade_denied if {
	res := rule.deny with input as t.with_baseline(uat_at("1.28"), uat_at("1.29"))
	t.fields(res) == {"spec.vars[2].value"}
	some x in res
	contains(x.msg, "downgrade")
}

test_without_baseline_finds_nothing if {
	count(rule.deny) == 0 with input as t.input_of(uat_at("1.30"))
}

test_new_object_without_twin_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(uat_at("1.30"), [t.source("uat")])
}

test_twin_matches_namespace_and_name if {
	other := json.patch(t.with_var(t.base("uat"), "kubernetes_version", "1.27"), [{"op": "replace", "path": "/metadata/namespace", "value": "other"}])
	count(rule.deny) == 0 with input as t.with_baseline(uat_at("1.30"), [other])
}

test_numbers_and_unlabelled_base if {
	# An unlabelled Terraform with a kubernetes_version var is a base; 1.3 is YAML's 1.30.
	tf := t.without_labels(t.with_var(t.base("uat"), "kubernetes_version", 1.3), ["fluxtf.io/component"])
	old := t.without_labels(t.with_var(t.base("uat"), "kubernetes_version", 1.28), ["fluxtf.io/component"])
	t.fields(rule.deny) == {"spec.vars[2].value"} with input as t.with_baseline([tf], [old])
}

test_unreadable_version_skipped if {
	count(rule.deny) == 0 with input as t.with_baseline(uat_at("latest"), uat_at("1.28"))
}
