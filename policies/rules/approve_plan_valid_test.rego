package fluxtf.rules.approve_plan_valid_test

import data.fluxtf.rules.approve_plan_valid as rule
import data.fluxtf.test as t

approve(v) := [t.source("uat"), json.patch(t.base("uat"), [{"op": "add", "path": "/spec/approvePlan", "value": v}])]

test_known_values_pass if {
	every v in ["auto", "", "disable", "plan-main-b8e362c206", "plan-v4.2.0-b8e362c2", "plan-feature/x-b8e362c206"] {
		count(rule.warn) == 0 with input as t.input_of(approve(v))
	}
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
	inp := object.union(t.input_of(t.env("prod")), {"context": {"repositoryURL": "github.com/digx/infrastructure"}})
	res := rule.warn with input as inp
	count(res) == 1
	some x in res
	x.field == "spec.sourceRef.name"
	contains(x.msg, "tofu-controller#1878")
}

test_plan_id_on_own_repository_warned_at_approve_plan if {
	inp := object.union(t.input_of(approve("plan-v4.2.0-b8e362c206")), {"context": {"repositoryURL": "https://github.com/digx/infrastructure.git"}})
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
