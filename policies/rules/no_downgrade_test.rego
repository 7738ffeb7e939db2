package fluxtf.rules.no_downgrade_test

import data.fluxtf.rules.no_downgrade as rule
import data.fluxtf.test as t

uat(tag, karpenter) := [t.with_ref(t.source("uat"), {"tag": tag}), t.base("uat"), t.karpenter("uat", karpenter)]

prod(tag) := [t.with_ref(t.source("prod"), {"tag": tag}), t.base("prod")]

test_tag_downgrade_denied if {
	res := rule.deny with input as t.with_baseline(uat("v4.1.0", "1.1.0"), uat("v4.2.0", "1.1.0"))
	t.fields(res) == {"spec.ref.tag"}
	some x in res
	contains(x.msg, "goes back from module v4.2.0 to v4.1.0")
	contains(x.msg, "source.rollback: {to: v4.1.0")
}

test_uat_and_prod_downgraded_in_one_change if {
	after := array.concat(uat("v4.1.0", "1.1.0"), prod("v4.1.0"))
	before := array.concat(uat("v4.2.0", "1.1.0"), prod("v4.2.0"))
	{x.name | some x in rule.deny} == {"jeppesen-eks-uat", "jeppesen-eks-prod"} with input as t.with_baseline(after, before)
}

test_hotfix_prerelease_is_a_downgrade if {
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.with_baseline(uat("v4.2.0-hotfix.1", "1.1.0"), uat("v4.2.0", "1.1.0"))
}

test_build_metadata_is_no_downgrade if {
	count(rule.deny) == 0 with input as t.with_baseline(uat("v4.2.0", "1.1.0"), uat("v4.2.0", "1.1.0+b.2"))
}

test_component_downgrade_denied if {
	res := rule.deny with input as t.with_baseline(uat("v4.2.0", "1.0.8"), uat("v4.2.0", "1.1.0"))
	count(res) == 1
	some x in res
	x.name == "uat-digx-uat-eu-west-1-karpenter"
	contains(x.msg, `karpenter "1.1.0" to "1.0.8"`)
	contains(x.msg, "components.karpenter.rollback")
}

test_recorded_rollback_passes if {
	g := t.with_annotations(t.with_ref(t.source("uat"), {"tag": "v4.1.0"}), {"fluxtf.io/rollback": "v4.1.0: v4.2.0 breaks IRSA (INC-1234)"})
	k := t.with_annotations(t.karpenter("uat", "1.0.8"), {"fluxtf.io/rollback": "1.0.8: drift on NodePools"})
	count(rule.deny) == 0 with input as t.with_baseline([g, t.base("uat"), k], uat("v4.2.0", "1.1.0"))
}

test_rollback_to_another_version_denied if {
	g := t.with_annotations(t.with_ref(t.source("uat"), {"tag": "v4.0.0"}), {"fluxtf.io/rollback": "v4.1.0: left from last week"})
	count(rule.deny) == 1 with input as t.with_baseline([g, t.base("uat"), t.karpenter("uat", "1.1.0")], uat("v4.2.0", "1.1.0"))
}

test_rollback_without_reason_denied if {
	g := t.with_annotations(t.with_ref(t.source("uat"), {"tag": "v4.1.0"}), {"fluxtf.io/rollback": "v4.1.0: "})
	count(rule.deny) == 1 with input as t.with_baseline([g, t.base("uat"), t.karpenter("uat", "1.1.0")], uat("v4.2.0", "1.1.0"))
}

test_upgrades_and_no_baseline_pass if {
	count(rule.deny) == 0 with input as t.with_baseline(uat("v4.3.0", "1.2.0"), uat("v4.2.0", "1.1.0"))
	count(rule.deny) == 0 with input as t.input_of(uat("v4.1.0", "1.0.8"))
}
