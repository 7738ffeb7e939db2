# METADATA
# scope: package
# title: Function app settings carry no credentials
# description: >-
#   App settings are the function app's environment variables: they are
#   written in plain text into the rendered Terraform (and so into git), the
#   Terraform state and the app's configuration, which every contributor of
#   the app can read. A credential among them (a storage or Service Bus
#   connection string with its key, a SAS signature, a password in a
#   connection string, a secret-named setting with a value) leaks. Keep it
#   in Key Vault and make the setting a Key Vault reference,
#   `@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>)`,
#   which the platform resolves with the app's managed identity, or use the
#   managed identity itself (AzureWebJobsStorage__accountName). The rule
#   reads the `app_settings` variable of the Terraforms whose policy
#   families include `ocm-client`.
# custom:
#   id: app-settings-no-credentials
#   severity: deny
#   summary: >-
#     (ocm-client) no `app_settings` value holds a credential (`AccountKey=`,
#     `SharedAccessKey=`, `SharedAccessSignature=`, a SAS `sig=`, `Password=`,
#     `Pwd=`) and no secret-named setting holds a value, unless it is a Key
#     Vault reference `@Microsoft.KeyVault(...)`
#   fix: >-
#     Move the value into Key Vault, replace the setting in
#     `functionApp.appSettings` with
#     `@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>)`
#     (or use the managed identity), render, and rotate the credential.
package fluxtf.rules.app_settings_no_credentials

import data.fluxtf.lib

rule_id := "app-settings-no-credentials"

# key_vault_reference: a setting the platform resolves from Key Vault.
key_vault_reference := `^@Microsoft\.KeyVault\((SecretUri=https://[^)]+|VaultName=[^;)]+;SecretName=[^)]+)\)$`

# credential_value: a value that is a credential whatever its setting's
# name.
credential_value := `(?i)(AccountKey=|SharedAccessKey=|SharedAccessSignature=|[?&]sig=|Password=|Pwd=)`

_settings contains [f, i, k, v] if {
	some f in lib.ocm_tf_facts
	i := f.y.vm.app_settings
	s := f.vs[i].value
	is_object(s)
	some k, v in s
}

_reference(v) if {
	is_string(v)
	regex.match(key_vault_reference, v)
}

deny contains lib.result(rule_id, f.r, sprintf("%s[%s]", [lib.var_field(i), k]), msg) if {
	some [f, i, k, v] in _settings
	not _reference(v)
	is_string(v)
	regex.match(credential_value, v)
	msg := sprintf(
		"Terraform %q: app setting %s holds a credential (a key, signature or password in the value); keep it in Key Vault and write @Microsoft.KeyVault(SecretUri=...) or use the managed identity",
		[f.name, lib.show(k)],
	)
}

deny contains lib.result(rule_id, f.r, sprintf("%s[%s]", [lib.var_field(i), k]), msg) if {
	some [f, i, k, v] in _settings
	not _reference(v)
	not _credential_value(v)
	lib.secret_name(k)
	v != ""
	msg := sprintf(
		"Terraform %q: app setting %s is named like a credential and holds a value; keep it in Key Vault and write @Microsoft.KeyVault(SecretUri=...)",
		[f.name, lib.show(k)],
	)
}

_credential_value(v) if {
	is_string(v)
	regex.match(credential_value, v)
}
