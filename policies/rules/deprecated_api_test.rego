package fluxtf.rules.deprecated_api_test

import data.fluxtf.rules.deprecated_api as rule
import data.fluxtf.test as t

api(o, v) := json.patch(o, [{"op": "replace", "path": "/apiVersion", "value": v}])

test_current_versions_pass if {
	count(rule.warn) == 0 with input as t.input_of(t.all_tiers)
}

test_terraform_v1alpha1_warned if {
	objs := [t.source("uat"), api(t.base("uat"), "infra.contrib.fluxcd.io/v1alpha1")]
	res := rule.warn with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "deprecated-api"
	x.field == "apiVersion"
	x.apiVersion == "infra.contrib.fluxcd.io/v1alpha1"
	contains(x.msg, "infra.contrib.fluxcd.io/v1alpha2")
	t.rules_fired == {"deprecated-api"} with input as t.input_of(objs)
}

test_source_v1beta_warned if {
	every v in ["source.toolkit.fluxcd.io/v1beta1", "source.toolkit.fluxcd.io/v1beta2"] {
		t.fields(rule.warn) == {"apiVersion"} with input as t.input_of([api(t.source("uat"), v), t.base("uat")])
	}
}

test_other_groups_pass if {
	k := {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["a.yaml"]}
	count(rule.warn) == 0 with input as t.input_of([k])
}
