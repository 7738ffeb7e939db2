package fluxtf.rules.app_settings_no_credentials_test

import data.fluxtf.rules.app_settings_no_credentials as rule
import data.fluxtf.test as t

with_settings(s) := [t.ocm_source("uat"), t.with_var(t.ocm_app("uat"), "app_settings", s)]

test_plain_settings_pass if {
	count(rule.deny) == 0 with input as t.input_of(with_settings({"LOG_LEVEL": "INFO", "PARTNER_API_URL": "https://partner.example.com"}))
}

test_key_vault_reference_passes if {
	s := {"STORAGE_CONNECTION": "@Microsoft.KeyVault(SecretUri=https://kv-ocm-uat.vault.azure.net/secrets/storage)", "DB_PASSWORD": "@Microsoft.KeyVault(VaultName=kv-ocm-uat;SecretName=db)"}
	count(rule.deny) == 0 with input as t.input_of(with_settings(s))
}

test_connection_string_with_key_denied if {
	s := {"STORAGE_CONNECTION": "DefaultEndpointsProtocol=https;AccountName=ocmstore;AccountKey=bm90LWEtcmVhbC1rZXk=;EndpointSuffix=core.windows.net"}
	res := rule.deny with input as t.input_of(with_settings(s))
	t.fields(res) == {"spec.vars[1].value[STORAGE_CONNECTION]"}
	t.rules_fired == {"app-settings-no-credentials"} with input as t.input_of(with_settings(s))
}

test_sas_and_service_bus_denied if {
	s := {
		"EXPORT_URL": "https://ocmstore.blob.core.windows.net/export?sv=2022-11-02&sp=r&sig=abcdef",
		"BUS": "Endpoint=sb://ocm.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc",
	}
	res := rule.deny with input as t.input_of(with_settings(s))
	t.fields(res) == {"spec.vars[1].value[EXPORT_URL]", "spec.vars[1].value[BUS]"}
}

test_secret_named_setting_denied if {
	res := rule.deny with input as t.input_of(with_settings({"PARTNER_CLIENT_SECRET": "hunter2"}))
	t.fields(res) == {"spec.vars[1].value[PARTNER_CLIENT_SECRET]"}
}

test_eks_terraform_not_checked if {
	objs := [t.source("uat"), t.add_var(t.base("uat"), {"name": "app_settings", "value": {"X": "AccountKey=abc"}})]
	count(rule.deny) == 0 with input as t.input_of(objs)
}
