# METADATA
# scope: package
# title: No secrets inline in manifests
# description: >-
#   Manifests are committed to Git and read by everyone with access to the
#   repository and the cluster, and tf-controller copies inline vars into
#   plans and runner pods. Secret values must therefore come from a Kubernetes
#   Secret: through `varsFrom` (as the generated components read the base's
#   outputs) or a var's `valueFrom`, never an inline `value`. The rule refuses
#   an inline non-empty value for a var (or runner env variable) whose name
#   looks secret: a `_`-separated part `password`, `passwd`, `passphrase`,
#   `secret`, `token`, `credential(s)`, or `private_key`, `access_key`,
#   `secret_key`, `api_key`, `client_secret`, `ssh_key` (camelCase counts),
#   unless it ends in `_name`, `_arn`, `_id`, `_ref`, `_path`, `_file`,
#   `_url`, `_ttl`, `_version`, `_enabled` or the like. It also refuses AWS access key
#   ids (`AKIA…`, `ASIA…`) anywhere in a Terraform's or GitRepository's spec,
#   user credentials in a GitRepository's `spec.url`, and an inline
#   `spec.cloud.token`.
# custom:
#   id: no-inline-secrets
#   severity: deny
#   fix: >-
#     Remove the value from the manifest, rotate the exposed secret, store it in
#     a Secret and read it with `varsFrom` or `valueFrom.secretKeyRef` (Git
#     credentials in the Secret named by `spec.secretRef`).
package fluxtf.rules.no_inline_secrets

import data.fluxtf.lib

rule_id := "no-inline-secrets"

secret_part := `(^|_)(password|passwd|passphrase|secret|secrets|token|tokens|credential|credentials|private_key|privatekey|access_key|accesskey|secret_key|secretkey|api_key|apikey|client_secret|clientsecret|ssh_key)(_|$)`

not_secret_last := {
	"name", "names", "arn", "arns", "id", "ids", "ref", "refs", "path", "paths",
	"file", "url", "uri", "endpoint", "ttl", "enabled", "enable", "version",
	"type", "kind", "length", "prefix", "suffix", "rotation", "count", "store",
	"namespace", "mount", "role", "policy",
}

# secret_name: a var name that looks like it holds a secret.
secret_name(n) if {
	is_string(n)
	regex.match(`(?i)pass|secret|token|credential|key`, n)
	s := lower(regex.replace(regex.replace(n, `([a-z0-9])([A-Z])`, "${1}_${2}"), `[-.\s]`, "_"))
	regex.match(secret_part, s)
	parts := split(s, "_")
	not parts[count(parts) - 1] in not_secret_last
}

# inline(v): a value that could hold a secret (not empty, not a flag or number).
inline(v) if {
	is_string(v)
	trim_space(v) != ""
}

inline(v) if {
	is_object(v)
	count(v) > 0
}

inline(v) if {
	is_array(v)
	count(v) > 0
}

# secret_fields(o): the fields of o reported as secret-named inline values.
secret_fields(o) := {f | some f, _ in secret_vars(o)}

secret_vars(o) := {f: n |
	some i, e in lib.vars(o)
	is_object(e)
	secret_name(e.name)
	"value" in object.keys(e)
	inline(e.value)
	f := lib.var_field(i)
	n := e.name
}

env_secrets(o) := {f: n |
	some i, e in object.get(o, ["spec", "runnerPodTemplate", "spec", "env"], [])
	is_object(e)
	secret_name(e.name)
	"value" in object.keys(e)
	inline(e.value)
	f := sprintf("spec.runnerPodTemplate.spec.env[%d].value", [i])
	n := e.name
}

deny contains lib.result(rule_id, r, f, msg) if {
	some r in lib.terraforms
	some f, n in secret_vars(r.obj)
	msg := sprintf(
		"Terraform %q sets the secret-looking var %q inline; secrets must not live in Git: store it in a Secret and read it with varsFrom or valueFrom.secretKeyRef",
		[lib.name(r.obj), n],
	)
}

deny contains lib.result(rule_id, r, f, msg) if {
	some r in lib.terraforms
	some f, n in env_secrets(r.obj)
	msg := sprintf(
		"Terraform %q sets the secret-looking runner env variable %q inline; store it in a Secret and use valueFrom.secretKeyRef",
		[lib.name(r.obj), n],
	)
}

# ---- AWS access key ids anywhere in a spec.

aws_key := `(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}([^A-Z0-9]|$)`

deny contains lib.result(rule_id, r, f, msg) if {
	some r in scanned
	spec := r.obj.spec
	is_object(spec)
	regex.match(aws_key, json.marshal(spec))
	fs := {f |
		walk(spec, [p, x])
		is_string(x)
		regex.match(aws_key, x)
		f := field_of(p)
	}
	some f in fs
	not covered(r.obj, f)
	msg := sprintf(
		"%s has an AWS access key id in %s; never commit AWS keys: rotate the key and let the runner assume a role (or read the key from a Secret)",
		[lib.describe(r), f],
	)
}

scanned := lib.terraforms | lib.gitrepositories

# covered: already reported as a secret-named inline value (or inside one).
covered(o, f) if {
	some g in (secret_fields(o) | {k | some k, _ in env_secrets(o)})
	startswith(f, g)
}

# field_of: a walk path as a Kubernetes field path under spec.
field_of(p) := concat("", ["spec", concat("", [seg | some s in p; seg := segment(s)])])

segment(s) := sprintf("[%d]", [s]) if is_number(s)

segment(s) := sprintf(".%s", [s]) if {
	is_string(s)
	regex.match(`^[A-Za-z0-9_-]+$`, s)
}

segment(s) := sprintf("[%s]", [s]) if {
	is_string(s)
	not regex.match(`^[A-Za-z0-9_-]+$`, s)
}

# ---- Git credentials in spec.url.

deny contains lib.result(rule_id, r, "spec.url", msg) if {
	some r in lib.gitrepositories
	u := r.obj.spec.url
	is_string(u)
	url_credentials(u)
	msg := sprintf(
		"GitRepository %q carries credentials in spec.url; remove the user information from the URL and put the credentials in the Secret named by spec.secretRef",
		[lib.name(r.obj)],
	)
}

# user:password@ in any scheme, or any user (a token) in http(s).
url_credentials(u) if regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:[^/@]*@`, u)

url_credentials(u) if regex.match(`^(?i:https?)://[^/@]+@`, u)

# ---- Terraform Cloud token.

deny contains lib.result(rule_id, r, "spec.cloud.token", msg) if {
	some r in lib.terraforms
	t := r.obj.spec.cloud.token
	is_string(t)
	trim_space(t) != ""
	msg := sprintf(
		"Terraform %q sets spec.cloud.token inline; remove it and provide the Terraform Cloud token through spec.cliConfigSecretRef",
		[lib.name(r.obj)],
	)
}
