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
	# admin_password is no input of argocd's contract either
	t.rules_fired == {"no-inline-secrets", "module-contract"} with input as t.input_of(objs)
}

test_secret_names if {
	every n in ["db_password", "github_token", "tls_private_key", "aws_secret_access_key", "api_key", "clientSecret", "slack-webhook-token", "oauth_credentials", "SECRET"] {
		count(rule.deny) == 1 with input as t.input_of(with_component_var({"name": n, "value": "x"}))
	}
}

test_look_alike_names_pass if {
	every n in ["secret_name", "token_ttl", "kms_key_arn", "credentials_secret_ref", "access_key_id", "secrets_manager_prefix", "password_length", "monkey", "keypair", "secret_subject", "tokenSubjects"] {
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
	certain(res)
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
	count(rule.deny) == 1 with input as t.input_of([g, t.base("uat")])
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

# The engine says when no string of the input may hold a credential
# (context.noCredentialHint): the specs and annotations are then not
# searched. Without that word they are, whatever the input's shape.
test_credential_search_spared_by_the_engine if {
	objs := with_component_var({"name": "tags", "value": {"Owner": "AKIAIOSFODNN7EXAMPLE"}})
	spared := object.union(t.input_of(objs), {"context": {"noCredentialHint": true}})
	not rule.credential_possible with input as spared
	count(rule.deny) == 0 with input as spared
	rule.credential_possible with input as t.input_of(objs)
	rule.credential_possible with input as [{"path": "x.yaml", "contents": objs}]
}

# Likewise the keys inside var values are walked only when a key of a
# mapping in a list looks secret (context.keysInLists).
test_nested_walk_spared_by_the_engine if {
	objs := with_component_var({"name": "database", "value": {"user": "a", "password": "b"}})
	spared := object.union(t.input_of(objs), {"context": {"keysInLists": ["name", "user", "value"]}})
	not rule.nested_possible with input as spared
	needed := object.union(t.input_of(objs), {"context": {"keysInLists": ["name", "password", "user", "value"]}})
	rule.nested_possible with input as needed
	t.fields(rule.deny) == {"spec.vars[2].value.password"} with input as needed
	rule.nested_possible with input as t.input_of(objs)
}

# ---- issue 11 item 6: what the rule used to miss.

ghp := "ghp_0123456789abcdefghijABCDEFGHIJ012345"

pem := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzzzz\n-----END RSA PRIVATE KEY-----\n"

aws_secret_key := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

# certain(res): the results are unwaivable.
certain(res) if {
	count(res) > 0
	every x in res {
		x.waivable == false
	}
}

test_github_tokens_denied_whatever_the_name if {
	fine_grained := concat("", ["github_pat_", concat("", [x | some _ in numbers.range(1, 16); x := "A1b2_"]), "xy"])
	every v in [ghp, "ghs_0123456789abcdefghijABCDEFGHIJ012345", fine_grained, sprintf("machine github.com password %s", [ghp])] {
		res := rule.deny with input as t.input_of(with_component_var({"name": "notes", "value": v}))
		t.fields(res) == {"spec.vars[2].value"}
		certain(res)
		some x in res
		contains(x.msg, "a GitHub token")
		not contains(x.msg, v)
	}
}

test_private_key_denied if {
	res := rule.deny with input as t.input_of(with_component_var({"name": "bootstrap", "value": {"ssh": pem}}))
	t.fields(res) == {"spec.vars[2].value.ssh"}
	certain(res)
	some x in res
	contains(x.msg, "a private key")
}

test_aws_secret_key_under_unrelated_name_denied if {
	res := rule.deny with input as t.input_of(with_component_var({"name": "config", "value": {"k2": aws_secret_key}}))
	t.fields(res) == {"spec.vars[2].value.k2"}
	every x in res {
		not x.waivable == false
		contains(x.msg, "an AWS secret access key")
		not contains(x.msg, aws_secret_key)
	}
}

test_nested_password_denied if {
	e := {"name": "database", "value": {"host": "db.internal", "user": "app", "password": "hunter2"}}
	res := rule.deny with input as t.input_of(with_component_var(e))
	t.fields(res) == {"spec.vars[2].value.password"}
	some x in res
	contains(x.msg, "\"password\"")
	not contains(x.msg, "hunter2")
	t.rules_fired == {"no-inline-secrets", "module-contract"} with input as t.input_of(with_component_var(e))

	# deeper, in a list, and only the outermost secret key
	e2 := {"name": "users", "value": [{"name": "a", "credentials": {"password": "x"}}, {"name": "b", "db_pwd": "y"}]}
	t.fields(rule.deny) == {"spec.vars[2].value[0].credentials", "spec.vars[2].value[1].db_pwd"} with input as t.input_of(with_component_var(e2))
}

test_nested_look_alikes_pass if {
	e := {"name": "database", "value": {"password_length": 20, "secret_name": "db", "create_password": true, "token_ttl": "1h", "passwordSecretRef": {"name": "db"}}}
	count(rule.deny) == 0 with input as t.input_of(with_component_var(e))
}

test_pwd_and_pass_names_denied if {
	every n in ["db_pwd", "dbPass", "DB_PASS", "adminPwd", "smtp-pass"] {
		count(rule.deny) == 1 with input as t.input_of(with_component_var({"name": n, "value": "x"}))
	}
	every n in ["pass_role_arn", "bypass", "passthrough", "compass", "pwd_path"] {
		count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": n, "value": "x"}))
	}
}

test_basic_auth_denied if {
	e := {"name": "headers", "value": {"auth": "Basic YWRtaW46aHVudGVyMg=="}}
	res := rule.deny with input as t.input_of(with_component_var(e))
	t.fields(res) == {"spec.vars[2].value.auth"}
	some x in res
	contains(x.msg, "an HTTP Basic authorization")
	not x.waivable == false
	count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "description", "value": "Basic authentication, Basic Auth"}))
}

test_base64_encoded_key_id_denied if {
	e := {"name": "config", "value": base64.encode("[default]\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\n")}
	res := rule.deny with input as t.input_of(with_component_var(e))
	t.fields(res) == {"spec.vars[2].value"}
	certain(res)
	some x in res
	contains(x.msg, "an AWS access key id, base64-encoded")
}

test_secrets_in_annotations_denied if {
	g := t.with_annotations(t.source("uat"), {"ci.example.com/token": ghp, "note": "rotated weekly"})
	res := rule.deny with input as t.input_of([g, t.base("uat")])
	t.fields(res) == {"metadata.annotations[ci.example.com/token]"}
	certain(res)

	# on any kind of object
	cm := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "apps", "annotations": {"k": "AKIAIOSFODNN7EXAMPLE"}}, "data": {"a": "b"}}
	res2 := rule.deny with input as t.input_of([cm])
	t.fields(res2) == {"metadata.annotations[k]"}
	some x in res2
	x.kind == "ConfigMap"
}

# A certain credential in a secret-named var is reported once, as certain:
# a waiver of the name finding must not cover the key.
test_certain_value_in_secret_named_var_is_unwaivable if {
	res := rule.deny with input as t.input_of(with_component_var({"name": "github_token", "value": ghp}))
	count(res) == 1
	certain(res)
	res2 := rule.deny with input as t.input_of(with_component_var({"name": "aws_secret_access_key", "value": aws_secret_key}))
	count(res2) == 1
	not certain(res2)
}

# The hint of a generated Terraform names the spec field that reads the
# variable from a Secret key; a hand-written one's names varsFrom.
test_generated_component_hint_names_spec_field if {
	objs := with_component_var({"name": "admin_password", "value": "hunter2"})
	some x in rule.deny with input as t.input_of(objs)
	contains(x.msg, "components.argocd.secrets.admin_password: {name: <Secret>, key: <key>}")
	not contains(x.msg, "varsFrom")
}

test_generated_base_hint_names_cluster_secrets if {
	b := t.base("uat")
	base := object.union(b, {"spec": {"vars": array.concat(b.spec.vars, [{"name": "db_password", "value": "hunter2"}])}})
	some x in rule.deny with input as t.input_of([t.source("uat"), base])
	contains(x.msg, "cluster.secrets.db_password: {name: <Secret>, key: <key>}")
}

test_hand_written_hint_names_varsfrom if {
	comp := json.remove(t.component("uat", "argocd", [{"name": "admin_password", "value": "hunter2"}]), ["metadata/labels/app.kubernetes.io~1managed-by"])
	some x in rule.deny with input as t.input_of(array.concat(t.env("uat"), [comp]))
	contains(x.msg, "varsFrom or valueFrom.secretKeyRef")
	not contains(x.msg, "secrets.admin_password")
}

# ---- The well-known token shapes (gitleaks' rules). The values are made
# up, and written in pieces so that no scanner mistakes this file for a
# leak.

_rep(s, n) := concat("", [s | some _ in numbers.range(1, n)])

_b64(n) := substring(_rep("Ab3+Cd9/Ef", 1 + floor(n / 10)), 0, n)

well_known := [
	["a Slack token", true, concat("-", ["xoxb", "1234567890", "1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx"])],
	["a Slack token", true, concat("-", ["xoxp", "1234567890", "1234567890", "1234567890", _rep("0a1b", 8)])],
	["a Slack token", true, concat("-", ["xapp", "1", "A0123456789", "1234567890123", _rep("0a1b", 8)])],
	["a Slack webhook URL", true, concat("/", ["https://hooks.slack.com", "services", "T00000000", "B00000000", _rep("Xy", 12)])],
	["a GitLab token", true, concat("", ["glpat", "-", _rep("aB3_", 5)])],
	["a Stripe live key", true, concat("", ["sk", "_live_", _rep("a1B2", 6)])],
	["a Stripe live key", true, concat("", ["rk", "_live_", _rep("a1B2", 6)])],
	["a Stripe test key", false, concat("", ["sk", "_test_", _rep("a1B2", 6)])],
	["a Google API key", true, concat("", ["key=AI", "za", _rep("Sy0_b", 7)])],
	["a JSON Web Token", false, concat(".", ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"])],
	["an Azure storage account key", true, concat("", ["DefaultEndpointsProtocol=https;AccountName=x;Account", "Key=", _b64(86), "==;EndpointSuffix=core.windows.net"])],
	["a URL with a password", false, concat("", ["postgres://app:s3cr3t", "P4ss@db.internal:5432/app"])],
	["a URL with a password", false, concat("", ["endpoint https://u:p", "@example.com/x"])],
	["an npm token", true, concat("", ["//registry.npmjs.org/:_authToken=np", "m_", _rep("a1B2", 9)])],
	["a SendGrid API key", true, concat(".", ["SG", substring(_rep("aB3-_c", 4), 0, 22), substring(_rep("aB3-_c", 8), 0, 43)])],
	["a HashiCorp Vault token", true, concat("", ["VAULT_TOKEN=hv", "s.", _rep("CAESIa1-_", 11)])],
	["a HashiCorp Vault token", true, concat("", ["hv", "b.", _rep("AAAAAQb1-_", 15)])],
	["a Twilio API key", false, concat("", ["S", "K", _rep("0a1B", 8)])],
	["a PyPI token", true, concat("", ["py", "pi-AgEIcHlwaS5vcmc", _rep("Ab1-_", 12)])],
	["a Docker registry authentication", false, concat("", [`{"auths":{"ghcr.io":{"auth":"`, base64.encode("robot:hunter22"), `"}}}`])],
]

test_well_known_tokens_denied_whatever_the_name if {
	every c in well_known {
		[what, sure, v] := c
		res := rule.deny with input as t.input_of(with_component_var({"name": "notes", "value": v}))
		t.fields(res) == {"spec.vars[2].value"}
		count(res) == 1
		some x in res
		contains(x.msg, what)
		not contains(x.msg, v)
		_certain_is(res, sure)
	}
}

_certain_is(res, true) if certain(res)

_certain_is(res, false) if not certain(res)

# Placeholders and look-alikes of each shape are left alone.
test_well_known_look_alikes_pass if {
	every v in [
		"xoxb-your-bot-token", "https://hooks.slack.com/services/<redacted>", "glpat-changeme",
		"sk_live_xxx", "rk_test_${STRIPE_KEY}", "AIza", "see https://developers.google.com/maps/documentation",
		"eyJhbGciOiJIUzI1NiJ9", "AccountKey=${STORAGE_KEY}", "npm_config_registry",
		"SG.example.com", "hvs.short", "pypi-token", "SKU-0123456789", `{"auths":{}}`,
		"postgres://app:${DB_PASSWORD}@db:5432/app", "https://user:<redacted>@example.com",
		"postgres://app:changeme@db/app", "mysql://root:$(MYSQL_PW)@db/app", "https://example.com/a:b@c",
		"https://example.com/x?y=1", "ssh://git@github.com/digx/infrastructure.git",
		"redis://:{{ .Values.password }}@redis:6379",
	] {
		count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "notes", "value": v}))
	}
}

# A waiver cannot silence the certain ones: they are unwaivable results.
test_well_known_certain_are_unwaivable if {
	v := concat("", ["glpat", "-", _rep("aB3_", 5)])
	res := rule.deny with input as t.input_of(with_component_var({"name": "notes", "value": v}))
	some x in res
	x.waivable == false
}

# ---- A Docker config as a structure, Secrets and ConfigMaps in plain
# text, and placeholders for the detectors a waiver can accept.

_docker_auth := base64.encode(concat(":", ["robot", "hunter22"]))

test_docker_auths_as_structure_denied if {
	e := {"name": "registry", "value": {"auths": {"ghcr.io": {"auth": _docker_auth}}}}
	res := rule.deny with input as t.input_of(with_component_var(e))
	t.fields(res) == {"spec.vars[2].value.auths[ghcr.io].auth"}
	some x in res
	contains(x.msg, "a Docker registry authentication")
	not x.waivable == false

	# an "auth" elsewhere, or a placeholder, is none
	count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "registry", "value": {"auths": {"ghcr.io": {"auth": base64.encode("robot:${TOKEN}")}}}}))
	count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "proxy", "value": {"auth": _docker_auth}}))
}

_secret(fields) := object.union({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "regcred", "namespace": "apps"}, "type": "kubernetes.io/dockerconfigjson"}, fields)

_dockerconfigjson := concat("", [`{"auths":{"ghcr.io":{"auth":"`, _docker_auth, `"}}}`])

test_plain_secrets_and_configmaps_searched if {
	res := rule.deny with input as t.input_of([_secret({"stringData": {".dockerconfigjson": _dockerconfigjson}})])
	t.fields(res) == {"stringData[.dockerconfigjson]"}
	some x in res
	x.kind == "Secret"
	contains(x.msg, "a Docker registry authentication")
	contains(x.msg, "encrypt the Secret with SOPS")
	not x.waivable == false

	# data is decoded
	t.fields(rule.deny) == {"data[.dockerconfigjson]"} with input as t.input_of([_secret({"data": {".dockerconfigjson": base64.encode(_dockerconfigjson)}})])
	t.fields(rule.deny) == {"data[token]"} with input as t.input_of([_secret({"data": {"token": base64.encode(ghp)}})])

	# a ConfigMap's data, a Docker config as YAML text
	yaml_config := concat("", ["auths:\n  ghcr.io:\n    auth: ", _docker_auth, "\n"])
	cm := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "apps"}, "data": {"config.yaml": yaml_config}}
	t.fields(rule.deny) == {"data[config.yaml]"} with input as t.input_of([cm])
}

test_plain_secrets_look_alikes_pass if {
	# encrypted with SOPS
	sops := _secret({"stringData": {".dockerconfigjson": _dockerconfigjson}, "sops": {"version": "3.8.1"}})
	count(rule.deny) == 0 with input as t.input_of([sops])

	# ordinary values, short data, a ConfigMap's stringData is no field
	plain := _secret({"data": {"cluster_name": base64.encode("garfield"), "config": base64.encode("region: eu-west-1\nnodes: 3\n")}, "stringData": {"user": "robot"}})
	count(rule.deny) == 0 with input as t.input_of([plain])
	cm := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "apps"}, "data": {"instanceType": "t3-small", "url": "postgres://app:${DB_PASSWORD}@db/app"}}
	count(rule.deny) == 0 with input as t.input_of([cm])
}

# A placeholder does not deny under a waivable detector, in plain text or
# in base64 of user:password.
test_placeholders_pass_the_waivable_detectors if {
	every v in [
		concat("", ["sk", "_test_", _rep("x", 24)]),
		concat("", ["rk", "_test_", _rep("REPLACEME", 3)]),
		concat("", ["sk", "_test_", "YOURSTRIPEKEYHERE", _rep("x", 8)]),
		concat(".", [concat("", ["eyJ", _rep("x", 20)]), concat("", ["eyJ", _rep("x", 20)]), _rep("x", 20)]),
		concat("", ["S", "K", _rep("0", 32)]),
		concat("", ["Basic ", base64.encode("admin:changeme")]),
		concat("", ["Basic ", base64.encode("admin:<password>")]),
		concat("", ["Basic ", base64.encode("admin:***")]),
		concat("", [`{"auths":{"ghcr.io":{"auth":"`, base64.encode("robot:REPLACE_ME"), `"}}}`]),
		concat("", [`{"auths":{"ghcr.io":{"auth":"`, base64.encode("${USER}:${TOKEN}"), `"}}}`]),
		"postgres://app:REPLACE_ME@db/app",
		"https://user:xxxx@example.com",
		"https://user:your_password@example.com",
	] {
		count(rule.deny) == 0 with input as t.input_of(with_component_var({"name": "notes", "value": v}))
	}
}

# The certain detectors do not ask: an issued credential's shape is never
# a placeholder.
test_placeholders_do_not_spare_certain_credentials if {
	every v in ["AKIAXXXXXXXXXXXXXXXX", concat("", ["glpat", "-", _rep("x", 20)]), "-----BEGIN PRIVATE KEY-----\nREPLACE_ME\n-----END PRIVATE KEY-----"] {
		res := rule.deny with input as t.input_of(with_component_var({"name": "notes", "value": v}))
		certain(res)
	}
}
