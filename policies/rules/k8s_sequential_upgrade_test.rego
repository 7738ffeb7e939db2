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

# renamed(o, n): o under the name n, as a target renamed with
# targets[].name renders it (new name, target label and cluster_name).
renamed(o, n) := t.with_var(
	json.patch(o, [
		{"op": "replace", "path": "/metadata/name", "value": n},
		{"op": "replace", "path": "/metadata/labels/fluxtf.io~1target", "value": "uat-main"},
	]),
	"cluster_name", "uat-uat-main",
)

test_renamed_target_still_compared if {
	# name: uat-main added and 1.28 -> 1.30 in the same change: the twin is
	# the same cluster (stack, account id, region, component), not the name.
	now := [t.source("uat"), renamed(t.with_var(t.base("uat"), "kubernetes_version", "1.30"), "uat-uat-main-eks")]
	res := rule.deny with input as t.with_baseline(now, uat_at("1.28"))
	count(res) == 1
	some x in res
	x.name == "uat-uat-main-eks"
	contains(x.msg, "skips 1.29")
}

test_moved_namespace_still_compared if {
	other := json.patch(t.with_var(t.base("uat"), "kubernetes_version", "1.27"), [{"op": "replace", "path": "/metadata/namespace", "value": "other"}])
	t.fields(rule.deny) == {"spec.vars[2].value"} with input as t.with_baseline(uat_at("1.30"), [other])
}

test_other_account_is_no_twin if {
	# the same name deploying another account is another cluster
	other := t.with_var(t.base("uat"), "account_id", "999999999999")
	count(rule.deny) == 0 with input as t.with_baseline(uat_at("1.30"), [t.with_var(other, "kubernetes_version", "1.27")])
}

plain(o) := t.without_labels(o, ["fluxtf.io/component", "fluxtf.io/region", "fluxtf.io/stack"])

test_unlabelled_matched_by_name if {
	now := plain(t.with_var(t.base("uat"), "kubernetes_version", "1.30"))
	old := plain(t.with_var(t.base("uat"), "kubernetes_version", "1.28"))
	count(rule.deny) == 1 with input as t.with_baseline([now], [old])
	moved := json.patch(old, [{"op": "replace", "path": "/metadata/name", "value": "elsewhere"}])
	count(rule.deny) == 0 with input as t.with_baseline([now], [moved])
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
