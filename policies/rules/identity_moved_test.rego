package fluxtf.rules.identity_moved_test

import data.fluxtf.rules.identity_moved as rule
import data.fluxtf.test as t

# renamed(o, target): o as a rename of its target to target renders it
# (new name and target label; cluster_name when it has one).
renamed(o, target) := json.patch(o, [
	{"op": "replace", "path": "/metadata/name", "value": concat("-", ["uat", target, o.metadata.labels["fluxtf.io/component"]])},
	{"op": "replace", "path": "/metadata/labels/fluxtf.io~1target", "value": target},
])

with_cluster(o, n) := t.with_var(o, "cluster_name", n)

# kept(o): o renamed to uat-main, with the moved-from annotation of a
# recorded move and the former cluster name and backend.
kept(o) := t.with_annotations(renamed(o, "main"), {"fluxtf.io/moved-from": o.metadata.name, "fluxtf.io/moved-reason": "short names"})

before := array.concat(t.env("uat"), [t.efs("uat")])

test_rename_without_moved_denied if {
	now := [t.source("uat"), with_cluster(renamed(t.base("uat"), "main"), "uat-main"), renamed(t.efs("uat"), "main")]
	res := rule.deny with input as t.with_baseline(now, before)
	{[x.name, x.field] | some x in res} == {["uat-main-eks", "metadata.name"], ["uat-main-efs", "metadata.name"]}
	some x in res
	x.name == "uat-main-eks"
	contains(x.msg, "its name \"uat-digx-uat-eu-west-1-eks\" -> \"uat-main-eks\"")
	contains(x.msg, "cluster_name \"uat-digx-uat-eu-west-1\" -> \"uat-main\"")
	contains(x.msg, "moved: [{from: digx-uat-eu-west-1, to: main, reason: ...}]")
	contains(x.msg, "account 111111111111, eu-west-1, component eks")
}

test_recorded_move_passes if {
	now := [t.source("uat"), kept(t.base("uat")), kept(t.efs("uat"))]
	count(rule.deny) == 0 with input as t.with_baseline(now, before)
}

test_move_listing_another_name_denied if {
	other := t.with_annotations(renamed(t.base("uat"), "main"), {"fluxtf.io/moved-from": "something-else, also-not"})
	count(rule.deny) == 1 with input as t.with_baseline([t.source("uat"), other], t.env("uat"))
}

test_namespace_move_needs_namespace_and_name if {
	moved := json.patch(t.base("uat"), [{"op": "replace", "path": "/metadata/namespace", "value": "platform"}])
	by_name := t.with_annotations(moved, {"fluxtf.io/moved-from": t.base_name("uat")})
	res := rule.deny with input as t.with_baseline([t.source("uat"), by_name], t.env("uat"))
	t.fields(res) == {"metadata.namespace"}
	full := t.with_annotations(moved, {"fluxtf.io/moved-from": sprintf("flux-system/%s", [t.base_name("uat")])})
	count(rule.deny) == 0 with input as t.with_baseline([t.source("uat"), full], t.env("uat"))
}

test_cluster_name_change_alone_denied if {
	now := [t.source("uat"), with_cluster(t.base("uat"), "uat-other")]
	res := rule.deny with input as t.with_baseline(now, t.env("uat"))
	t.fields(res) == {"spec.vars[1].value"}
	some x in res
	contains(x.msg, "replaces the EKS cluster")
}

test_state_key_change_alone_denied if {
	other := t.with_spec(t.base("uat"), {"backendConfig": {"customConfiguration": "backend \"s3\" {\n  bucket = \"digx-terraform-state\"\n  key    = \"elsewhere.tfstate\"\n}\n"}})
	res := rule.deny with input as t.with_baseline([t.source("uat"), other], t.env("uat"))
	t.fields(res) == {"spec.backendConfig.customConfiguration"}
	some x in res
	contains(x.msg, "elsewhere.tfstate")
}

plain(o) := json.patch(o, [{"op": "remove", "path": "/spec/backendConfig"}])

test_state_change_with_recorded_rename_passes if {
	# the kubernetes default backend names the state after the object: a
	# recorded rename accepts that too
	now := [t.source("uat"), kept(plain(t.base("uat")))]
	count(rule.deny) == 0 with input as t.with_baseline(now, [t.source("uat"), plain(t.base("uat"))])
}

test_unchanged_and_new_pass if {
	count(rule.deny) == 0 with input as t.with_baseline(before, before)
	count(rule.deny) == 0 with input as t.with_baseline(before, [])
	count(rule.deny) == 0 with input as t.input_of([t.source("uat"), renamed(t.base("uat"), "main")])
}

test_source_rename_not_a_finding if {
	g := json.patch(t.source("uat"), [{"op": "replace", "path": "/metadata/name", "value": "jeppesen-eks-staging"}])
	count(rule.deny) == 0 with input as t.with_baseline([g, t.base("uat")], t.env("uat"))
}

test_other_account_is_new if {
	# another account id is another deployment: no twin, nothing to compare
	other := renamed(t.with_var(t.base("uat"), "account_id", "999999999999"), "main")
	count(rule.deny) == 0 with input as t.with_baseline([t.source("uat"), other], t.env("uat"))
}
