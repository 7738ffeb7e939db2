package fluxtf.rules.promotion_order_test

import data.fluxtf.rules.promotion_order as rule
import data.fluxtf.test as t

tiers(dev, uat, prod) := array.concat(array.concat(dev, uat), prod)

env(tier, ref, k8s) := [t.with_ref(t.source(tier), ref), t.with_var(t.base(tier), "kubernetes_version", k8s)]

test_clean_order_passes if {
	count(rule.deny) == 0 with input as t.input_of(t.all_tiers)
}

test_prod_tag_ahead_of_uat_denied if {
	objs := tiers(t.env("dev"), t.env("uat"), env("prod", {"tag": "v4.3.0"}, "1.29"))
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.field == "spec.ref.tag"
	x.name == "jeppesen-eks-prod"
	contains(x.msg, "v4.3.0")
	contains(x.msg, "uat's v4.2.0")
	t.rules_fired == {"promotion-order"} with input as t.input_of(objs)
}

test_equal_versions_pass if {
	objs := tiers(t.env("dev"), t.env("uat"), env("prod", {"tag": "v4.2.0"}, "1.29"))
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_prod_kubernetes_ahead_denied if {
	objs := tiers(t.env("dev"), t.env("uat"), env("prod", {"tag": "v4.1.3"}, "1.30"))
	res := rule.deny with input as t.input_of(objs)
	t.fields(res) == {"spec.vars[2].value"}
	some x in res
	x.kind == "Terraform"
	contains(x.msg, "Kubernetes 1.30")
}

test_uat_ahead_of_dev_tag_denied if {
	objs := tiers(env("dev", {"tag": "v4.1.0"}, "1.30"), t.env("uat"), t.env("prod"))
	res := rule.deny with input as t.input_of(objs)
	{[x.name, x.field] | some x in res} == {["jeppesen-eks-uat", "spec.ref.tag"]}
}

test_branch_is_newest if {
	objs := tiers(env("dev", {"branch": "alpha"}, "1.30"), env("uat", {"tag": "v9.0.0"}, "1.30"), t.env("prod"))
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_missing_tier_compares_with_next if {
	# No uat in the set: prod is compared with dev.
	objs := array.concat(env("dev", {"tag": "v4.0.0"}, "1.30"), t.env("prod"))
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.input_of(objs)
}

test_single_tier_passes if {
	count(rule.deny) == 0 with input as t.input_of(env("prod", {"tag": "v9.9.9"}, "1.31"))
}

test_other_stack_not_compared if {
	prod := [
		t.with_labels(t.with_ref(t.source("prod"), {"tag": "v9.0.0"}), {"fluxtf.io/stack": "ocm-client"}),
		t.with_labels(t.base("prod"), {"fluxtf.io/stack": "ocm-client"}),
	]
	count(rule.deny) == 0 with input as t.input_of(tiers(t.env("dev"), t.env("uat"), prod))
}

test_tier_from_name_fallback if {
	g := json.patch(t.source("prod"), [
		{"op": "replace", "path": "/metadata/labels", "value": {}},
		{"op": "replace", "path": "/spec/ref", "value": {"tag": "v5.0.0"}},
	])
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.input_of(tiers(t.env("dev"), t.env("uat"), [g, t.base("prod")]))
}

# ---- with a baseline

baseline_all := t.all_tiers

test_baseline_uat_and_prod_raised_together_denied if {
	# uat v4.2.0 -> v4.3.0 and prod v4.1.3 -> v4.3.0 in one change.
	now := tiers(t.env("dev"), env("uat", {"tag": "v4.3.0"}, "1.29"), env("prod", {"tag": "v4.3.0"}, "1.29"))
	res := rule.deny with input as t.with_baseline(now, baseline_all)
	{[x.name, x.field] | some x in res} == {["jeppesen-eks-prod", "spec.ref.tag"]}
	some x in res
	contains(x.msg, "has not run yet")
	count(rule.deny) == 0 with input as t.input_of(now)
}

test_baseline_promotion_of_what_uat_ran_passes if {
	now := tiers(t.env("dev"), t.env("uat"), env("prod", {"tag": "v4.2.0"}, "1.29"))
	count(rule.deny) == 0 with input as t.with_baseline(now, baseline_all)
}

test_baseline_unchanged_prod_not_rechecked if {
	# prod keeps what it had; uat is raised: nothing to say about prod.
	now := tiers(t.env("dev"), env("uat", {"tag": "v4.4.0"}, "1.29"), t.env("prod"))
	count(rule.deny) == 0 with input as t.with_baseline(now, baseline_all)
}

test_baseline_kubernetes_raised_together_denied if {
	now := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0"}, "1.30"), env("prod", {"tag": "v4.1.3"}, "1.30"))
	res := rule.deny with input as t.with_baseline(now, baseline_all)
	{[x.name, x.field] | some x in res} == {["prod-digx-prod-eu-eu-west-1-eks", "spec.vars[2].value"]}
}

test_baseline_and_current_finding_not_doubled if {
	now := tiers(t.env("dev"), t.env("uat"), env("prod", {"tag": "v4.5.0"}, "1.29"))
	res := rule.deny with input as t.with_baseline(now, baseline_all)
	count(res) == 1
}

# The ocm-client stack's tags promote dev -> uat -> prod too, compared with
# its own tiers only: the EKS stack's newer uat tag does not count.
test_ocm_client_prod_ahead_of_uat_denied if {
	prod := t.with_ref(t.ocm_source("prod"), {"tag": "v4.3.0"})
	objs := array.concat(t.ocm_env("uat"), [prod, t.ocm_app("prod")])
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.name == "ocm-client-ocm-prod"
	contains(x.msg, "runs module v4.3.0, newer than uat's v4.2.0")
	eks_uat := t.with_ref(t.source("uat"), {"tag": "v4.4.0"})
	count(rule.deny) == 1 with input as t.input_of(array.concat(objs, [eks_uat, t.base("uat")]))
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.ocm_env("uat"), t.ocm_env("prod")))
}

# renamed(o): o under another name, as a renamed target renders it.
renamed(o) := json.patch(o, [{"op": "replace", "path": "/metadata/name", "value": concat("-", [o.metadata.name, "main"])}])

test_baseline_renamed_unchanged_prod_not_rechecked if {
	# prod was ahead of uat in the baseline (1.29 over 1.28); uat catches
	# up and prod, renamed, keeps 1.29: its twin (same cluster) had 1.29,
	# so prod did not change and is not held to uat's baseline.
	before := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0"}, "1.28"), t.env("prod"))
	now := tiers(t.env("dev"), t.env("uat"), [t.source("prod"), renamed(t.base("prod"))])
	count(rule.deny) == 0 with input as t.with_baseline(now, before)
}

test_baseline_renamed_and_raised_denied if {
	now := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0"}, "1.30"), [t.source("prod"), renamed(t.with_var(t.base("prod"), "kubernetes_version", "1.30"))])
	res := rule.deny with input as t.with_baseline(now, baseline_all)
	{[x.name, x.field] | some x in res} == {["prod-digx-prod-eu-eu-west-1-eks-main", "spec.vars[2].value"]}
}

# ---- issue 14: Semantic Versioning 2.0 precedence, exactly a tag uat ran.

test_prerelease_order_is_semver if {
	# rc.2 is newer than rc.1: prod on rc.2 while uat runs rc.1 is ahead.
	objs := tiers(t.env("dev"), env("uat", {"tag": "v4.3.0-rc.1"}, "1.29"), env("prod", {"tag": "v4.3.0-rc.2"}, "1.29"))
	res := rule.deny with input as t.input_of(objs)
	t.fields(res) == {"spec.ref.tag"}
	some x in res
	contains(x.msg, "newer than uat's v4.3.0-rc.1")
}

test_hotfix_prerelease_is_below_its_release if {
	# v4.2.0-hotfix.1 sorts below v4.2.0, so uat on v4.2.0 is ahead of prod.
	objs := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0-hotfix.1"}, "1.29"), env("prod", {"tag": "v4.2.0"}, "1.29"))
	t.fields(rule.deny) == {"spec.ref.tag"} with input as t.input_of(objs)
}

test_prod_moves_to_a_tag_uat_never_ran if {
	before := tiers(t.env("dev"), env("uat", {"tag": "v4.1.3"}, "1.29"), env("prod", {"tag": "v4.1.3"}, "1.29"))
	after := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0"}, "1.29"), env("prod", {"tag": "v4.1.9"}, "1.29"))
	res := rule.deny with input as t.with_baseline(after, before)
	{[x.name, x.field] | some x in res} == {["jeppesen-eks-prod", "spec.ref.tag"]}
	some x in res
	contains(x.msg, "v4.1.9, a tag uat has never run (uat runs or ran v4.1.3, v4.2.0)")
}

test_prod_moves_to_a_tag_uat_ran_before if {
	before := tiers(t.env("dev"), env("uat", {"tag": "v4.1.3"}, "1.29"), env("prod", {"tag": "v4.1.0"}, "1.29"))
	after := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0"}, "1.29"), env("prod", {"tag": "v4.1.3"}, "1.29"))
	count(rule.deny) == 0 with input as t.with_baseline(after, before)
}

test_unchanged_prod_tag_is_not_judged_again if {
	before := tiers(t.env("dev"), env("uat", {"tag": "v4.1.9"}, "1.29"), env("prod", {"tag": "v4.1.3"}, "1.29"))
	after := tiers(t.env("dev"), env("uat", {"tag": "v4.2.0"}, "1.29"), env("prod", {"tag": "v4.1.3"}, "1.29"))
	count(rule.deny) == 0 with input as t.with_baseline(after, before)
}
