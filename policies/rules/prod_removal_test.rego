package fluxtf.rules.prod_removal_test

import data.fluxtf.rules.prod_removal as rule
import data.fluxtf.test as t

prod := array.concat(t.env("prod"), [t.efs("prod"), t.karpenter("prod", "1.0.8")])

test_component_removed_warned if {
	now := array.concat(t.env("prod"), [t.efs("prod")])
	res := rule.warn with input as t.with_baseline(now, prod)
	count(res) == 1
	some x in res
	x.rule == "prod-removal"
	x.name == "prod-digx-prod-eu-eu-west-1-karpenter"
	x.path == "f3.yaml"
	x.field == ""
	contains(x.msg, "component karpenter, account 333333333333, eu-west-1")
	contains(x.msg, "leaves what it deployed running")
	contains(x.msg, "s3://digx-terraform-state/prod-digx-prod-eu-eu-west-1-karpenter.tfstate")
}

test_target_removed_is_one_warning if {
	res := rule.warn with input as t.with_baseline([t.source("prod")], prod)
	count(res) == 1
	some x in res
	x.name == "prod-digx-prod-eu-eu-west-1-eks"
	contains(x.msg, "with its components efs, karpenter")
	contains(x.msg, "the EKS cluster, account 333333333333, eu-west-1")
}

renamed(o) := json.patch(o, [{"op": "replace", "path": "/metadata/name", "value": concat("-", [o.metadata.name, "x"])}])

test_renamed_is_not_removed if {
	now := [t.source("prod"), renamed(t.base("prod")), renamed(t.efs("prod")), renamed(t.karpenter("prod", "1.0.8"))]
	count(rule.warn) == 0 with input as t.with_baseline(now, prod)
}

test_other_tiers_and_no_baseline_quiet if {
	count(rule.warn) == 0 with input as t.with_baseline(t.env("uat"), array.concat(t.env("uat"), [t.efs("uat")]))
	count(rule.warn) == 0 with input as t.input_of([t.source("prod")])
	count(rule.warn) == 0 with input as t.with_baseline(prod, prod)
}

test_destroying_object_says_so if {
	old := t.with_spec(t.efs("prod"), {"destroyResourcesOnDeletion": true})
	res := rule.warn with input as t.with_baseline(t.env("prod"), array.concat(t.env("prod"), [old]))
	some x in res
	contains(x.msg, "destroys what it deployed")
}
