package fluxtf.rules.os_supported_test

import data.fluxtf.rules.os_supported as rule
import data.fluxtf.test as t

uat(os, k8s) := [t.source("uat"), t.with_var(t.with_var(t.base("uat"), "os", os), "kubernetes_version", k8s)]

test_known_oses_pass if {
	every os in ["AL2023", "BOTTLEROCKET"] {
		count(rule.deny) == 0 with input as t.input_of(uat(os, "1.33"))
	}
	every os in ["AL2", "DEFAULT"] {
		count(rule.deny) == 0 with input as t.input_of(uat(os, "1.32"))
	}
}

test_unknown_os_denied if {
	res := rule.deny with input as t.input_of(uat("UBUNTU", "1.29"))
	count(res) == 1
	some x in res
	x.rule == "os-supported"
	x.field == "spec.vars[4].value"
	contains(x.msg, "\"UBUNTU\"")
	t.rules_fired == {"os-supported"} with input as t.input_of(uat("UBUNTU", "1.29"))
}

test_lower_case_gets_suggestion if {
	res := rule.deny with input as t.input_of(uat("bottlerocket", "1.29"))
	some x in res
	contains(x.msg, "set os to \"BOTTLEROCKET\"")
}

test_al2_from_133_denied if {
	res := rule.deny with input as t.input_of(uat("AL2", "1.33"))
	t.fields(res) == {"spec.vars[4].value"}
	some x in res
	contains(x.msg, "1.33")
}

test_default_from_133_denied if {
	res := rule.deny with input as t.input_of(uat("DEFAULT", "1.34"))
	some x in res
	contains(x.msg, "DEFAULT maps to AL2")
}

test_custom_without_image_denied if {
	t.fields(rule.deny) == {"spec.vars[4].value"} with input as t.input_of(uat("CUSTOM", "1.29"))
}

test_custom_with_image_passes if {
	[g, b] := uat("CUSTOM", "1.33")
	b1 := t.add_var(b, {"name": "custom_ami_id", "value": "ami-0123456789abcdef0"})
	count(rule.deny) == 0 with input as t.input_of([g, b1])
	b2 := t.add_var(b, {"name": "image_builder_pipeline_arn", "value": "arn:aws:imagebuilder:eu-west-1:111111111111:image-pipeline/eks"})
	count(rule.deny) == 0 with input as t.input_of([g, b2])
	b3 := t.with_spec(b, {"varsFrom": [{"kind": "ConfigMap", "name": "images", "varsKeys": ["custom_ami_id"]}]})
	count(rule.deny) == 0 with input as t.input_of([g, b3])
}

test_custom_with_empty_image_denied if {
	[g, b] := uat("CUSTOM", "1.29")
	b1 := t.add_var(b, {"name": "custom_ami_id", "value": ""})
	count(rule.deny) == 1 with input as t.input_of([g, b1])
}

test_component_os_var_ignored if {
	c := t.component("uat", "istio", [{"name": "os", "value": "whatever"}])
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("uat"), [c]))
}
