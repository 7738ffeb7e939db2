# METADATA
# scope: package
# title: OAuth client secrets are references to Secrets Manager or Key Vault, never values
# description: >-
#   The ocm-client function app manages OAuth clients in Azure AD; their
#   secrets live in AWS Secrets Manager (or Azure Key Vault), and the
#   manifests only say where: each entry of the `oauth_clients` variable of
#   an ocm-client Terraform has a `secret_ref` with exactly one of
#   `secrets_manager_arn` (the ARN of a Secrets Manager secret,
#   `arn:aws:secretsmanager:<region>:<account>:secret:<name>`) or
#   `key_vault_secret_uri` (`https://<vault>.vault.azure.net/secrets/<name>`).
#   Anything else there (a value, a parameter path, a malformed ARN, both or
#   neither) may be the secret itself, committed to git and readable by
#   everyone with the repository, or a reference the function app cannot
#   resolve. Secret-named variables holding inline values are rule
#   `no-inline-secrets`. The rule checks the Terraforms whose policy
#   families (`fluxtf.io/policies`, else the `fluxtf.io/stack: ocm-client`
#   label) include `ocm-client`.
# custom:
#   id: client-secret-by-reference
#   severity: deny
#   summary: >-
#     (ocm-client) each `oauth_clients` entry has a `secret_ref` with exactly
#     one of `secrets_manager_arn` (a Secrets Manager secret ARN) or
#     `key_vault_secret_uri` (a Key Vault secret URI), nothing else: the
#     secret itself is never in the manifest
#   fix: >-
#     In the spec, give each client `secretRef: {secretsManager: <secret ARN>}`
#     or `secretRef: {keyVault: <secret URI>}` and render; in a hand-written
#     Terraform, set the entry's `secret_ref` to exactly one of
#     `secrets_manager_arn` or `key_vault_secret_uri`, and put the secret's
#     value into Secrets Manager or Key Vault (rotate it if it was committed).
package fluxtf.rules.client_secret_by_reference

import data.fluxtf.lib

rule_id := "client-secret-by-reference"

# ref_patterns: the reference keys of a secret_ref and what their values
# look like.
ref_patterns := {
	"secrets_manager_arn": `^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`,
	"key_vault_secret_uri": `^https://[a-z0-9-]{3,24}\.vault\.azure\.net/secrets/[A-Za-z0-9-]{1,127}(/[0-9a-f]{32})?$`,
}

# _clients: [fact, var index, entry index, entry] of every oauth_clients
# entry of the ocm-client Terraforms.
_clients contains [f, i, j, c] if {
	some f in lib.ocm_tf_facts
	i := f.y.vm.oauth_clients
	cs := f.vs[i].value
	is_array(cs)
	some j, c in cs
}

_field(i, j) := sprintf("spec.vars[%d].value[%d]", [i, j])

_name(c) := n if {
	n := c.name
	is_string(n)
} else := "(unnamed)"

deny contains lib.result(rule_id, f.r, _field(i, j), msg) if {
	some [f, i, j, c] in _clients
	not is_object(object.get(c, "secret_ref", null))
	msg := sprintf(
		"Terraform %q: OAuth client %s has no secret_ref object; name where its secret is kept: secret_ref: {secrets_manager_arn: <ARN>} or {key_vault_secret_uri: <URI>}",
		[f.name, lib.show(_name(c))],
	)
}

deny contains lib.result(rule_id, f.r, sprintf("%s.secret_ref.%s", [_field(i, j), k]), msg) if {
	some [f, i, j, c] in _clients
	r := c.secret_ref
	is_object(r)
	some k, _ in r
	not ref_patterns[k]
	msg := sprintf(
		"Terraform %q: OAuth client %s's secret_ref has %s, which is no reference to Secrets Manager or Key Vault and may be the secret itself; keep only secrets_manager_arn or key_vault_secret_uri",
		[f.name, lib.show(_name(c)), lib.show(k)],
	)
}

deny contains lib.result(rule_id, f.r, sprintf("%s.secret_ref", [_field(i, j)]), msg) if {
	some [f, i, j, c] in _clients
	r := c.secret_ref
	is_object(r)
	n := count({k | some k, _ in r; ref_patterns[k]})
	n != 1
	msg := sprintf(
		"Terraform %q: OAuth client %s's secret_ref names %d of secrets_manager_arn and key_vault_secret_uri; name exactly one",
		[f.name, lib.show(_name(c)), n],
	)
}

deny contains lib.result(rule_id, f.r, sprintf("%s.secret_ref.%s", [_field(i, j), k]), msg) if {
	some [f, i, j, c] in _clients
	r := c.secret_ref
	is_object(r)
	some k, pattern in ref_patterns
	v := r[k]
	not _matches(v, pattern)
	msg := sprintf(
		"Terraform %q: OAuth client %s's %s is not a %s reference (it may be the secret itself); write %s",
		[f.name, lib.show(_name(c)), k, what[k], example[k]],
	)
}

_matches(v, pattern) if {
	is_string(v)
	regex.match(pattern, v)
}

what := {"secrets_manager_arn": "Secrets Manager secret", "key_vault_secret_uri": "Key Vault secret"}

example := {
	"secrets_manager_arn": "the secret's ARN, such as arn:aws:secretsmanager:eu-west-1:111111111111:secret:ocm-client/uat/partner",
	"key_vault_secret_uri": "the secret's URI, such as https://kv-ocm.vault.azure.net/secrets/partner",
}
