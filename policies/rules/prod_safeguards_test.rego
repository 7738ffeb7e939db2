package fluxtf.rules.prod_safeguards_test

import data.fluxtf.rules.prod_safeguards as rule
import data.fluxtf.test as t

test_prod_auto_apply_denied if {
	objs := [t.source("prod"), t.with_spec(t.base("prod"), {"approvePlan": "auto"})]
	res := rule.deny with input as t.input_of(objs)
	count(res) == 1
	some x in res
	x.rule == "prod-safeguards"
	x.field == "spec.approvePlan"
	contains(x.msg, "without review")
	t.rules_fired == {"prod-safeguards"} with input as t.input_of(objs)
}

test_prod_destroy_and_force_denied if {
	objs := [t.source("prod"), t.with_spec(t.base("prod"), {"destroyResourcesOnDeletion": true, "force": true})]
	t.fields(rule.deny) == {"spec.destroyResourcesOnDeletion", "spec.force"} with input as t.input_of(objs)
}

test_prod_defaults_and_plan_id_pass if {
	count(rule.deny) == 0 with input as t.input_of(t.env("prod"))
	objs := [t.source("prod"), t.with_spec(t.base("prod"), {"approvePlan": "plan-v4.1.3-b8e362c206", "destroyResourcesOnDeletion": false})]
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_uat_auto_and_destroy_pass if {
	objs := [t.source("uat"), t.with_spec(t.base("uat"), {"approvePlan": "auto", "destroyResourcesOnDeletion": true})]
	count(rule.deny) == 0 with input as t.input_of(objs)
}

test_tier_from_labels if {
	# the tier label says prod even though the name says uat
	tf := t.with_labels(t.with_spec(t.base("uat"), {"approvePlan": "auto"}), {"fluxtf.io/tier": "prod"})
	count(rule.deny) == 1 with input as t.input_of([t.source("uat"), tf])
}

# Another team's Terraform: no fluxtf labels, its own GitRepository; the
# "prod" token of its name does not make it the stack's production.
_foreign_git := {
	"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
	"metadata": {"name": "prod-vpc", "namespace": "team-b"},
	"spec": {"url": "https://github.com/team-b/network.git", "ref": {"branch": "main"}},
}

_foreign_tf := {
	"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform",
	"metadata": {"name": "prod-vpc", "namespace": "team-b"},
	"spec": {
		"path": "./vpc", "approvePlan": "auto", "force": true, "destroyResourcesOnDeletion": true,
		"sourceRef": {"kind": "GitRepository", "name": "prod-vpc"},
	},
}

test_another_teams_prod_named_terraform_passes if {
	count(rule.deny) == 0 with input as t.input_of([_foreign_git, _foreign_tf])
}

test_hand_labelled_prod_tier_denied if {
	tf := json.patch(_foreign_tf, [{"op": "add", "path": "/metadata/labels", "value": {"fluxtf.io/tier": "prod"}}])
	count(rule.deny) == 3 with input as t.input_of([_foreign_git, tf])
}
