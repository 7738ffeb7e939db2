package fluxtf.rules.module_contract_test

import data.fluxtf.rules.module_contract as rule
import data.fluxtf.test as t

env := [t.source("uat"), t.base("uat"), t.efs("uat"), t.karpenter("uat", "1.1.0")]

denied(objs) := d if {
	d := rule.deny with input as t.input_of(objs)
}

with_keys(o, ks) := json.patch(o, [{"op": "replace", "path": "/spec/varsFrom/0/varsKeys", "value": ks}])

test_contract_kept_passes if {
	count(denied(env)) == 0
}

test_undeclared_variable_denied if {
	efs := t.add_var(t.efs("uat"), {"name": "throughput", "value": "fast"})
	res := denied([t.source("uat"), t.base("uat"), efs])
	count(res) == 1
	some x in res
	x.name == t.component_name("uat", "efs")
	x.field == sprintf("spec.vars[%d].name", [count(efs.spec.vars) - 1])
	contains(x.msg, "\"throughput\", which module efs of stack jeppesen-eks does not declare")
	t.rules_fired == {"module-contract"} with input as t.input_of([t.source("uat"), t.base("uat"), efs])
}

test_required_input_missing_denied if {
	k := t.without_var(t.karpenter("uat", "1.1.0"), "karpenter_version")
	res := denied([t.source("uat"), t.base("uat"), k])
	t.fields(res) == {"spec.vars"}
	some x in res
	contains(x.msg, "required input(s) karpenter_version of module karpenter")
}

test_required_read_missing_denied if {
	k := with_keys(t.karpenter("uat", "1.1.0"), ["cluster_endpoint", "cluster_name"])
	some x in denied([t.source("uat"), t.base("uat"), k])
	contains(x.msg, "cluster_certificate_authority_data")
	contains(x.msg, "private_subnet_ids")
}

test_opaque_sources_skip_required_check if {
	k := t.without_var(t.karpenter("uat", "1.1.0"), "karpenter_version")
	files := t.with_spec(k, {"tfVarsFiles": ["karpenter.tfvars"]})
	count(denied([t.source("uat"), t.base("uat"), files])) == 0
	all := json.patch(k, [{"op": "add", "path": "/spec/varsFrom/-", "value": {"kind": "Secret", "name": "karpenter-settings"}}])
	count(denied([t.source("uat"), t.base("uat"), all])) == 0
}

test_key_not_written_denied if {
	base := json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/writeOutputsToSecret/outputs", "value": ["cluster_name"]}])
	res := denied([t.source("uat"), base, t.efs("uat")])
	count(res) > 0
	every x in res {
		startswith(x.field, "spec.varsFrom[0].varsKeys[")
		contains(x.msg, "which Terraform \"uat-digx-uat-eu-west-1-eks\" does not write (its writeOutputsToSecret: cluster_name)")
	}
	# a renamed key is read under its Secret name
	renamed := with_keys(t.efs("uat"), array.concat([k | some k in t.efs("uat").spec.varsFrom[0].varsKeys; k != "cluster_name"], ["name:cluster_name"]))
	some y in denied([t.source("uat"), t.base("uat"), renamed])
	contains(y.msg, "reads key \"name\"")
}

test_type_key_of_written_output_passes if {
	efs := with_keys(t.efs("uat"), array.concat(t.efs("uat").spec.varsFrom[0].varsKeys, ["private_subnet_ids__type:subnets_type"]))
	res := denied([t.source("uat"), t.base("uat"), efs])
	every x in res {
		not contains(x.msg, "does not write")
	}
}

test_varsfrom_into_list_input_denied if {
	# the base reads its add-ons from another stack's Secret: a string arrives
	base := t.with_spec(t.base("uat"), {"varsFrom": [{"kind": "Secret", "name": "network-outputs", "varsKeys": ["cluster_addons"]}]})
	res := denied([t.source("uat"), base])
	t.fields(res) == {"spec.varsFrom[0].varsKeys[0]"}
	some x in res
	contains(x.msg, "an input of type list(string)")
	contains(x.msg, "jsondecode")
}

test_output_the_module_lacks_denied if {
	base := json.patch(t.base("uat"), [{"op": "add", "path": "/spec/writeOutputsToSecret/outputs/-", "value": "cluster_arn:arn"}])
	res := denied([t.source("uat"), base])
	some x in res
	x.field == sprintf("spec.writeOutputsToSecret.outputs[%d]", [count(base.spec.writeOutputsToSecret.outputs) - 1])
	contains(x.msg, "output \"cluster_arn\"")
}

test_other_modules_not_checked if {
	other := json.patch(t.add_var(t.efs("uat"), {"name": "anything", "value": 1}), [{"op": "replace", "path": "/spec/path", "value": "./apps/efs"}])
	count(denied([t.source("uat"), t.base("uat"), other])) == 0
}

test_generated_examples_keep_their_contracts if {
	# the generator's own output: every var declared, every required one set
	count(denied(t.all_tiers)) == 0
}

# The checks run on one Terraform of each shape (module_contract.rego,
# "Cost"): what tells two shapes apart must include each var name and each
# Secret writer's keys, in whichever order the Terraforms come.
test_one_broken_terraform_among_its_shape_denied if {
	efs := t.add_var(t.efs("uat"), {"name": "throughput", "value": "fast"})
	for_order([t.source("dev"), t.base("dev"), t.efs("dev")], [t.source("uat"), t.base("uat"), efs], sprintf("spec.vars[%d].name", [count(efs.spec.vars) - 1]))
}

test_one_reader_of_a_short_writer_denied if {
	base := json.patch(t.base("uat"), [{"op": "replace", "path": "/spec/writeOutputsToSecret/outputs", "value": ["cluster_name"]}])
	for_order([t.source("dev"), t.base("dev"), t.efs("dev")], [t.source("uat"), base, t.efs("uat")], "spec.varsFrom[0].varsKeys[0]")
}

# for_order(good, bad, field): the uat efs of bad is denied (at field,
# among others), the dev efs of good is not, with good listed first or last.
for_order(good, bad, field) if {
	every objs in [array.concat(good, bad), array.concat(bad, good)] {
		res := denied(objs)
		{x.name | some x in res} == {t.component_name("uat", "efs")}
		field in t.fields(res)
	}
}
