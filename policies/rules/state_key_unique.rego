# METADATA
# scope: package
# title: Every Terraform has a state key of its own
# description: >-
#   Two Terraforms that keep their state in the same place overwrite each
#   other's state: the second apply sees the first one's resources as its
#   own and plans to destroy them. That happens when a hand-written overlay
#   copies one `backendConfig` onto every object. The key of a Terraform is
#   read as tf-controller writes its backend
#   (controllers/tf_controller_backend.go): for `customConfiguration`, the
#   backend type and its location attributes (s3: `bucket` and `key`; gcs:
#   `bucket` and `prefix`; azurerm: `storage_account_name`,
#   `container_name` and `key`; other types are not compared); for the
#   Kubernetes backend, the namespace and `secretSuffix` (the object's name
#   when unset, also with no `backendConfig`); and the `workspace`. Two
#   Terraforms of the set with the same key are denied, each naming the
#   other.
# custom:
#   id: state-key-unique
#   severity: deny
#   summary: >-
#     no two Terraforms of the set keep state at one key: s3 `bucket`+`key`,
#     gcs `bucket`+`prefix`, azurerm account+container+`key` (read from
#     `customConfiguration`), kubernetes namespace+`secretSuffix` (the name
#     when unset), each with its `workspace`
#   fix: >-
#     Give every Terraform its own key: fluxtf derives it from the object's
#     identity (stack, environment, account id, region, component); in a
#     hand-written Terraform set a distinct `key` in the backend block (or a
#     distinct `secretSuffix`).
package fluxtf.rules.state_key_unique

import data.fluxtf.lib

rule_id := "state-key-unique"

# _attrs(cfg): the backend type (under "backend") and the quoted values of
# the location attributes of a backend block, read in one pass.
_attrs(cfg) := {m[1]: m[2] |
	some m in regex.find_all_string_submatch_n(`(?m)^\s*(backend|bucket|key|prefix|storage_account_name|container_name)\s*=?\s*"([^"]*)"`, cfg, -1)
}

_location("s3", a) := concat("/", [object.get(a, "bucket", ""), object.get(a, "key", "")])

_location("gcs", a) := concat("/", [object.get(a, "bucket", ""), object.get(a, "prefix", "")])

_location("azurerm", a) := concat("/", [object.get(a, "storage_account_name", ""), object.get(a, "container_name", ""), object.get(a, "key", "")])

_workspace(spec) := w if {
	w := spec.workspace
	is_string(w)
	w != ""
} else := "default"

_keyed := [[k, f] | some f in lib.tf_facts; k := state_key(f)]

# state_key(f): where the Terraform of fact f keeps its state, read as
# tf-controller writes its backend; undefined when that cannot be told
# (the backend disabled, another backend type):
#
#   - a customConfiguration (a non-empty string): the backend block's type
#     and location attributes;
#   - none (absent or ""): the kubernetes backend in the object's namespace,
#     with its secretSuffix (the name when unset);
#
# each with the workspace. (Cost: the fact is read with refs, undefined
# where object.get would give its default, rather than through helper
# functions such as lib.default_str: every function call allocates its
# bindings, and this runs on every Terraform.)
state_key(f) := k if {
	b := f.spec.backendConfig
	cfg := b.customConfiguration
	is_string(cfg)
	cfg != ""
	not b.disable == true
	a := _attrs(cfg)
	t := a.backend
	k := sprintf("%s://%s (workspace %s)", [t, _location(t, a), _workspace(f.spec)])
} else := k if {
	not _custom(f)
	not f.spec.backendConfig.disable == true
	k := sprintf("kubernetes://%s/%s (workspace %s)", [f.ns, _suffix(f), _workspace(f.spec)])
}

# _custom(f): spec.backendConfig.customConfiguration is set (not ""). (A
# rule, so that its negation is true where the field is absent.)
_custom(f) if f.spec.backendConfig.customConfiguration != ""

# _suffix(f): spec.backendConfig.secretSuffix when it is a non-empty
# string, else the name.
_suffix(f) := s if {
	s := f.spec.backendConfig.secretSuffix
	is_string(s)
	s != ""
} else := f.name

# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries):
# the [state key, name] of every Terraform, a list (two objects of one name
# at one key are two owners), and the set of those keys (merged over the
# batches as a set, so that a batch tells whether any key is shared without
# reading the whole fleet's list again).
fleet_summary := {
	"keys": [[p[0], p[1].name] | some p in _keyed],
	"distinct": {p[0] | some p in _keyed},
}

_fleet := s if {
	s := lib.fleet_summaries.state_key_unique
} else := fleet_summary

_distinct := _fleet.distinct

# Only when two Terraforms share a key are the owners of each key grouped.
_shared := {k: names |
	count(_distinct) < count(_fleet.keys)
	some k in _distinct
	names := sort([p[1] | some p in _fleet.keys; p[0] == k])
	count(names) > 1
}

deny contains lib.result(rule_id, f.r, field, msg) if {
	count(_shared) > 0
	some [k, f] in _keyed
	names := _shared[k]
	others := [n | some n in names; n != f.name]
	field := key_field(f.r.obj)
	msg := sprintf(
		"Terraform %q keeps its state at %s, as %s does; two objects with one state overwrite each other: give each its own key (fluxtf derives it from the object's identity)",
		[f.name, k, concat(", ", [sprintf("%q", [n]) | some n in others])],
	)
}

key_field(o) := "spec.backendConfig.customConfiguration" if {
	object.get(o, ["spec", "backendConfig", "customConfiguration"], "") != ""
} else := "spec.backendConfig.secretSuffix" if {
	object.get(o, ["spec", "backendConfig", "secretSuffix"], "") != ""
} else := "metadata.name"
