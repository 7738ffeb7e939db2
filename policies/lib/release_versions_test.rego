# The release rules' shared values (release.rego): the component versions
# and the [stack, tier, component, base] groups of the common family's
# Terraforms, looked up once for release-order, component-version-pinned
# and component-compatibility.
package fluxtf.lib_release_versions_test

import data.fluxtf.lib
import data.fluxtf.lib_families_test as fam
import data.fluxtf.test as t

objs := [
	t.source("dev"), t.base("dev"), t.karpenter("dev", "1.1.0"), t.efs("dev"),
	t.source("uat"), t.base("uat"), t.karpenter("uat", "latest"),
]

# versions(vs): [name, stack, version stack, var, value, index field] of
# the records vs.
versions(vs) := {[v.f.name, v.stack, v.vstack, v.var, v.value, lib.var_field(v.index)] | some v in vs}

test_common_tf_versions_one_record_per_component_version if {
	got := versions(lib.common_tf_versions) with input as t.input_of(objs)
	efs := lib.var(t.efs("dev"), "efs_csi_driver_version")
	got == {
		[t.component_name("dev", "efs"), "jeppesen-eks", "jeppesen-eks", "efs_csi_driver_version", efs.value, efs.field],
		[t.component_name("dev", "karpenter"), "jeppesen-eks", "jeppesen-eks", "karpenter_version", "1.1.0", t.var_field(t.karpenter("dev", "1.1.0"), "karpenter_version")],
		[t.component_name("uat", "karpenter"), "jeppesen-eks", "jeppesen-eks", "karpenter_version", "latest", t.var_field(t.karpenter("uat", "latest"), "karpenter_version")],
	}
	# the records are component_version's, field for field
	vs := lib.common_tf_versions with input as t.input_of(objs)
	every v in vs {
		lib.component_version(v.f) == {"value": v.value, "index": v.index, "var": v.var} with input as t.input_of(objs)
	}
}

test_tf_versions_of_the_baseline_and_the_eks_family if {
	inp := t.with_baseline(objs, [t.karpenter("uat", "1.0.0")])
	versions(lib.baseline_common_tf_versions) == {[
		t.component_name("uat", "karpenter"), "jeppesen-eks", "jeppesen-eks", "karpenter_version", "1.0.0",
		t.var_field(t.karpenter("uat", "1.0.0"), "karpenter_version"),
	]} with input as inp
	lib.eks_tf_versions == lib.common_tf_versions with input as inp
}

# a stack of the common family only: its versions, none of the eks family;
# a made-up stack declaring eks takes its family's catalogue (vstack)
test_tf_versions_follow_the_families if {
	common_only := fam.objs_of(objs, "acme-cluster", "common")
	count(lib.common_tf_versions) == 0 with input as t.input_of(common_only)
	count(lib.eks_tf_versions) == 0 with input as t.input_of(common_only)
	both := fam.objs_of(objs, "acme-cluster", "common,eks")
	got := {[v.stack, v.vstack, v.value] | some v in lib.common_tf_versions} with input as t.input_of(both)
	efs := lib.var(t.efs("dev"), "efs_csi_driver_version").value
	got == {["acme-cluster", "jeppesen-eks", "1.1.0"], ["acme-cluster", "jeppesen-eks", "latest"], ["acme-cluster", "jeppesen-eks", efs]}
	eks_only := fam.objs_of(objs, "acme-cluster", "eks")
	{v.value | some v in lib.eks_tf_versions} == {"1.1.0", "latest", efs} with input as t.input_of(eks_only)
	count(lib.common_tf_versions) == 0 with input as t.input_of(eks_only)
}

test_common_tf_groups if {
	got := {k: {f.name | some f in fs} | some k, fs in lib.common_tf_groups} with input as t.input_of(objs)
	got == {
		["jeppesen-eks", "dev", "eks", true]: {t.base_name("dev")},
		["jeppesen-eks", "dev", "karpenter", false]: {t.component_name("dev", "karpenter")},
		["jeppesen-eks", "dev", "efs", false]: {t.component_name("dev", "efs")},
		["jeppesen-eks", "uat", "eks", true]: {t.base_name("uat")},
		["jeppesen-eks", "uat", "karpenter", false]: {t.component_name("uat", "karpenter")},
	}
	# the same object twice is one group of two facts
	twice := array.concat(objs, [t.efs("dev")])
	count(lib.common_tf_groups[["jeppesen-eks", "dev", "efs", false]]) == 2 with input as t.input_of(twice)
	bg := lib.baseline_common_tf_groups with input as t.with_baseline(objs, [t.base("uat")])
	{k: [f.name | some f in fs] | some k, fs in bg} == {["jeppesen-eks", "uat", "eks", true]: [t.base_name("uat")]}
}
