# The fast paths of fast.rego and of the end of lib.rego: each gives what
# the per-object definition gives, and steps aside when a shape does not
# say enough.
package fluxtf.lib_fast_test

import data.fluxtf.api
import data.fluxtf.lib
import data.fluxtf.lib_families_test as fam
import data.fluxtf.test as t

objs := [
	t.source("dev"), t.base("dev"), t.karpenter("dev", "1.1.0"), t.efs("dev"),
	t.source("uat"), t.base("uat"), t.karpenter("uat", "latest"),
]

# one Terraform without the stack label (the stack's by its spec.path)
unlabelled := array.concat(objs, [t.without_labels(t.efs("uat"), ["fluxtf.io/stack"])])

# one Terraform whose policies annotation leaves eks out
common_only := array.concat(objs, [t.with_annotations(t.efs("uat"), {"fluxtf.io/policies": "common"})])

test_whole_tf_families if {
	lib.whole_tf_families == {"common", "eks"} with input as t.input_of(objs)
	lib.whole_tf_families == {"common"} with input as t.input_of(common_only)
	count(lib.whole_tf_families) == 0 with input as t.input_of(unlabelled)
}

# api.in_family answers as lib.in_family of the object, on the fast path
# and off it; a record whose object is not the one under check is read.
test_api_in_family_fast_path_agrees if {
	count(_disagreements) == 0 with input as t.input_of(objs)
	count(_disagreements) == 0 with input as t.input_of(unlabelled)
	count(_disagreements) == 0 with input as t.input_of(common_only)
	count(_disagreements) == 0 with input as t.input_of(fam.objs_of(objs, "acme-cluster", "common,eks"))
	count(_checked) == 5 * 3 with input as t.input_of(objs)
	o := [r | some r in api.terraforms; r.name == t.base_name("dev")][0] with input as t.input_of(objs)
	api.in_family(o, "eks") with input as t.input_of(objs)
	forged := object.union(o, {"object": t.with_annotations(o.object, {"fluxtf.io/policies": "common"})})
	not api.in_family(forged, "eks") with input as t.input_of(objs)
}

_checked := {[o.key, f] | some o in api.terraforms; some f in ["eks", "common", "ocm-client"]}

_disagreements := {[o.key, f] |
	some o in api.terraforms
	some f in ["eks", "common", "ocm-client"]
	not _same(api.in_family(o, f), lib.in_family(o.object, f))
}

_same(a, b) if a == b

_same(a, b) if {
	not a
	not b
}

# the versions and groups read by shape are the per-object definitions'
test_common_tf_versions_by_shape if {
	lib._versions_by_shape(lib.common_tf_shapes) with input as t.input_of(objs)
	lib.common_tf_versions == lib._tf_versions(lib.common_tf_facts) with input as t.input_of(objs)
	x := [s | some s in lib.common_tf_shapes; s.comp == "karpenter"][0] with input as t.input_of(objs)
	lib._shape_version_vars[x] == "karpenter_version" with input as t.input_of(objs)
	not lib._versions_by_shape(lib.common_tf_shapes) with input as t.input_of(unlabelled)
	lib.common_tf_versions == lib._tf_versions(lib.common_tf_facts) with input as t.input_of(unlabelled)
	count(lib.common_tf_versions) == 4 with input as t.input_of(unlabelled)
}

_slow_groups := {k: [f | some e in _slow_keyed; e[0] == k; f := e[1]] | some e in _slow_keyed; k := e[0]}

_slow_keyed := [[[s, f.x.tier, f.x.comp, f.x.base], f] | some f in lib.common_tf_facts; s := lib.stack_of(f)]

test_common_tf_groups_by_shape if {
	lib._stacks_labelled(lib.common_tf_shapes) with input as t.input_of(objs)
	lib.common_tf_groups == _slow_groups with input as t.input_of(objs)
	lib._common_tf_group_keys == {k | some k, _ in _slow_groups} with input as t.input_of(objs)
	x := [s | some s in lib.common_tf_shapes; s.tier == "dev"; s.base][0] with input as t.input_of(objs)
	lib._shape_group_keys[x] == ["jeppesen-eks", "dev", "eks", true] with input as t.input_of(objs)
	not lib._stacks_labelled(lib.common_tf_shapes) with input as t.input_of(unlabelled)
	lib.common_tf_groups == _slow_groups with input as t.input_of(unlabelled)
}

test_named_layout if {
	lib._named_layout(["a", "db_password"], 2) == {"n": 2, "vm": {"a": 0, "db_password": 1}, "secret": true}
	not lib._named_layout(["a"], 2) # a var without a name
	not lib._named_layout([], 0)
}

# _tf_shape_of reads the pick json.filter makes in _tf_fast: the fast
# path's "x" is the slow path's, plus the source's kind and namespace
test_tf_shape_of_matches_the_slow_path if {
	count(_fast_facts) == 5 with input as t.input_of(objs)
	every f in _fast_facts {
		slow := lib._tf_slow([f.r])[0]
		object.remove(f.x, ["source_kind", "source_ns"]) == slow.x
		f.src == slow.src
		object.remove(f.y, ["n"]) == slow.y
	}
	count(lib.tf_slow_facts) == 0 with input as t.input_of(objs)
	# a Terraform without the account label is read on the slow path
	no_account := [t.without_labels(t.base("dev"), ["fluxtf.io/account"])]
	count(lib.tf_slow_facts) == 1 with input as t.input_of(no_account)
}

_fast_facts := [f | some f in lib.tf_facts; _ = f.y.n]

_slow_baseline_groups := {k: [f | some e in _slow_baseline_keyed; e[0] == k; f := e[1]] | some e in _slow_baseline_keyed; k := e[0]}

_slow_baseline_keyed := [[[s, f.x.tier, f.x.comp, f.x.base], f] | some f in lib.baseline_common_tf_facts; s := lib.stack_of(f)]

# the baseline's versions and groups by shape are the per-object ones
test_baseline_versions_and_groups_by_shape if {
	every bobjs in [objs, unlabelled] {
		inp := t.with_baseline([t.source("dev")], bobjs)
		lib.baseline_common_tf_versions == lib._tf_versions(lib.baseline_common_tf_facts) with input as inp
		lib.baseline_common_tf_groups == _slow_baseline_groups with input as inp
		lib._baseline_common_tf_group_keys == {k | some k, _ in _slow_baseline_groups} with input as inp
	}
	lib._versions_by_shape(lib._baseline_common_tf_shapes) with input as t.with_baseline([], objs)
	not lib._stacks_labelled(lib._baseline_common_tf_shapes) with input as t.with_baseline([], unlabelled)
	count(lib.baseline_common_tf_versions) == 3 with input as t.with_baseline([], objs)
	count(lib.baseline_common_tf_groups) == 5 with input as t.with_baseline([], objs)
}
