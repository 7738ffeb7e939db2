# METADATA
# scope: package
# title: Names are DNS-1123 labels of at most 63 characters
# description: >-
#   GitRepository and Terraform names become parts of other Kubernetes names
#   and labels: tf-controller names its runner pods, plan Secrets and
#   ConfigMaps after the Terraform, and Flux uses the GitRepository's name in
#   artifact paths and events. The API server and the controllers accept only
#   DNS-1123 labels there: lower-case letters, digits and `-`, starting and
#   ending with a letter or digit, at most 63 characters. A name outside that
#   form is rejected at apply time or breaks the runner mid-reconcile, after
#   the rest of the environment has moved on.
# custom:
#   id: names-valid
#   severity: deny
#   summary: >-
#     GitRepository and Terraform names are DNS-1123 labels of at most 63
#     characters
#   fix: >-
#     Rename the object to lower-case letters, digits and `-` (no `_` or `.`),
#     starting and ending alphanumeric, at most 63 characters, and update the
#     references to it (`sourceRef`, `dependsOn`).
package fluxtf.rules.names_valid

import data.fluxtf.lib

rule_id := "names-valid"

dns1123 := `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`

max_length := 63

# valid_name: a DNS-1123 label of at most 63 characters. A name that
# matches gives neither finding below, so only the others are looked at,
# and none when every name matches (lib.names_all_valid, the usual case).
valid_name := lib.names_valid_pattern

suspects := [] if {
	lib.names_all_valid
} else := [f |
	some f in array.concat(lib.tf_facts, lib.git_facts)
	not regex.match(valid_name, f.name)
]

deny contains lib.result(rule_id, f.r, "metadata.name", msg) if {
	some f in suspects
	n := f.name
	n != ""
	problem := problems(n)
	msg := sprintf(
		"%s %q is not a valid name (%s); names must be DNS-1123 labels of at most %d characters: rename it to %q",
		[f.kind, n, problem, max_length, suggestion(n)],
	)
}

deny contains lib.result(rule_id, r, field, msg) if {
	some f in suspects
	f.name == ""
	r := f.r
	not r.obj.metadata.generateName
	field := lib.nearest_field(r.obj, ["metadata", "name"])
	msg := sprintf(
		"%s has no metadata.name; set metadata.name to a DNS-1123 label of at most %d characters",
		[lib.kind(r.obj), max_length],
	)
}

problems(n) := concat(" and ", [p | some p in [too_long(n), bad_chars(n)]; p != ""]) if {
	some p in [too_long(n), bad_chars(n)]
	p != ""
}

too_long(n) := sprintf("%d characters", [count(n)]) if {
	count(n) > max_length
} else := ""

bad_chars(n) := "not lower-case letters, digits and '-' starting and ending alphanumeric" if {
	not regex.match(dns1123, n)
} else := ""

suggestion(n) := s if {
	a := regex.replace(lower(n), `[^a-z0-9-]+`, "-")
	b := trim(a, "-")
	c := trim_right(substring(b, 0, max_length), "-")
	s := c
}
