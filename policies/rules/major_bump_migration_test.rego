package fluxtf.rules.major_bump_migration_test

import data.fluxtf.rules.major_bump_migration as rule
import data.fluxtf.test as t

uat_tag(tag) := [t.with_ref(t.source("uat"), {"tag": tag}), t.base("uat")]

test_major_rise_without_guide_denied if {
	res := rule.deny with input as t.with_baseline(uat_tag("v5.0.0"), uat_tag("v4.2.0"))
	count(res) == 1
	some x in res
	x.rule == "major-bump-migration"
	x.field == "metadata"
	x.kind == "GitRepository"
	contains(x.msg, "v4.2.0 to v5.0.0")
	contains(x.msg, "set source.migrationGuide: {path: docs/migrations/v5.md, from: v4, to: v5}")
	not contains(x.msg, "annotation")
}

# A hand-written GitRepository is told the annotations to add.
test_hand_written_told_the_annotations if {
	hand := t.without_labels(t.with_ref(t.source("uat"), {"tag": "v5.0.0"}), ["app.kubernetes.io/managed-by"])
	before := t.without_labels(t.source("uat"), ["app.kubernetes.io/managed-by"])
	res := rule.deny with input as t.with_baseline([hand, t.base("uat")], [before, t.base("uat")])
	count(res) == 1
	some x in res
	contains(x.msg, `add the annotations fluxtf.io/migration-guide: docs/migrations/v5.md and fluxtf.io/migration: "v4 -> v5"`)
}

test_field_points_at_existing_annotations if {
	objs := [t.with_annotations(t.with_ref(t.source("uat"), {"tag": "v5.0.0"}), {"owner": "platform"}), t.base("uat")]
	t.fields(rule.deny) == {"metadata.annotations"} with input as t.with_baseline(objs, uat_tag("v4.2.0"))
}

guided(tag, step) := [t.with_annotations(t.with_ref(t.source("uat"), {"tag": tag}), {"fluxtf.io/migration-guide": "docs/migrations/v5.md", "fluxtf.io/migration": step}), t.base("uat")]

test_major_rise_with_guide_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(guided("v5.0.0", "v4 -> v5"), uat_tag("v4.2.0"))
}

# ---- issue 14: the guide names the step it covers.

test_leftover_guide_of_another_step_denied if {
	res := rule.deny with input as t.with_baseline(guided("v5.0.0", "v3 -> v4"), uat_tag("v4.2.0"))
	count(res) == 1
	some x in res
	contains(x.msg, "covers another step (v3 -> v4)")
	contains(x.msg, "from: v4, to: v5")
}

test_guide_without_step_denied if {
	objs := [t.with_annotations(t.with_ref(t.source("uat"), {"tag": "v5.0.0"}), {"fluxtf.io/migration-guide": "docs/migrations/v4.md"}), t.base("uat")]
	res := rule.deny with input as t.with_baseline(objs, uat_tag("v4.2.0"))
	some x in res
	contains(x.msg, "names no step")
}

test_empty_guide_denied if {
	objs := [t.with_annotations(t.with_ref(t.source("uat"), {"tag": "v5.0.0"}), {"fluxtf.io/migration-guide": " "}), t.base("uat")]
	count(rule.deny) == 1 with input as t.with_baseline(objs, uat_tag("v4.2.0"))
}

test_minor_rise_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(uat_tag("v4.3.0"), uat_tag("v4.2.0"))
}

test_major_fall_passes if {
	count(rule.deny) == 0 with input as t.with_baseline(uat_tag("v3.9.0"), uat_tag("v4.2.0"))
}

test_prerelease_of_next_major_denied if {
	count(rule.deny) == 1 with input as t.with_baseline(uat_tag("v5.0.0-rc.1"), uat_tag("4.2.0"))
}

test_branch_to_tag_not_compared if {
	dev := [t.with_ref(t.source("dev"), {"tag": "v5.0.0"}), t.base("dev")]
	count(rule.deny) == 0 with input as t.with_baseline(dev, t.env("dev"))
}

test_without_baseline_finds_nothing if {
	count(rule.deny) == 0 with input as t.input_of(uat_tag("v5.0.0"))
}

test_renamed_source_still_compared if {
	# the environment renamed in the same change: same stack, tier and URL
	g := json.patch(t.with_ref(t.source("uat"), {"tag": "v5.0.0"}), [{"op": "replace", "path": "/metadata/name", "value": "jeppesen-eks-staging"}])
	res := rule.deny with input as t.with_baseline([g, t.base("uat")], uat_tag("v4.2.0"))
	{x.name | some x in res} == {"jeppesen-eks-staging"}
}
