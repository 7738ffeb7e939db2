package fluxtf.rules.approve_plan_valid_test

import data.fluxtf.rules.approve_plan_valid as rule
import data.fluxtf.test as t

approve(v) := [t.source("uat"), json.patch(t.base("uat"), [{"op": "add", "path": "/spec/approvePlan", "value": v}])]

test_known_values_pass if {
	every v in ["auto", "", "disable", "plan-v4.2.0-b8e362c206", "plan-v4.2.0-b8e362c2"] {
		count(rule.warn) == 0 with input as t.input_of(approve(v))
	}
}

# on_branch(objs, b): objs with their GitRepository (the first) following branch b.
on_branch(objs, b) := array.concat([t.with_ref(objs[0], {"branch": b})], array.slice(objs, 1, count(objs)))

test_plan_of_source_branch_passes if {
	every v in ["plan-main-b8e362c206", "plan-main-b8e362c2"] {
		count(rule.warn) == 0 with input as t.input_of(on_branch(approve(v), "main"))
	}
	count(rule.warn) == 0 with input as t.input_of(on_branch(approve("plan-feature/x-b8e362c206"), "feature/x"))
}

test_plan_of_other_revision_warned if {
	every v in ["plan-main-b8e362c206", "plan-v4.1.3-b8e362c206", "plan-feature/x-b8e362c206"] {
		res := rule.warn with input as t.input_of(approve(v))
		count(res) == 1
		some x in res
		x.field == "spec.approvePlan"
		contains(x.msg, "tofu-controller#1129")
		contains(x.msg, "is at v4.2.0")
	}
	count(rule.warn) == 1 with input as t.input_of(on_branch(approve("plan-v4.2.0-b8e362c206"), "main"))
}

test_plan_of_refs_tags_name_passes if {
	objs := approve("plan-refs/tags/v4.2.0-b8e362c206")
	named := array.concat([t.with_ref(objs[0], {"name": "refs/tags/v4.2.0"})], [objs[1]])
	count(rule.warn) == 0 with input as t.input_of(named)
}

test_unknown_value_warned if {
	res := rule.warn with input as t.input_of(approve("manual"))
	count(res) == 1
	some x in res
	x.rule == "approve-plan-valid"
	x.field == "spec.approvePlan"
	contains(x.msg, "\"manual\"")
	t.rules_fired == {"approve-plan-valid"} with input as t.input_of(approve("manual"))
}

test_other_bad_values_warned if {
	every v in ["Auto", "plan-main", "plan-main-XYZ", true] {
		count(rule.warn) == 1 with input as t.input_of(approve(v))
	}
}

test_prod_manual_approval_from_other_repository_passes if {
	count(rule.warn) == 0 with input as t.input_of(t.env("prod"))
}

test_manual_approval_on_own_repository_warned if {
	inp := object.union(t.input_of(on_branch(t.env("prod"), "main")), {"context": {"repositoryURL": "github.com/digx/infrastructure"}})
	res := rule.warn with input as inp
	count(res) == 1
	some x in res
	x.field == "spec.sourceRef.name"
	contains(x.msg, "tofu-controller#1878")
}

# A source pinned to a tag or a commit does not move when the plan id is
# committed: no loop, no warning.
test_manual_approval_on_own_repository_pinned_passes if {
	own := {"context": {"repositoryURL": "github.com/digx/infrastructure"}}
	count(rule.warn) == 0 with input as object.union(t.input_of(t.env("prod")), own)
	objs := t.env("prod")
	every ref in [{"commit": "b8e362c206e3d0cbb7ed22ced771a0056455a2fb"}, {"name": "refs/tags/v4.1.3"}, {"tag": "v4.1.3", "branch": "main"}] {
		pinned := array.concat([t.with_ref(objs[0], ref)], [objs[1]])
		count(rule.warn) == 0 with input as object.union(t.input_of(pinned), own)
	}
	every ref in [{"semver": ">=4.0.0"}, {"name": "refs/heads/main", "tag": "v4.1.3"}, {}] {
		moving := array.concat([t.with_ref(objs[0], ref)], [objs[1]])
		count(rule.warn) == 1 with input as object.union(t.input_of(moving), own)
	}
}

test_plan_id_on_own_repository_warned_at_approve_plan if {
	inp := object.union(t.input_of(on_branch(approve("plan-main-b8e362c206"), "main")), {"context": {"repositoryURL": "https://github.com/digx/infrastructure.git"}})
	t.fields(rule.warn) == {"spec.approvePlan"} with input as inp
}

test_auto_on_own_repository_passes if {
	inp := object.union(t.input_of(t.env("uat")), {"context": {"repositoryURL": "github.com/digx/infrastructure"}})
	count(rule.warn) == 0 with input as inp
}

test_flux_system_source_warned if {
	g := {
		"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository",
		"metadata": {"name": "flux-system", "namespace": "flux-system"},
		"spec": {"interval": "1m0s", "ref": {"branch": "main"}, "url": "ssh://git@github.com/digx/fleet.git"},
	}
	tf := {
		"apiVersion": "infra.contrib.fluxcd.io/v1alpha2", "kind": "Terraform",
		"metadata": {"name": "dns", "namespace": "flux-system"},
		"spec": {"approvePlan": "", "interval": "10m", "path": "./terraform/dns", "sourceRef": {"kind": "GitRepository", "name": "flux-system"}},
	}
	res := rule.warn with input as [{"path": "a.yaml", "contents": [g, tf]}]
	t.fields(res) == {"spec.approvePlan"}
	auto := json.patch(tf, [{"op": "replace", "path": "/spec/approvePlan", "value": "auto"}])
	count(rule.warn) == 0 with input as [{"path": "a.yaml", "contents": [g, auto]}]
}
