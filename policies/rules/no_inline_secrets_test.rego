package fluxtf.rules.no_inline_secrets_test

import data.fluxtf.rules.no_inline_secrets as rule
import data.fluxtf.test as t

with_component_var(e) := array.concat(t.env("uat"), [t.component("uat", "argocd", [e])])

test_inline_password_denied if {
	objs := with_component_var({"name": "admin_password", "value": "hunter2"})
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "no-inline-secrets"
	x.name == "uat-digx-uat-eu-west-1-argocd"
	x.field == "spec.vars[2].value"
	contains(x.msg, "admin_password")
	not contains(x.msg, "hunter2")
	t.rules_fired == {"no-inline-secrets"} with input as t.input_of(objs)
}

test_secret_names if {
	every n in ["db_password", "github_token", "tls_private_key", "aws_secret_access_key", "api_key", "clientSecret", "slack-webhook-token", "oauth_credentials", "SECRET"] {
		count(rule.deny) == 1 with input as t.input_of(with_component_var({"name": n, "value": "x"}))
	}
}

test_look_alike_names_pass if {
	every n in ["secret_name", "token_ttl", "kms_key_arn", "credentials_secret_ref", "access_key_id", "secrets_manager_prefix", "password_length", "monkey", "keypair"] {
		count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": n, "value": "x"}))
	}
}

test_flags_and_empty_values_pass if {
	count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "create_secret", "value": true}))
	count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "admin_password", "value": ""}))
	count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "token_count", "value": 3}))
}

test_value_from_secret_passes if {
	e := {"name": "admin_password", "valueFrom": {"secretKeyRef": {"name": "argocd-admin", "key": "password"}}}
	count(rule.deny) == 0 with input as t.input_of(with_component_var(e))
}

test_structured_secret_denied if {
	e := {"name": "credentials", "value": {"user": "a", "password": "b"}}
	count(rule.deny) == 1 with input as t.input_of(with_component_var(e))
}

test_aws_key_anywhere_denied if {
	e := {"name": "tags", "value": {"Owner": "AKIAIOSFODNN7EXAMPLE"}}
	res := rule.deny with input as t.input_of(with_component_var(e))
	t.fields(res) == {"spec.vars[2].value.Owner"}
	some x in res
	not contains(x.msg, "AKIAIOSFODNN7EXAMPLE")
}

test_aws_key_in_secret_var_reported_once if {
	e := {"name": "aws_secret_access_key", "value": "AKIAIOSFODNN7EXAMPLE"}
	count(rule.deny) == 1 with input as t.input_of(with_component_var(e))
}

test_aws_key_look_alike_passes if {
	e := {"name": "description", "value": "AKIA keys are not allowed"}
	count(rule.deny) == 0 with input as t.input_of(with_component_var(e))
}

test_url_credentials_denied if {
	g := json.patch(t.source("uat"), [{"op": "replace", "path": "/spec/url", "value": "https://x-access-token:ghp_abc@github.com/digx/infrastructure.git"}])
	t.fields(rule.deny) == {"spec.url"} with input as t.input_of([g, t.base("uat")])
	g2 := json.patch(t.source("uat"), [{"op": "replace", "path": "/spec/url", "value": "https://ghp_abc@github.com/digx/infrastructure.git"}])
	t.fields(rule.deny) == {"spec.url"} with input as t.input_of([g2, t.base("uat")])
}

test_ssh_user_in_url_passes if {
	count(rule.deny) == 0 with input as t.input_of(t.env("uat"))
}

test_cloud_token_denied if {
	b := t.with_spec(t.base("uat"), {"cloud": {"organization": "digx", "workspaces": {"name": "eks"}, "token": "abc.atlasv1.xyz"}})
	t.fields(rule.deny) == {"spec.cloud.token"} with input as t.input_of([t.source("uat"), b])
}

test_runner_env_secret_denied if {
	b := t.with_spec(t.base("uat"), {"runnerPodTemplate": {"spec": {"env": [{"name": "TF_LOG", "value": "INFO"}, {"name": "GITHUB_TOKEN", "value": "ghp_x"}]}}})
	t.fields(rule.deny) == {"spec.runnerPodTemplate.spec.env[1].value"} with input as t.input_of([t.source("uat"), b])
}

# The engine says when no string of the input holds an access key id's
# prefix (context.noAwsKeyPrefix): the specs are then not searched. Without
# that word they are, whatever the input's shape.
test_aws_key_search_spared_by_the_engine if {
	objs := with_component_var({"name": "tags", "value": {"Owner": "AKIAIOSFODNN7EXAMPLE"}})
	spared := object.union(t.input_of(objs), {"context": {"noAwsKeyPrefix": true}})
	not rule.aws_key_possible with input as spared
	rule.aws_key_possible with input as t.input_of(objs)
	rule.aws_key_possible with input as [{"path": "x.yaml", "contents": objs}]
}
