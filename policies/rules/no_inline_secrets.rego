# METADATA
# scope: package
# title: No secrets inline in manifests
# description: >-
#   Manifests are committed to Git and read by everyone with access to the
#   repository and the cluster, and tf-controller copies inline vars into
#   plans and runner pods. Secret values must therefore come from a Kubernetes
#   Secret: through `varsFrom` (as the generated components read the base's
#   outputs) or a var's `valueFrom`, never an inline `value`. The rule refuses
#   an inline non-empty value for a var (or runner env variable, or a key
#   inside a var's value, such as `{password: …}`) whose name looks secret:
#   a `_`-separated part `password`, `passwd`, `passphrase`, `pass`, `pwd`,
#   `secret`, `token`, `credential(s)`, or `private_key`, `access_key`,
#   `secret_key`, `api_key`, `client_secret`, `ssh_key` (camelCase counts:
#   `dbPass`), unless it ends in `_name`, `_arn`, `_id`, `_ref`, `_path`,
#   `_file`, `_url`, `_ttl`, `_version`, `_enabled` or the like. Whatever
#   the name, it also refuses a value that has the shape of a credential
#   (gitleaks-style detectors) anywhere in a Terraform's or GitRepository's
#   spec, in any object's `metadata.annotations`, and in the `stringData`
#   and (decoded) `data` of a Secret and the `data` of a ConfigMap that
#   are not encrypted with SOPS: an AWS access key id
#   (`AKIA…`, `ASIA…`), a GitHub token (`ghp_…`, `gho_…`, `ghu_…`, `ghs_…`,
#   `ghr_…`, `github_pat_…`), a PEM private key (`-----BEGIN … PRIVATE
#   KEY-----`), a Slack token (`xoxb-`, `xoxp-`, `xoxe-`, `xapp-`) or
#   webhook URL (`hooks.slack.com/services/…`), a GitLab token (`glpat-`),
#   a Stripe live key (`sk_live_`, `rk_live_`), a Google API key (`AIza`
#   and 35 characters), an Azure storage account key (`AccountKey=` and 88
#   base64 characters), an npm token (`npm_`), a SendGrid API key
#   (`SG.x.y`), a HashiCorp Vault token (`hvs.`, `hvb.`), a PyPI token
#   (`pypi-AgEIcHlwaS5vcmc…`), any of those base64-encoded; an AWS secret
#   access key (40 base64 characters, mixed case and digits, at least 24
#   distinct), an HTTP Basic authorization (`Basic <base64 of
#   user:password>`), a Stripe test key (`sk_test_`, `rk_test_`), a JSON
#   Web Token (`eyJ….eyJ….…`), a Twilio API key (`SK` and 32 hex digits), a
#   URL with a password (`postgres://user:pw@host`) and a Docker config's
#   `auths` entry (`"auth": <base64 of user:password>`, in JSON or YAML
#   text or as a structure). For these a placeholder (`${VAR}`,
#   `<token>`, `changeme`, `REPLACE_ME`, `***`, `xxxx`, `0000…`) in the
#   secret part is none. Each detector has
#   a fixed prefix and a length and character set, as gitleaks' rules of
#   the same names, so ordinary values do not match. It also refuses user
#   credentials in a GitRepository's `spec.url` and an inline
#   `spec.cloud.token`. The detectors with a unique prefix and a length
#   that only the issued credential has (an AWS access key id, a GitHub,
#   Slack, GitLab, npm, SendGrid, Vault or PyPI token, a Slack webhook, a
#   Stripe live key, a Google API key, an Azure account key, a private key)
#   find certain credentials: no waiver silences them (the waiver itself is
#   reported as `waiver-invalid`); rotate them. The others (AWS secret key,
#   Basic authorization, Stripe test key, JSON Web Token, Twilio key, URL
#   password, Docker auth) may be a test value, an example or a look-alike:
#   a waiver can accept them.
# custom:
#   id: no-inline-secrets
#   severity: deny
#   summary: >-
#     secret-looking vars, env variables and keys inside var values
#     (`password`, `pass`, `pwd`, `secret`, `token`, `private_key`,
#     `access_key`, `api_key`, `credentials`, …; `db_pwd`, `dbPass`,
#     `{password: …}`) come from `varsFrom` or `valueFrom`, never an inline
#     `value` (on a generated Terraform the message names the spec field:
#     `cluster.secrets.<var>` or `components.<name>.secrets.<var>`; `fluxtf
#     render` already refuses such an inline value in a spec); whatever the
#     name, no credential-shaped value in a Terraform's or GitRepository's
#     spec or in any object's annotations (AWS access key id or secret key,
#     GitHub, Slack, GitLab, npm, SendGrid, Vault or PyPI token, Slack
#     webhook, Stripe key, Google API key, Azure account key, JSON Web Token,
#     Twilio key, PEM private key, HTTP Basic authorization, URL password,
#     Docker auth, or a certain one base64-encoded; see "Credential
#     detectors"), nor in a plain-text Secret's or ConfigMap's data; no
#     credentials in `spec.url`; no inline `spec.cloud.token`
#   fix: >-
#     Remove the value, rotate the exposed secret and store it in a Secret. In
#     an environment spec, name the Secret key of the variable under
#     `cluster.secrets.<var>` (base stack) or `components.<name>.secrets.<var>`
#     as `{name: <Secret>, key: <key>}`: fluxtf renders it as the var's
#     `valueFrom.secretKeyRef` (and refuses an inline value at render time). In
#     a hand-written manifest, read it with `varsFrom` or
#     `valueFrom.secretKeyRef` (Git credentials in the Secret named by
#     `spec.secretRef`).
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
	not _certain_under(r, f)
	msg := sprintf(
		"Terraform %q sets the secret-looking var %q inline; secrets must not live in Git: store it in a Secret and %s",
		[lib.name(r.obj), n, _read_it(t, n)],
	)
}

# _read_it: how to read a secret var from a Secret: for a generated
# Terraform, the spec field that names the Secret key.
_read_it(t, n) := sprintf("name its key in the environment spec under cluster.secrets.%s: {name: <Secret>, key: <key>}", [n]) if {
	_generated(t.r.obj)
	t.x.base
} else := sprintf("name its key in the environment spec under components.%s.secrets.%s: {name: <Secret>, key: <key>}", [c, n]) if {
	_generated(t.r.obj)
	c := lib.label(t.r.obj, lib.label_component)
} else := "read it with varsFrom or valueFrom.secretKeyRef"

_generated(o) if lib.label(o, "app.kubernetes.io/managed-by") == "fluxtf"


# Only Terraforms with a runner pod env can set one inline (and none when
# no Terraform has a runner pod template, lib.tf_spec_keys).
deny contains lib.result(rule_id, r, f, msg) if {
	lib.tf_spec_keys.runnerPodTemplate
	some t in lib.tf_facts
	_ = t.spec.runnerPodTemplate.spec.env
	r := t.r
	some f, n in env_secrets(r.obj)
	not _certain_under(r, f)
	msg := sprintf(
		"Terraform %q sets the secret-looking runner env variable %q inline; store it in a Secret and use valueFrom.secretKeyRef",
		[lib.name(r.obj), n],
	)
}

# ---- Secret-looking keys inside a var's value ({password: …}).

# The engine lists the keys of every mapping in a list (lib.keys_in_lists:
# every key inside a var's value is one): only when one looks secret are
# the vars' values walked. Without that list (conftest) they are.
nested_possible if not lib.keys_in_lists

nested_possible if {
	some k in lib.keys_in_lists
	secret_name(k)
}

deny contains lib.result(rule_id, r, f, msg) if {
	nested_possible
	some t in lib.tf_facts
	r := t.r
	some f, k in nested_secrets(r.obj)
	not _certain_under(r, f)
	msg := sprintf(
		"Terraform %q sets the secret-looking key %q inside a var's value inline; secrets must not live in Git: store the value in a Secret and read the var with varsFrom or valueFrom.secretKeyRef",
		[lib.name(r.obj), k],
	)
}

# nested_secrets(o): field -> key of the secret-named keys with an inline
# value inside the value of a var that is not itself secret-named (that one
# is reported whole); a key inside a reported one is not reported again.
nested_secrets(o) := {f: k |
	some f, k in all
	not _inside_other(f, all)
} if {
	all := {f: k |
		some i, e in lib.vars(o)
		is_object(e)
		not secret_name(e.name)
		v := e.value
		_composite(v)
		walk(v, [p, x])
		count(p) > 0
		k := p[count(p) - 1]
		is_string(k)
		secret_name(k)
		inline(x)
		f := concat("", [lib.var_field(i), concat("", [segment(s) | some s in p])])
	}
}

_composite(v) if is_object(v)

_composite(v) if is_array(v)

_inside_other(f, all) if {
	some g, _ in all
	g != f
	_under(f, g)
}

# _under(f, g): the field f is g or inside it.
_under(f, g) if f == g

_under(f, g) if startswith(f, concat("", [g, "."]))

_under(f, g) if startswith(f, concat("", [g, "["]))

# ---- Credentials by their shape, whatever their name: anywhere in a
# Terraform's or GitRepository's spec and in any object's annotations.

# keywords: every value a detector below matches by a fixed part contains
# one of these, plainly or base64-encoded (as gitleaks' rules carry
# keywords). The engine looks for them, and for runs of 40 base64
# characters (an AWS secret access key), in every string of the input
# while it builds it (policies/hints.go keeps the same list); when none is
# there it says so (lib.no_credential_hint) and nothing is searched.
keywords := ["AKIA", "ASIA", "ABIA", "ACCA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "PRIVATE KEY", "Basic", "basic", "xoxb-", "xoxp-", "xoxe-", "xapp-", "hooks.slack.com", "glpat-", "sk_live_", "rk_live_", "sk_test_", "rk_test_", "AIza", "eyJ", "AccountKey=", "npm_", "SG.", "hvs.", "hvb.", "pypi-AgEIcHlwaS5vcmc", "auths"]

# The detectors of values that are certainly credentials.
aws_key := `(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}([^A-Z0-9]|$)`

github_token := `(^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})([^A-Za-z0-9_]|$)`

private_key := `-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----`

# The other well-known token shapes (gitleaks' rules of the same names):
# a fixed prefix and a length and character set that ordinary values and
# placeholders (`${VAR}`, `<redacted>`, `changeme`) do not have.
certain_detectors := [
	{"re": aws_key, "what": "an AWS access key id"},
	{"re": github_token, "what": "a GitHub token"},
	{"re": private_key, "what": "a private key"},
	{"re": `xoxb-[0-9]{10,13}-[0-9]{10,13}-?[A-Za-z0-9-]{20,}|xox[pe](?:-[0-9]{10,13}){3}-[A-Za-z0-9-]{28,34}|xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]{20,}`, "what": "a Slack token"},
	{"re": `hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}`, "what": "a Slack webhook URL"},
	{"re": `glpat-[0-9A-Za-z_-]{20,}`, "what": "a GitLab token"},
	{"re": `(?:sk|rk)_live_[A-Za-z0-9]{20,247}`, "what": "a Stripe live key"},
	{"re": `(?:^|[^A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?:[^0-9A-Za-z_-]|$)`, "what": "a Google API key"},
	{"re": `AccountKey=[A-Za-z0-9+/]{86}==`, "what": "an Azure storage account key"},
	{"re": `(?:^|[^A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?:[^A-Za-z0-9]|$)`, "what": "an npm token"},
	{"re": `(?:^|[^A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?:[^A-Za-z0-9_-]|$)`, "what": "a SendGrid API key"},
	{"re": `(?:^|[^A-Za-z0-9])(?:hvs\.[A-Za-z0-9_-]{90,120}|hvb\.[A-Za-z0-9_-]{138,300})(?:[^A-Za-z0-9_-]|$)`, "what": "a HashiCorp Vault token"},
	{"re": `pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}`, "what": "a PyPI token"},
]

# One regular expression for all of them: the detectors are tried one by
# one only on a string that it matches.
_any_certain := concat("|", [d.re | some d in certain_detectors])

# Shapes that are credentials as a rule but may be a test value or an
# example (a waiver can accept them): a Stripe test key, a JSON Web
# Token, a Twilio API key (SK and 32 hex digits).
likely_detectors := [
	{"re": `(?:sk|rk)_test_([A-Za-z0-9]{20,247})`, "what": "a Stripe test key"},
	{"re": `(?:^|[^A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{17,}\.eyJ[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]*)`, "what": "a JSON Web Token"},
	{"re": `(?:^|[^A-Za-z0-9])SK([0-9a-fA-F]{32})(?:[^A-Za-z0-9]|$)`, "what": "a Twilio API key"},
]

_any_likely := concat("|", [d.re | some d in likely_detectors])

twilio_key := `(?:^|[^A-Za-z0-9])SK[0-9a-fA-F]{32}(?:[^A-Za-z0-9]|$)`

# A URL with a password: scheme://user:password@; the password is group 1.
# A placeholder (`${VAR}`, `$(VAR)`, `{{ .x }}`, `<redacted>`, `changeme`,
# `password`, `***`, `xxx`) is not one.
url_password := `[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*:([^/@\s]+)@`

_placeholder := `^(?:\$\{.*\}|\$\(.*\)|\{\{.*\}\}|<.*>|%[A-Za-z_]+%|\*+|[xX]+|(?i:changeme|change_me|password|passwd|secret|pass|pw|redacted|placeholder|example|none|null))$`

# _marker: what marks a value as a stand-in wherever it is in it: a
# template or variable reference, an angle-bracketed name, a run of `*` or
# `x`, or a word such as REPLACE_ME, changeme, your_token, dummy.
_marker := `(?i:\$\{|\$\(|\{\{|<[A-Za-z_ -]+>|\*{3,}|x{5,}|replace[_-]?me|change[_-]?me|your[_-]?(?:api[_-]?)?(?:key|token|secret|password|pass)|placeholder|redacted|dummy|fake[_-]?(?:key|token|secret|password))`

# placeholder(v): the secret part v of a waivable detector's match is a
# stand-in, not a credential: a placeholder, a marker in it, or at most
# two distinct letters and digits in four characters or more (`0000…`,
# `xxxx…`, `abab…`). The certain
# detectors do not ask: an issued key's shape is never a placeholder.
placeholder(v) if regex.match(_placeholder, v)

placeholder(v) if regex.match(_marker, v)

placeholder(v) if {
	count(v) >= 4
	count({c | some c in split(regex.replace(v, `eyJ|[^A-Za-z0-9]`, ""), "")}) <= 2
}

# A Docker config (.dockerconfigjson, config.json) as text, JSON or YAML:
# "auths" with an "auth" that is the base64 of user:password.
docker_auth := `(?:^|[^A-Za-z0-9_])["']?auth["']?[ \t]*:[ \t]*["']?([A-Za-z0-9+/]+={0,2})(?:["'\s,}]|$)`

# _shapes: a Go-side hint for what has no keyword (policies/hints.go
# mayHoldCredential checks the same).
_shapes := [twilio_key, `://[^/@:\s]*:[^/@\s]+@`]

# An AWS secret access key: exactly 40 base64 characters standing alone,
# with upper and lower case letters and digits and at least 24 distinct
# characters (a random key has about 30; a path or a word list has fewer,
# a git commit id no upper case).
aws_secret := `(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`

# An HTTP Basic authorization: "Basic " and the base64 of user:password.
basic_auth := `(?:^|[^A-Za-z0-9])(?:Basic|basic)[ \t]+([A-Za-z0-9+/]+={0,2})(?:[^A-Za-z0-9+/=]|$)`

# A run of base64 characters long enough to hide an access key id.
encoded_run := `[A-Za-z0-9+/]{24,}`

# credentials(s): what the string s holds, a set of {"what", "certain"}.
credentials(s) := ((((_certain(s) | _aws_secrets(s)) | _basic(s)) | _encoded(s)) | _likely(s)) | (_url_passwords(s) | _docker_auths(s))

_certain(s) := {{"what": d.what, "certain": true} | some d in certain_detectors; regex.match(d.re, s)} if {
	regex.match(_any_certain, s)
} else := set()

_likely(s) := {{"what": d.what, "certain": false} |
	some d in likely_detectors
	some m in regex.find_all_string_submatch_n(d.re, s, -1)
	not placeholder(m[1])
} if {
	regex.match(_any_likely, s)
} else := set()

_url_passwords(s) := {{"what": "a URL with a password", "certain": false} |
	some m in regex.find_all_string_submatch_n(url_password, s, -1)
	not placeholder(m[1])
}

_docker_auths(s) := {{"what": "a Docker registry authentication", "certain": false} |
	contains(s, "auths")
	some m in regex.find_all_string_submatch_n(docker_auth, s, -1)
	user_password(m[1])
}

# user_password(b): b is the base64 of a printable user:password whose
# password is no placeholder (a Docker auth, a Basic authorization).
user_password(b) if {
	d := base64.decode(b)
	regex.match(`^[\x20-\x7e]+:[\x20-\x7e]+$`, d)
	not placeholder(substring(d, indexof(d, ":") + 1, -1))
}

_aws_secrets(s) := {{"what": "an AWS secret access key", "certain": false} |
	some m in regex.find_all_string_submatch_n(aws_secret, s, -1)
	_random_key(m[1])
}

_random_key(k) if {
	regex.match(`[A-Z]`, k)
	regex.match(`[a-z]`, k)
	regex.match(`[0-9]`, k)
	count({c | some c in split(k, "")}) >= 24
}

_basic(s) := {{"what": "an HTTP Basic authorization", "certain": false} |
	some m in regex.find_all_string_submatch_n(basic_auth, s, -1)
	user_password(m[1])
}

_encoded(s) := {{"what": concat("", [d.what, ", base64-encoded"]), "certain": true} |
	some run in regex.find_all_string_submatch_n(encoded_run, s, -1)
	t := _decoded(run[0])
	regex.match(_any_certain, t)
	some d in certain_detectors
	regex.match(d.re, t)
}

# _decoded(run): a run of base64 characters (without padding) decoded, a
# dangling last character dropped (as decodeRun in policies/hints.go).
_decoded(run) := base64.decode(concat("", [t, _padding[count(t) % 4]])) if {
	t := _whole(run)
}

_whole(run) := substring(run, 0, count(run) - 1) if {
	count(run) % 4 == 1
} else := run

_padding := {0: "", 2: "==", 3: "="}

credential_possible if not lib.no_credential_hint

# _hint: a text in which a detector may find something.
_hint := concat("|", array.concat(array.concat(keywords, [`[A-Za-z0-9+/]{24,}`]), _shapes))

# _targets: the values searched, with where they are.
_targets := array.concat(
	array.concat(
		[{"r": f.r, "v": f.spec, "at": "spec"} | some f in scanned; is_object(f.spec)],
		[{"r": f.r, "v": a, "at": "annotations"} |
			some f in lib.all_facts
			a := f.r.obj.metadata.annotations
			is_object(a)
			count(a) > 0
		],
	),
	_plain_data,
) if credential_possible

# _plain_data: the values of the Secrets and ConfigMaps committed in plain
# text (not encrypted with SOPS, which Flux decrypts: no top-level
# `sops`): a Secret's `stringData` and a ConfigMap's `data` as they are, a
# Secret's `data` decoded (each value that is one run of 24 or more base64
# characters, as the engine's hint decodes them).
_plain_data := [{"r": f.r, "v": v, "at": at} |
	some f in lib.other_facts
	some at, decode in _data_fields[f.kind]
	o := f.r.obj
	not "sops" in object.keys(o)
	d := o[at]
	is_object(d)
	v := _data_values(d, decode)
	count(v) > 0
]

_data_fields := {"Secret": {"stringData": false, "data": true}, "ConfigMap": {"data": false}}

_data_values(d, false) := d

_data_values(d, true) := {k: t |
	some k, x in d
	is_string(x)
	regex.match(`^[A-Za-z0-9+/]{24,}={0,2}$`, x)
	t := base64.decode(x)
}

scanned := array.concat(lib.tf_facts, lib.git_facts)

# _found: [record, field, {"what", "certain"}] of every credential found.
# Each target is first written out as text (cheaper than walking it) and
# walked only when a detector may find something in it.
_found contains [t.r, field, c] if {
	credential_possible
	some t in _targets
	regex.match(_hint, sprintf("%v", [t.v]))
	walk(t.v, [p, x])
	is_string(x)
	some c in _credentials_at(p, x)
	field := field_at(t.at, p)
}

_credentials_at(p, x) := credentials(x) | _docker_auth_at(p, x)

# _docker_auth_at: a Docker config as a structure rather than text (a
# var's value {auths: {<registry>: {auth: …}}}): auths.<registry>.auth is
# the base64 of user:password.
_docker_auth_at(p, x) := {{"what": "a Docker registry authentication", "certain": false}} if {
	n := count(p)
	n >= 3
	p[n - 1] == "auth"
	p[n - 3] == "auths"
	user_password(x)
} else := set()

field_at("spec", p) := field_of(p)

field_at("annotations", p) := sprintf("metadata.annotations[%s]", [p[0]])

field_at(at, p) := sprintf("%s[%s]", [at, p[0]]) if at in {"stringData", "data"}

_found_fields := {[r, f] | some [r, f, _] in _found}

_certain_under(r, f) if {
	count(_found) > 0
	some [r2, g, c] in _found
	c.certain
	r2 == r
	_under(g, f)
}

_whats(r, f) := concat(" and ", sort({c.what | some [r2, g, c] in _found; r2 == r; g == f}))

# A value that is certainly a credential: no waiver accepts it.
deny contains lib.unwaivable_result(rule_id, r, f, msg) if {
	some [r, f] in _found_fields
	some [r2, g, c] in _found
	r2 == r
	g == f
	c.certain
	msg := sprintf(
		"%s has %s in %s; never commit credentials: it is compromised once pushed, so revoke and rotate it now, then %s (no waiver can accept this)",
		[lib.describe(r), _whats(r, f), f, _keep_it(r)],
	)
}

# A value that has the shape of a credential.
deny contains lib.result(rule_id, r, f, msg) if {
	some [r, f] in _found_fields
	not _has_certain(r, f)
	not covered(r.obj, f)
	not _url_reported(r, f)
	msg := sprintf(
		"%s has what looks like %s in %s; never commit credentials: rotate it and %s",
		[lib.describe(r), _whats(r, f), f, _keep_it(r)],
	)
}

# _keep_it: where a credential belongs instead.
_keep_it(r) := "encrypt the Secret with SOPS (Flux decrypts it) or create it outside Git" if {
	lib.kind(r.obj) == "Secret"
} else := "read it from a Secret"

_has_certain(r, f) if {
	some [r2, g, c] in _found
	r2 == r
	g == f
	c.certain
}

# covered: already reported as a secret-named inline value (or inside one).
covered(o, f) if {
	some g in ((secret_fields(o) | {k | some k, _ in env_secrets(o)}) | {k | some k, _ in nested_secrets(o)})
	_under(f, g)
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

# _url_reported: a GitRepository's spec.url with credentials is reported
# once, by the rule below.
_url_reported(r, "spec.url") if {
	lib.kind(r.obj) == "GitRepository"
	url_credentials(r.obj.spec.url)
}

# user:password@ in any scheme, or any user (a token) in http(s).
url_credentials(u) if regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:[^/@]*@`, u)

url_credentials(u) if regex.match(`^(?i:https?)://[^/@]+@`, u)

# ---- Terraform Cloud token.

deny contains lib.result(rule_id, f.r, "spec.cloud.token", msg) if {
	lib.tf_spec_keys.cloud
	some f in lib.tf_facts
	t := f.spec.cloud.token
	is_string(t)
	trim_space(t) != ""
	msg := sprintf(
		"Terraform %q sets spec.cloud.token inline; remove it and provide the Terraform Cloud token through spec.cliConfigSecretRef",
		[f.name],
	)
}
