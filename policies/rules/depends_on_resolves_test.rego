package fluxtf.rules.depends_on_resolves_test

import data.fluxtf.rules.depends_on_resolves as rule
import data.fluxtf.test as t

with_deps(o, deps) := json.patch(o, [{"op": "add", "path": "/spec/dependsOn", "value": deps}])

test_component_on_base_passes if {
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("uat"), [t.efs("uat")]))
}

test_missing_dependency_denied if {
	efs := with_deps(t.efs("uat"), [{"name": "uat-digx-uat-eu-west-1-eks"}, {"name": "uat-digx-uat-eu-west-1-vpc"}])
	objs := array.concat(t.env("uat"), [efs])
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "depends-on-resolves"
	x.field == "spec.dependsOn[1].name"
	contains(x.msg, "uat-digx-uat-eu-west-1-vpc")
	t.rules_fired == {"depends-on-resolves"} with input as t.input_of(objs)
}

test_cross_namespace_denied if {
	efs := with_deps(t.efs("uat"), [{"name": "uat-digx-uat-eu-west-1-eks", "namespace": "infra"}])
	t.fields(rule.deny) == {"spec.dependsOn[0].namespace"} with input as t.input_of(array.concat(t.env("uat"), [efs]))
}

test_explicit_same_namespace_passes if {
	efs := with_deps(t.efs("uat"), [{"name": "uat-digx-uat-eu-west-1-eks", "namespace": "flux-system"}])
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("uat"), [efs]))
}

test_missing_namespaces_match if {
	base := json.patch(t.base("uat"), [{"op": "remove", "path": "/metadata/namespace"}])
	efs := json.patch(t.efs("uat"), [{"op": "remove", "path": "/metadata/namespace"}])
	count(rule.deny) == 0 with input as t.input_of([base, efs])
	count(rule.deny) == 1 with input as t.input_of([t.base("uat"), efs])
}

test_dependency_on_non_terraform_denied if {
	efs := with_deps(t.efs("uat"), [{"name": "jeppesen-eks-uat"}])
	t.fields(rule.deny) == {"spec.dependsOn[0].name"} with input as t.input_of(array.concat(t.env("uat"), [efs]))
}

test_entry_without_name_denied if {
	efs := with_deps(t.efs("uat"), [{"namespace": "flux-system"}])
	t.fields(rule.deny) == {"spec.dependsOn[0]"} with input as t.input_of(array.concat(t.env("uat"), [efs]))
}

test_cycle_denied if {
	base := with_deps(t.base("uat"), [{"name": "uat-digx-uat-eu-west-1-efs"}])
	res := rule.deny with input as t.input_of([t.source("uat"), base, t.efs("uat")])
	{[x.name, x.field] | some x in res} == {
		["uat-digx-uat-eu-west-1-eks", "spec.dependsOn[0].name"],
		["uat-digx-uat-eu-west-1-efs", "spec.dependsOn[0].name"],
	}
}

test_self_dependency_denied if {
	efs := with_deps(t.efs("uat"), [{"name": "uat-digx-uat-eu-west-1-efs"}])
	res := rule.deny with input as t.input_of(array.concat(t.env("uat"), [efs]))
	some x in res
	contains(x.msg, "depends on itself")
}

test_long_chain_without_cycle_passes if {
	a := t.efs("uat")
	b := with_deps(t.component("uat", "istio", []), [{"name": "uat-digx-uat-eu-west-1-efs"}])
	c := with_deps(t.component("uat", "argocd", []), [{"name": "uat-digx-uat-eu-west-1-istio"}, {"name": "uat-digx-uat-eu-west-1-eks"}])
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("uat"), [a, b, c]))
}

test_three_cycle_denied if {
	a := with_deps(t.component("uat", "a", []), [{"name": "uat-digx-uat-eu-west-1-c"}])
	b := with_deps(t.component("uat", "b", []), [{"name": "uat-digx-uat-eu-west-1-a"}])
	c := with_deps(t.component("uat", "c", []), [{"name": "uat-digx-uat-eu-west-1-b"}])
	count(rule.deny) == 3 with input as t.input_of(array.concat(t.env("uat"), [a, b, c]))
}

test_single_document_skips_resolution if {
	count(rule.deny) == 0 with input as t.efs("uat")
}

# A cycle closed by an entry naming its own namespace (not plain: the
# entries' keys are then read with dep_key, every one) is found as one
# of plain entries is.
test_cycle_with_explicit_namespace_denied if {
	base := with_deps(t.base("uat"), [{"name": "uat-digx-uat-eu-west-1-efs", "namespace": "flux-system"}])
	res := rule.deny with input as t.input_of([t.source("uat"), base, t.efs("uat")])
	{[x.name, x.field] | some x in res} == {
		["uat-digx-uat-eu-west-1-eks", "spec.dependsOn[0].name"],
		["uat-digx-uat-eu-west-1-efs", "spec.dependsOn[0].name"],
	}
}
