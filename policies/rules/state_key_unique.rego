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
#   backend type and its location attributes (s3: `bucket` and `key`, and
#   in a workspace other than `default` the object key the s3 backend
#   writes, `<workspace_key_prefix>/<workspace>/<key>`; gcs:
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
#     no two Terraforms of the set keep state at one key: s3 `bucket`+`key`
#     (+`workspace_key_prefix` outside the default workspace),
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

# _keyed: [state key, fact] of every Terraform whose state key can be
# told: lib.state_key, read as tf-controller writes its backend (the
# backend type and location attributes of a customConfiguration, or the
# kubernetes backend's namespace and secretSuffix, each with the
# workspace), computed by the engine while it builds the input.
_keyed := lib.tf_state_keys

# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries):
# the [state key, name] of every Terraform, a list (two objects of one name
# at one key are two owners), and the set of those keys (merged over the
# batches as a set, so that a batch tells whether any key is shared without
# reading the whole fleet's list again).
fleet_summary := {
	"keys": lib.tf_state_key_names,
	"distinct": lib.tf_state_key_set,
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
