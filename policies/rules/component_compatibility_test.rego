package fluxtf.rules.component_compatibility_test

import data.fluxtf.rules.component_compatibility as rule
import data.fluxtf.test as t

# uat(k8s, comps): uat's GitRepository and base on Kubernetes k8s, with components.
uat(k8s, comps) := array.concat([t.source("uat"), t.with_var(t.base("uat"), "kubernetes_version", k8s)], comps)

istio(v) := t.component("uat", "istio", [{"name": "istio_version", "value": v}])

cert_manager(v) := t.component("uat", "cert-manager", [{"name": "cert_manager_version", "value": v}])

test_supported_versions_pass if {
	count(rule.deny) == 0 with input as t.input_of(uat("1.29", [t.karpenter("uat", "1.1.0"), istio("1.24.2"), cert_manager("v1.16.2")]))
	count(rule.deny) == 0 with input as t.input_of(uat("1.35", [t.karpenter("uat", "1.9.0"), istio("1.29.0"), cert_manager("v1.19.1")]))
}

test_old_versions_on_new_kubernetes_denied if {
	res := rule.deny with input as t.input_of(uat("1.35", [t.karpenter("uat", "1.1.0"), istio("1.20.0"), cert_manager("v1.10.0")]))
	{x.name | some x in res} == {
		"uat-digx-uat-eu-west-1-karpenter",
		"uat-digx-uat-eu-west-1-istio",
		"uat-digx-uat-eu-west-1-cert-manager",
	}
	some x in res
	x.name == "uat-digx-uat-eu-west-1-istio"
	contains(x.msg, `istio "1.20.0", which supports Kubernetes 1.25 to 1.29 (https://istio.io/latest/docs/releases/supported-releases/), not the cluster's 1.35; take istio 1.29.0`)
}

test_patch_rows if {
	# Karpenter supports 1.31 from 1.0.5 on.
	t.fields(rule.deny) == {"spec.vars[2].value"} with input as t.input_of(uat("1.31", [t.karpenter("uat", "1.0.4")]))
	count(rule.deny) == 0 with input as t.input_of(uat("1.31", [t.karpenter("uat", "1.0.5")]))
}

test_unknown_version_denied if {
	res := rule.deny with input as t.input_of(uat("1.29", [istio("1.99.0")]))
	count(res) == 1
	some x in res
	contains(x.msg, "does not list")
	contains(x.msg, "templates/compatibility/jeppesen-eks.yaml")
}

test_kubernetes_upgrade_leaving_a_component_behind if {
	before := uat("1.31", [t.karpenter("uat", "1.1.0")])
	after := uat("1.32", [t.karpenter("uat", "1.1.0")])
	res := rule.deny with input as t.with_baseline(after, before)
	{[x.name, x.field] | some x in res} == {[t.base_name("uat"), "spec.vars[2].value"]}
	some x in res
	contains(x.msg, "raises Kubernetes to 1.32, which karpenter \"1.1.0\" does not support (1.25 to 1.31")
	contains(x.msg, "upgrade karpenter to 1.2.0 (or a later release that supports Kubernetes 1.32) first")
}

test_components_without_rows_not_checked if {
	count(rule.deny) == 0 with input as t.input_of(uat("1.35", [t.efs("uat")]))
}

# Two base Terraforms of one source and target (a hand-written copy beside
# the rendered one) are each checked, never an evaluation error.
test_two_bases_of_one_target if {
	copy := json.patch(t.with_var(t.base("uat"), "kubernetes_version", "1.35"), [{"op": "replace", "path": "/metadata/name", "value": "uat-copy"}])
	res := rule.deny with input as t.input_of(array.concat(uat("1.29", [t.karpenter("uat", "1.1.0")]), [copy]))
	count(res) == 1
	some x in res
	contains(x.msg, "not the cluster's 1.35")
}
