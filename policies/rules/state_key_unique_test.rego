package fluxtf.rules.state_key_unique_test

import data.fluxtf.rules.state_key_unique as rule
import data.fluxtf.test as t

with_backend(o, b) := json.patch(o, [{"op": "replace", "path": "/spec/backendConfig", "value": b}])

without_backend(o) := json.patch(o, [{"op": "remove", "path": "/spec/backendConfig"}])

# one backend block copied onto every object, as a hand-written overlay does
shared := {"customConfiguration": "backend \"s3\" {\n  bucket = \"digx-terraform-state\"\n  key    = \"uat/terraform.tfstate\"\n  region = \"eu-west-1\"\n}\n"}

test_copied_backend_denied_on_both if {
	objs := [t.source("uat"), with_backend(t.base("uat"), shared), with_backend(t.efs("uat"), shared)]
	res := rule.deny with input as t.input_of(objs)
	{x.name | some x in res} == {t.base_name("uat"), t.component_name("uat", "efs")}
	every x in res {
		x.rule == "state-key-unique"
		x.field == "spec.backendConfig.customConfiguration"
		contains(x.msg, "s3://digx-terraform-state/uat/terraform.tfstate")
	}
	t.rules_fired == {"state-key-unique"} with input as t.input_of(objs)
}

test_own_keys_pass if {
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), t.base("uat"), t.efs("uat")])
}

test_other_bucket_or_workspace_passes if {
	other := {"customConfiguration": replace(shared.customConfiguration, "digx-terraform-state", "other-bucket")}
	count(rule.deny) == 0 with input as t.input_of([with_backend(t.base("uat"), shared), with_backend(t.efs("uat"), other)])
	ws := json.patch(with_backend(t.efs("uat"), shared), [{"op": "add", "path": "/spec/workspace", "value": "blue"}])
	count(rule.deny) == 0 with input as t.input_of([with_backend(t.base("uat"), shared), ws])
}

test_kubernetes_suffix_shared_denied if {
	k := {"secretSuffix": "state", "inClusterConfig": true}
	res := rule.deny with input as t.input_of([with_backend(t.base("dev"), k), with_backend(t.efs("dev"), k)])
	t.fields(res) == {"spec.backendConfig.secretSuffix"}
	count(res) == 2
}

test_suffix_equal_to_other_default_denied if {
	# tf-controller's default suffix is the object's name
	k := {"secretSuffix": t.base_name("dev")}
	res := rule.deny with input as t.input_of([without_backend(t.base("dev")), with_backend(t.efs("dev"), k)])
	{x.field | some x in res} == {"metadata.name", "spec.backendConfig.secretSuffix"}
}

test_disabled_and_unknown_backends_not_compared if {
	other := {"customConfiguration": "backend \"consul\" {\n  path = \"x\"\n}\n"}
	count(rule.deny) == 0 with input as t.input_of([with_backend(t.base("uat"), other), with_backend(t.efs("uat"), other)])
	off := {"disable": true}
	count(rule.deny) == 0 with input as t.input_of([with_backend(t.base("uat"), off), with_backend(t.efs("uat"), off)])
}

# The s3 backend keeps the state of a workspace other than "default" at
# <workspace_key_prefix>/<workspace>/<key>: one bucket and key, one
# workspace, two prefixes are two states.
prefixed(p) := {"customConfiguration": sprintf("backend \"s3\" {\n  bucket = \"b\"\n  key = \"terraform.tfstate\"\n  workspace_key_prefix = \"%s\"\n}\n", [p])}

in_workspace(o, w) := json.patch(o, [{"op": "add", "path": "/spec/workspace", "value": w}])

test_s3_workspace_key_prefix_told_apart if {
	objs := [in_workspace(with_backend(t.base("uat"), prefixed("one")), "blue"), in_workspace(with_backend(t.efs("uat"), prefixed("two")), "blue")]
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_s3_workspace_key_prefix_shared_denied if {
	objs := [in_workspace(with_backend(t.base("uat"), prefixed("one")), "blue"), in_workspace(with_backend(t.efs("uat"), prefixed("one")), "blue")]
	res := rule.deny with input as t.input_of(objs)
	count(res) == 2
	every x in res {
		contains(x.msg, "s3://b/one/blue/terraform.tfstate (workspace blue)")
	}
}

test_s3_default_prefix_is_env if {
	# an unset workspace_key_prefix is "env:": the same object key as one
	# that spells it out
	plain := {"customConfiguration": "backend \"s3\" {\n  bucket = \"b\"\n  key = \"terraform.tfstate\"\n}\n"}
	objs := [in_workspace(with_backend(t.base("uat"), plain), "blue"), in_workspace(with_backend(t.efs("uat"), prefixed("env:")), "blue")]
	count(rule.deny) == 2 with input as t.input_of(objs)
}

test_s3_default_workspace_ignores_prefix if {
	# in the default workspace the s3 backend writes <key>, whatever the prefix
	objs := [with_backend(t.base("uat"), prefixed("one")), with_backend(t.efs("uat"), prefixed("two"))]
	count(rule.deny) == 2 with input as t.input_of(objs)
}
