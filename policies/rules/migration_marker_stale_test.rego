package fluxtf.rules.migration_marker_stale_test

import data.fluxtf.rules.migration_marker_stale as rule
import data.fluxtf.test as t

karpenter(v, step) := array.concat(t.env("uat"), [t.with_annotations(t.karpenter("uat", v), {"fluxtf.io/migration": step})])

plain(v) := array.concat(t.env("uat"), [t.karpenter("uat", v)])

source(tag, step) := [t.with_annotations(t.with_ref(t.source("uat"), {"tag": tag}), {"fluxtf.io/migration-guide": "docs/migrations/v5.md", "fluxtf.io/migration": step}), t.base("uat")]

test_marker_of_a_done_step_warned if {
	res := rule.warn with input as t.with_baseline(karpenter("1.1.0", "0.37 -> 1.0"), plain("1.0.8"))
	count(res) == 1
	some x in res
	x.name == "uat-digx-uat-eu-west-1-karpenter"
	contains(x.msg, `marker "0.37 -> 1.0"`)
}

test_marker_of_this_change_passes if {
	count(rule.warn) == 0 with input as t.with_baseline(karpenter("1.0.8", "0.37 -> 1.0"), plain("0.37.2"))
}

test_guide_of_a_done_step_warned if {
	res := rule.warn with input as t.with_baseline(source("v5.1.0", "v4 -> v5"), source("v5.0.0", "v4 -> v5"))
	count(res) == 1
	some x in res
	contains(x.msg, "step v4 -> v5")
}

test_guide_of_this_change_passes if {
	count(rule.warn) == 0 with input as t.with_baseline(source("v5.0.0", "v4 -> v5"), [t.with_ref(t.source("uat"), {"tag": "v4.2.0"}), t.base("uat")])
	count(rule.warn) == 0 with input as t.input_of(source("v5.1.0", "v4 -> v5"))
}

# uat's marker of a step prod has not taken yet: fluxtf promote carries it
# to prod, so it is not stale; once prod runs the step's end, it is
test_marker_awaiting_the_next_tier_passes if {
	cur := array.concat(karpenter("1.1.0", "0.37 -> 1.0"), array.concat(t.env("prod"), [t.karpenter("prod", "0.37.2")]))
	base := array.concat(plain("1.0.8"), array.concat(t.env("prod"), [t.karpenter("prod", "0.37.2")]))
	count(rule.warn) == 0 with input as t.with_baseline(cur, base)

	done := array.concat(karpenter("1.1.0", "0.37 -> 1.0"), array.concat(t.env("prod"), [t.karpenter("prod", "1.0.8")]))
	{x.name | some x in rule.warn} == {"uat-digx-uat-eu-west-1-karpenter"} with input as t.with_baseline(done, done)
}

prod_source(tag) := [t.with_ref(t.source("prod"), {"tag": tag}), t.base("prod")]

test_guide_awaiting_the_next_tier_passes if {
	count(rule.warn) == 0 with input as t.with_baseline(array.concat(source("v5.1.0", "v4 -> v5"), prod_source("v4.2.0")), array.concat(source("v5.0.0", "v4 -> v5"), prod_source("v4.2.0")))
	count(rule.warn) == 1 with input as t.with_baseline(array.concat(source("v5.1.0", "v4 -> v5"), prod_source("v5.0.0")), array.concat(source("v5.0.0", "v4 -> v5"), prod_source("v5.0.0")))
}
