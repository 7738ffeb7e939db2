package fluxtf.rules.live_unapplied_test

import data.fluxtf.rules.live_unapplied as rule
import data.fluxtf.test as t

prod_at(v) := [t.source("prod"), t.with_var(t.base("prod"), "kubernetes_version", v)]

# applied(v, gen): the live prod base at Kubernetes v, generation gen
# applied, as tf-controller leaves it after an apply with outputs.
applied(v, gen) := object.union(t.with_var(t.base("prod"), "kubernetes_version", v), {
	"metadata": {"generation": gen},
	"status": {
		"observedGeneration": gen,
		"conditions": [{"type": "Ready", "status": "True", "reason": "TerraformOutputsWritten"}],
		"plan": {"lastApplied": "plan-v4.1.3-abc1234"},
		"lastAppliedRevision": "v4.1.3@sha1:abc1234",
		"lastAttemptedRevision": "v4.1.3@sha1:abc1234",
	},
})

# pending(v, gen): the same after Flux applied generation gen, planned and
# waiting for approval (prod approves by hand).
pending(v, gen) := object.union(applied(v, gen), {"status": {
	"conditions": [{"type": "Ready", "status": "Unknown", "reason": "TerraformPlannedWithChanges"}],
	"plan": {"pending": "plan-v4.1.3-abc1234"},
}})

# source(rev): the live GitRepository of prod serving rev
source(rev) := object.union(t.source("prod"), {"metadata": {"generation": 1}, "status": {"artifact": {"revision": rev}}})

with_live(objs, items) := object.union(t.input_of(objs), {"live": {"file": "live.yaml", "items": items}})

test_two_prs_pending_plan_denied if {
	# PR 1 raised 1.33 -> 1.34, Flux applied it, the plan waits; PR 2 raises 1.35
	res := rule.deny with input as with_live(prod_at("1.35"), [pending("1.34", 7), source("v4.1.3@sha1:abc1234")])
	count(res) == 1
	some x in res
	x.rule == "live-unapplied"
	x.field == "spec.vars[2].value"
	startswith(x.msg, "Kubernetes 1.34 -> 1.35, but the live Terraform flux-system/prod-digx-prod-eu-eu-west-1-eks has not applied its own spec (generation 7, Kubernetes 1.34) yet: status.plan.pending is \"plan-v4.1.3-abc1234\": its plan waits for approval; its Ready condition is Unknown (reason TerraformPlannedWithChanges)")
	contains(x.msg, "approve its pending plan \"plan-v4.1.3-abc1234\" (fluxtf approve)")
}

test_not_reconciled_yet_denied if {
	behind := object.union(applied("1.34", 7), {"metadata": {"generation": 8}})
	some x in rule.deny with input as with_live(prod_at("1.35"), [behind])
	contains(x.msg, "status.observedGeneration is 7, behind metadata.generation 8")
	contains(x.msg, "wait until tf-controller has applied it")
}

test_never_reconciled_denied if {
	# a live object without status: the CRD's default observedGeneration is -1
	fresh := object.remove(applied("1.34", 1), ["status"])
	some x in rule.deny with input as with_live(prod_at("1.35"), [fresh])
	contains(x.msg, "status.observedGeneration is -1, behind metadata.generation 1")
	contains(x.msg, "it has no Ready condition")
}

test_failed_apply_names_revisions if {
	failed := object.union(applied("1.34", 7), {"status": {
		"conditions": [{"type": "Ready", "status": "False", "reason": "TFExecApplyFailed"}],
		"lastAttemptedRevision": "v4.1.3@sha1:def5678",
	}})
	some x in rule.deny with input as with_live(prod_at("1.35"), [failed])
	contains(x.msg, "its Ready condition is False (reason TFExecApplyFailed)")
	contains(x.msg, "status.lastAttemptedRevision \"v4.1.3@sha1:def5678\" is not status.lastAppliedRevision \"v4.1.3@sha1:abc1234\"")
}

test_new_source_not_planned_denied if {
	some x in rule.deny with input as with_live(prod_at("1.35"), [applied("1.34", 7), source("v4.2.0@sha1:9999999")])
	contains(x.msg, "its GitRepository flux-system/jeppesen-eks-prod serves \"v4.2.0@sha1:9999999\", status.lastAttemptedRevision is \"v4.1.3@sha1:abc1234\"")
}

test_suspended_denied if {
	some x in rule.deny with input as with_live(prod_at("1.35"), [object.union(applied("1.34", 7), {"spec": {"suspend": true}})])
	contains(x.msg, "spec.suspend is true")
}

test_applied_one_step_passes if {
	count(rule.deny) == 0 with input as with_live(prod_at("1.35"), [applied("1.34", 7), source("v4.1.3@sha1:abc1234")])
	# planned without changes: Ready True, nothing applied at that revision
	nochange := object.union(applied("1.34", 7), {"status": {
		"conditions": [{"type": "Ready", "status": "True", "reason": "TerraformPlannedNoChanges"}],
		"lastAttemptedRevision": "v4.1.3@sha1:def5678",
	}})
	count(rule.deny) == 0 with input as with_live(prod_at("1.35"), [nochange, source("v4.1.3@sha1:def5678")])
}

test_going_back_passes_while_pending if {
	# withdrawing the unapplied raise (1.34 back to 1.33) is not a raise
	count(rule.deny) == 0 with input as with_live(prod_at("1.33"), [pending("1.34", 7)])
}

test_unchanged_version_passes_while_pending if {
	# a change that leaves Kubernetes as the live spec has it adds nothing to skip
	count(rule.deny) == 0 with input as with_live(prod_at("1.34"), [pending("1.34", 7)])
}

test_skip_from_applied_denied if {
	# Flux has not applied the merged 1.34 yet: the cluster runs 1.33
	res := rule.deny with input as with_live(prod_at("1.35"), [applied("1.33", 6)])
	count(res) == 1
	some x in res
	x.msg == "the live Terraform flux-system/prod-digx-prod-eu-eu-west-1-eks applied Kubernetes 1.33 (generation 6); 1.35 skips 1.34, and EKS upgrades one minor at a time: the change that raised it is merged but not applied yet (or never reached the cluster); set kubernetes_version to \"1.34\" and let it apply first"
}

test_downgrade_from_applied_denied if {
	some x in rule.deny with input as with_live(prod_at("1.33"), [applied("1.34", 7)])
	contains(x.msg, "1.33 is a downgrade")
}

test_without_live_finds_nothing if {
	count(rule.deny) == 0 with input as t.input_of(prod_at("1.36"))
}

test_other_object_is_no_twin if {
	# the live file names another namespace: not the object Flux applies onto
	elsewhere := object.union(pending("1.30", 7), {"metadata": {"namespace": "other"}})
	count(rule.deny) == 0 with input as with_live(prod_at("1.35"), [elsewhere])
}

test_unreadable_versions_skipped if {
	count(rule.deny) == 0 with input as with_live(prod_at("latest"), [pending("1.34", 7)])
	count(rule.deny) == 0 with input as with_live(prod_at("1.36"), [t.without_var(pending("1.34", 7), "kubernetes_version")])
}
