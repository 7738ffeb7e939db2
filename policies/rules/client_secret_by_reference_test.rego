package fluxtf.rules.client_secret_by_reference_test

import data.fluxtf.rules.client_secret_by_reference as rule
import data.fluxtf.test as t

with_clients(cs) := [t.ocm_source("uat"), t.with_var(t.ocm_app("uat"), "oauth_clients", cs)]

test_clean_ocm_env_passes if {
	every tier in ["dev", "uat", "prod"] {
		count(t.rules_fired) == 0 with input as t.ocm_input(t.ocm_env(tier), "2026-11-25")
	}
}

test_key_vault_reference_passes if {
	cs := [{"name": "billing", "secret_ref": {"key_vault_secret_uri": "https://kv-ocm-uat.vault.azure.net/secrets/billing"}}]
	count(rule.deny) == 0 with input as t.input_of(with_clients(cs))
}

test_value_in_arn_field_denied if {
	cs := [{"name": "partner", "secret_ref": {"secrets_manager_arn": "s3cr3t-Value-123"}}]
	res := rule.deny with input as t.input_of(with_clients(cs))
	t.fields(res) == {"spec.vars[3].value[0].secret_ref.secrets_manager_arn"}
	t.rules_fired == {"client-secret-by-reference"} with input as t.input_of(with_clients(cs))
}

test_other_reference_kind_denied if {
	cs := [{"name": "partner", "secret_ref": {"ssm_parameter": "/ocm/partner"}}]
	res := rule.deny with input as t.input_of(with_clients(cs))
	t.fields(res) == {"spec.vars[3].value[0].secret_ref.ssm_parameter", "spec.vars[3].value[0].secret_ref"}
}

test_both_references_denied if {
	cs := [{"name": "partner", "secret_ref": {
		"secrets_manager_arn": "arn:aws:secretsmanager:eu-west-1:111111111111:secret:ocm-client/uat/partner",
		"key_vault_secret_uri": "https://kv-ocm-uat.vault.azure.net/secrets/partner",
	}}]
	res := rule.deny with input as t.input_of(with_clients(cs))
	t.fields(res) == {"spec.vars[3].value[0].secret_ref"}
}

test_missing_secret_ref_denied if {
	res := rule.deny with input as t.input_of(with_clients([{"name": "partner"}]))
	t.fields(res) == {"spec.vars[3].value[0]"}
}

# The rule checks the ocm-client family only: an EKS Terraform with such a
# var is none of its business.
test_eks_terraform_not_checked if {
	cs := [{"name": "partner", "secret_ref": {"secrets_manager_arn": "s3cr3t"}}]
	objs := [t.source("uat"), t.add_var(t.base("uat"), {"name": "oauth_clients", "value": cs})]
	count(rule.deny) == 0 with input as t.input_of(objs)
}

# The families annotation decides, over the stack label.
test_family_annotation_decides if {
	cs := [{"name": "partner", "secret_ref": {"secrets_manager_arn": "s3cr3t"}}]
	app := t.with_annotations(t.with_var(t.ocm_app("uat"), "oauth_clients", cs), {"fluxtf.io/policies": "common"})
	count(rule.deny) == 0 with input as t.input_of([t.ocm_source("uat"), app])
}
