package fluxtf.rules.release_order_test

import data.fluxtf.rules.release_order as rule
import data.fluxtf.test as t

istio(tier, v) := t.component(tier, "istio", [{"name": "istio_version", "value": v}])

with_comps(dev, uat, prod) := array.concat(t.all_tiers, array.concat(array.concat(dev, uat), prod))

test_same_release_passes if {
	objs := with_comps([t.karpenter("dev", "1.1.0")], [t.karpenter("uat", "1.1.0")], [t.karpenter("prod", "1.1.0")])
	count(rule.deny) == 0 with input as t.input_of(objs)
	count(rule.deny) == 0 with input as t.with_baseline(objs, objs)
}

test_prod_component_version_uat_never_ran if {
	objs := with_comps([t.karpenter("dev", "1.2.0")], [t.karpenter("uat", "1.1.0")], [t.karpenter("prod", "1.2.0")])
	res := rule.deny with input as t.input_of(objs)
	{[x.name, x.field] | some x in res} == {["prod-digx-prod-eu-eu-west-1-karpenter", "spec.vars[2].value"]}
	some x in res
	contains(x.msg, `runs karpenter "1.2.0", which uat has never run (uat runs or ran 1.1.0); take karpenter "1.2.0" in uat first`)
}

test_prod_only_component_denied if {
	objs := with_comps([], [], [istio("prod", "1.99.0")])
	res := rule.deny with input as t.input_of(objs)
	{x.name | some x in res} == {"prod-digx-prod-eu-eu-west-1-istio"}
	some x in res
	contains(x.msg, "runs istio, which uat has never run; enable istio in uat first")
}

test_uat_before_dev_denied if {
	objs := with_comps([t.karpenter("dev", "1.1.0")], [t.karpenter("uat", "1.2.0")], [])
	{x.name | some x in rule.deny} == {"uat-digx-uat-eu-west-1-karpenter"} with input as t.input_of(objs)
}

test_lagging_version_passes_unless_it_changes if {
	objs := with_comps([t.karpenter("dev", "1.1.0")], [t.karpenter("uat", "1.1.0")], [t.karpenter("prod", "1.0.8")])
	count(rule.deny) == 0 with input as t.input_of(objs)
	count(rule.deny) == 0 with input as t.with_baseline(objs, objs)

	# prod moves to 1.0.9, which uat never ran (it went from 1.0.8 to 1.1.0)
	before := with_comps([t.karpenter("dev", "1.1.0")], [t.karpenter("uat", "1.0.8")], [t.karpenter("prod", "1.0.8")])
	after := with_comps([t.karpenter("dev", "1.1.0")], [t.karpenter("uat", "1.1.0")], [t.karpenter("prod", "1.0.9")])
	{x.name | some x in rule.deny} == {"prod-digx-prod-eu-eu-west-1-karpenter"} with input as t.with_baseline(after, before)
}

test_version_uat_ran_before_passes if {
	before := with_comps([t.karpenter("dev", "1.2.0")], [t.karpenter("uat", "1.1.0")], [t.karpenter("prod", "1.0.8")])
	after := with_comps([t.karpenter("dev", "1.2.0")], [t.karpenter("uat", "1.2.0")], [t.karpenter("prod", "1.1.0")])
	count(rule.deny) == 0 with input as t.with_baseline(after, before)
}

test_component_removed_from_uat_first_passes if {
	before := with_comps([], [istio("uat", "1.24.2")], [istio("prod", "1.24.2")])
	after := with_comps([], [], [istio("prod", "1.24.2")])
	count(rule.deny) == 0 with input as t.with_baseline(after, before)
}

test_os_change_first_in_prod_denied if {
	before := t.all_tiers
	after := array.concat(array.concat(t.env("dev"), t.env("uat")), [t.source("prod"), t.with_var(t.base("prod"), "os", "AL2023")])
	res := rule.deny with input as t.with_baseline(after, before)
	{x.name | some x in res} == {t.base_name("prod")}
	some x in res
	contains(x.msg, `moves its nodes to "AL2023", which uat has not run`)
}

test_os_uat_runs_passes if {
	before := array.concat(array.concat(t.env("dev"), t.env("uat")), [t.source("prod"), t.with_var(t.base("prod"), "os", "AL2")])
	count(rule.deny) == 0 with input as t.with_baseline(t.all_tiers, before)
}

test_single_tier_passes if {
	count(rule.deny) == 0 with input as t.input_of(array.concat(t.env("prod"), [istio("prod", "1.99.0")]))
}

velero(tier) := t.component(tier, "velero", [])

# uat removed velero in an earlier change (the baseline has no uat velero
# either); prod still runs the velero it ran: not first seen in prod.
test_component_kept_in_prod_after_uat_dropped_it_passes if {
	objs := with_comps([velero("dev")], [], [velero("prod")])
	count(rule.deny) == 0 with input as t.with_baseline(objs, objs)
}

# but one prod did not run in the baseline, which uat never ran, is first
# seen in prod.
test_component_new_in_prod_without_uat_denied if {
	objs := with_comps([velero("dev")], [], [velero("prod")])
	{x.name | some x in rule.deny} == {"prod-digx-prod-eu-eu-west-1-velero"} with input as t.with_baseline(objs, with_comps([velero("dev")], [], []))
}
