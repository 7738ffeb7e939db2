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

# secret_name: a var name that looks like it holds a secret (lib computes
# it once per distinct list of var names, for the facts' "secret").
secret_name(n) if lib.secret_name(n)

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

# A fact's "secret" says whether a var name looks secret (lib checks each
# distinct list of var names once): secret_vars only runs on those.
_secret_layouts := {y | some y in lib.tf_layouts; y.secret}

deny contains lib.result(rule_id, r, f, msg) if {
	count(_secret_layouts) > 0
	some t in lib.tf_facts
	_secret_layouts[t.y]
	r := t.r
	some f, n in secret_vars(r.obj)
	msg := sprintf(
		"Terraform %q sets the secret-looking var %q inline; secrets must not live in Git: store it in a Secret and read it with varsFrom or valueFrom.secretKeyRef",
		[lib.name(r.obj), n],
	)
}

# Only Terraforms with a runner pod env can set one inline.
deny contains lib.result(rule_id, r, f, msg) if {
	some t in lib.tf_facts
	_ = t.spec.runnerPodTemplate.spec.env
	r := t.r
	some f, n in env_secrets(r.obj)
	msg := sprintf(
		"Terraform %q sets the secret-looking runner env variable %q inline; store it in a Secret and use valueFrom.secretKeyRef",
		[lib.name(r.obj), n],
	)
}

# ---- AWS access key ids anywhere in a spec.

aws_key := `(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}([^A-Z0-9]|$)`

# aws_key_text: what an access key id leaves in any text of a spec: its
# letters and digits are never escaped, so a spec with an access key id in a
# string has this in sprintf("%v", [spec]) too (a cheaper text than
# json.marshal's).
aws_key_text := `A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}`

# The specs are first written out all at once: only when an access key id
# could be among them is each one looked at. The engine spares even that
# when it found none of the prefixes in any string of the input
# (lib.no_aws_key_prefix).
_all_specs_text := sprintf("%v", [[sc.spec | some sc in scanned]])

aws_key_possible if {
	not lib.no_aws_key_prefix
	some prefix in ["AKIA", "ASIA", "ABIA", "ACCA"]
	contains(_all_specs_text, prefix)
}

deny contains lib.result(rule_id, r, f, msg) if {
	aws_key_possible
	some sc in scanned
	spec := sc.spec
	is_object(spec)
	regex.match(aws_key_text, sprintf("%v", [spec]))
	r := sc.r
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

scanned := array.concat(lib.tf_facts, lib.git_facts)

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

_urls_with_credentials := {u | some x in lib.git_shapes; u := x.url; is_string(u); url_credentials(u)}

deny contains lib.result(rule_id, g.r, "spec.url", msg) if {
	count(_urls_with_credentials) > 0
	some g in lib.git_facts
	_urls_with_credentials[g.x.url]
	msg := sprintf(
		"GitRepository %q carries credentials in spec.url; remove the user information from the URL and put the credentials in the Secret named by spec.secretRef",
		[g.name],
	)
}

# user:password@ in any scheme, or any user (a token) in http(s).
url_credentials(u) if regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:[^/@]*@`, u)

url_credentials(u) if regex.match(`^(?i:https?)://[^/@]+@`, u)

# ---- Terraform Cloud token.

deny contains lib.result(rule_id, f.r, "spec.cloud.token", msg) if {
	some f in lib.tf_facts
	t := f.spec.cloud.token
	is_string(t)
	trim_space(t) != ""
	msg := sprintf(
		"Terraform %q sets spec.cloud.token inline; remove it and provide the Terraform Cloud token through spec.cliConfigSecretRef",
		[f.name],
	)
}
