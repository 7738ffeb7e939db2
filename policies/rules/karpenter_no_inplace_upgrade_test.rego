package fluxtf.rules.karpenter_no_inplace_upgrade_test

import data.fluxtf.rules.karpenter_no_inplace_upgrade as rule
import data.fluxtf.test as t

with_karpenter(v) := array.concat(t.env("uat"), [t.karpenter("uat", v)])

marked_with(v, step) := array.concat(t.env("uat"), [t.with_annotations(t.karpenter("uat", v), {"fluxtf.io/migration": step})])

marked(v) := marked_with(v, "0.37 -> 1.0")

test_major_change_denied if {
	res := rule.deny with input as t.with_baseline(with_karpenter("1.1.0"), with_karpenter("0.37.0"))
	count(res) == 1
	some x in res
	x.rule == "karpenter-no-inplace-upgrade"
	x.name == "uat-digx-uat-eu-west-1-karpenter"
	x.field == "metadata"
	contains(x.msg, "0.37.0 -> 1.1.0")
	contains(x.msg, "fluxtf.io/migration")
}

test_major_change_with_marker_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(marked("1.1.0"), with_karpenter("0.37.0"))
}

# ---- issue 14: the marker names the step it covers.

test_marker_for_another_step_denied if {
	# 0.37 -> 1.0 was done and the marker left in place: 1.0 -> 2.0 is not covered.
	res := rule.deny with input as t.with_baseline(marked_with("2.0.0", "0.37 -> 1.0"), with_karpenter("1.0.8"))
	count(res) == 1
	some x in res
	contains(x.msg, `the marker "0.37 -> 1.0" is for another step`)
	contains(x.msg, `{from: "1.0", to: "2.0"}`)
}

test_marker_naming_no_step_denied if {
	count(rule.deny) == 1 with input as t.with_baseline(marked_with("1.1.0", "done"), with_karpenter("0.37.0"))
	count(rule.deny) == 1 with input as t.with_baseline(marked_with("1.1.0", "true"), with_karpenter("0.37.0"))
}

test_marker_for_this_step_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(marked_with("2.0.0", "1.0 -> 2.0"), with_karpenter("1.1.0"))
	count(rule.deny) == 0 with input as t.with_baseline(marked_with("0.37.0", "0.36 -> 0.37"), with_karpenter("0.36.2"))
}

test_minor_change_below_one_denied if {
	res := rule.deny with input as t.with_baseline(with_karpenter("0.37.0"), with_karpenter("0.36.2"))
	some x in res
	contains(x.msg, "minor version change below 1.0")
}

test_patch_below_one_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(with_karpenter("0.37.1"), with_karpenter("0.37.0"))
}

test_minor_change_from_one_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(with_karpenter("1.1.0"), with_karpenter("1.0.8"))
	count(rule.deny) == 0 with input as t.with_baseline(with_karpenter("1.0.8"), with_karpenter("1.1.0"))
}

test_downgrade_across_majors_denied if {
	res := rule.deny with input as t.with_baseline(with_karpenter("0.37.0"), with_karpenter("1.0.8"))
	some x in res
	contains(x.msg, "downgrade across majors")
}

test_v_prefix_and_annotations_field if {
	objs := array.concat(t.env("uat"), [t.with_annotations(t.karpenter("uat", "v2.0.0"), {"owner": "platform"})])
	t.fields(rule.deny) == {"metadata.annotations"} with input as t.with_baseline(objs, with_karpenter("v1.1.0"))
}

test_component_from_path if {
	k := t.without_labels(t.karpenter("uat", "1.1.0"), ["fluxtf.io/component"])
	count(rule.deny) == 1 with input as t.with_baseline(array.concat(t.env("uat"), [k]), with_karpenter("0.37.0"))
}

test_without_baseline_finds_nothing if {
	count(rule.deny) == 0 with input as t.input_of(with_karpenter("1.1.0"))
}

test_new_karpenter_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(with_karpenter("1.1.0"), t.env("uat"))
}

test_renamed_karpenter_still_compared if {
	# a target renamed in the same change: the twin is the same deployment
	k := json.patch(t.karpenter("uat", "1.1.0"), [{"op": "replace", "path": "/metadata/name", "value": "uat-main-karpenter"}])
	res := rule.deny with input as t.with_baseline(array.concat(t.env("uat"), [k]), with_karpenter("0.37.0"))
	{x.name | some x in res} == {"uat-main-karpenter"}
}

# The version var's name is the catalogue's (versionVar): renamed there, the
# rule reads the new name, and the old one means nothing.
renamed_catalogue := json.patch(data.fluxtf.catalogue.modules, [{"op": "replace", "path": "/jeppesen-eks~1modules~1karpenter/versionVar", "value": "karpenter_release"}])

renamed_var(e) := object.union(e, {"name": "karpenter_release"}) if e.name == "karpenter_version"

else := e

with_release(v) := array.concat(t.env("uat"), [t.with_spec(k, {"vars": [renamed_var(e) | some e in k.spec.vars]})]) if k := t.karpenter("uat", v)

test_version_var_from_catalogue if {
	res := rule.deny with input as t.with_baseline(with_release("1.1.0"), with_release("0.37.0"))
		with data.fluxtf.catalogue.modules as renamed_catalogue
	count(res) == 1
	count(rule.deny) == 0 with input as t.with_baseline(with_karpenter("1.1.0"), with_karpenter("0.37.0"))
		with data.fluxtf.catalogue.modules as renamed_catalogue
}
