package fluxtf.rules.state_backend_test

import data.fluxtf.rules.state_backend as rule
import data.fluxtf.test as t

without_backend(o) := json.patch(o, [{"op": "remove", "path": "/spec/backendConfig"}])

with_backend(o, b) := json.patch(o, [{"op": "replace", "path": "/spec/backendConfig", "value": b}])

test_uat_and_prod_without_backend_denied if {
	every tier in ["uat", "prod"] {
		objs := [t.source(tier), without_backend(t.base(tier))]
		res := rule.deny with input as t.input_of(objs)
		count(res) == 1
		some x in res
		x.rule == "state-backend"
		x.name == t.base_name(tier)
		x.field == "spec"
		contains(x.msg, sprintf("tfstate-default-%s", [t.base_name(tier)]))
		t.rules_fired == {"state-backend"} with input as t.input_of(objs)
	}
}

test_empty_backend_config_denied_at_it if {
	objs := [t.source("prod"), with_backend(t.base("prod"), {"inClusterConfig": true})]
	t.fields(rule.deny) == {"spec.backendConfig"} with input as t.input_of(objs)
}

test_dev_default_backend_passes if {
	count(rule.deny) == 0 with input as t.input_of([t.source("dev"), without_backend(t.base("dev"))])
}

test_explicit_choices_pass if {
	every b in [
		{"secretSuffix": "jeppesen-eks-uat-111111111111-eu-west-1-eks", "inClusterConfig": true},
		{"disable": true},
		{"customConfiguration": "backend \"gcs\" {\n  bucket = \"b\"\n}\n"},
	] {
		count(rule.deny) == 0 with input as t.input_of([t.source("uat"), with_backend(t.base("uat"), b)])
	}
}

test_untiered_terraform_passes if {
	tf := t.without_labels(without_backend(t.base("uat")), ["fluxtf.io/tier", "fluxtf.io/environment"])
	renamed := json.patch(tf, [{"op": "replace", "path": "/metadata/name", "value": "cluster-eks"}])
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), renamed])
}
