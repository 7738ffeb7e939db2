package fluxtf.rules.efs_min_nodes_test

import data.fluxtf.rules.efs_min_nodes as rule
import data.fluxtf.test as t

with_groups(groups) := t.with_var(t.base("uat"), "node_groups", groups)

one_node := {"system": {"instance_types": ["m6i.large"], "max_size": 3, "min_size": 1}}

test_efs_on_one_node_denied if {
	objs := [t.source("uat"), with_groups(one_node), t.efs("uat")]
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "efs-min-nodes"
	x.name == t.base_name("uat")
	x.field == "spec.vars[3].value"
	contains(x.msg, "add up to 1")
	contains(x.msg, "uat-digx-uat-eu-west-1-efs")
	t.rules_fired == {"efs-min-nodes"} with input as t.input_of(objs)
}

test_no_efs_one_node_passes if {
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), with_groups(one_node)])
}

test_two_groups_add_up if {
	groups := {"a": {"min_size": 1}, "b": {"min_size": 1}, "spot": {"min_size": 0}}
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), with_groups(groups), t.efs("uat")])
}

test_list_form_accepted if {
	groups := [{"name": "system", "min_size": 1}, {"name": "spot", "min_size": 0}]
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), with_groups(groups), t.efs("uat")])
	groups2 := [{"name": "system", "min_size": "2"}]
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), with_groups(groups2), t.efs("uat")])
}

test_missing_min_size_counts_zero if {
	groups := {"system": {"max_size": 3}}
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), with_groups(groups), t.efs("uat")])
}

test_other_target_not_affected if {
	# The EFS Terraform belongs to another target with its own base.
	efs := t.with_labels(t.efs("uat"), {"fluxtf.io/target": "digx-uat-us-east-1"})
	efs2 := json.patch(efs, [{"op": "replace", "path": "/spec/dependsOn", "value": [{"name": "uat-digx-uat-us-east-1-eks"}]}])
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), with_groups(one_node), efs2])
}

test_base_found_through_depends_on_without_target_labels if {
	base := t.without_labels(with_groups(one_node), ["fluxtf.io/target"])
	efs := t.without_labels(t.efs("uat"), ["fluxtf.io/target", "fluxtf.io/component"])
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), base, efs])
}

test_efs_component_variants if {
	efs := t.with_labels(t.efs("uat"), {"fluxtf.io/component": "aws-efs-csi-driver"})
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), with_groups(one_node), efs])
}

test_node_groups_from_secret_skipped if {
	base := t.without_var(t.base("uat"), "node_groups")
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), base, t.efs("uat")])
}

# renamed_env(o, env): o as another environment of the same tier on the
# same target (account and region): its own names and environment label.
renamed_env(o, env) := json.patch(o, [
	{"op": "replace", "path": "/metadata/name", "value": concat("-", [env, o.metadata.name])},
	{"op": "add", "path": "/metadata/labels/fluxtf.io~1environment", "value": env},
])

test_efs_of_another_environment_on_the_same_target_passes if {
	other_base := renamed_env(t.base("uat"), "uat2")
	other_efs := json.patch(renamed_env(t.efs("uat"), "uat2"), [{"op": "replace", "path": "/spec/dependsOn", "value": [{"name": other_base.metadata.name}]}])
	objs := [t.source("uat"), with_groups(one_node), other_base, other_efs]
	count(rule.deny) == 0 with input as t.input_of(objs)
}
