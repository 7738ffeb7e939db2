# METADATA
# scope: package
# title: A Kubernetes change waits until the live cluster applied the last one
# description: >-
#   The git baseline says what was merged, not what tf-controller applied:
#   two pull requests that each raise Kubernetes one minor, merged before
#   the first is applied (a prod plan waiting for approval), each pass
#   k8s-sequential-upgrade, and together ask EKS to skip a minor. With
#   `--live FILE` (the output of `kubectl get terraforms,gitrepositories -A
#   -o yaml`) the rule matches each base Terraform (component `eks` or
#   `base`, or an unlabelled Terraform with a `kubernetes_version` var) with
#   the live Terraform of the same namespace and name, the object Flux
#   applies it onto. The live object has applied its spec when, as
#   tf-controller records it (api/v1alpha2/terraform_types.go, and its
#   own readiness test for dependencies in controllers/tf_controller.go):
#   status.observedGeneration equals metadata.generation, the Ready
#   condition is True (reason TerraformAppliedSucceed,
#   TerraformOutputsWritten, TerraformPlannedNoChanges or NoDrift),
#   status.plan.pending is empty, spec.suspend is not true, and its source
#   GitRepository's status.artifact.revision is the Terraform's
#   status.lastAttemptedRevision. A raise of `kubernetes_version` above the
#   live spec's is denied while the live object has not applied its spec
#   (the cluster may still run an older minor; going back below it, to
#   withdraw the unapplied raise, is left to k8s-sequential-upgrade), and,
#   once it has, a value
#   more than one minor above the live spec's (or below it) is denied as
#   the skip or downgrade it is for the cluster. Without `--live`, and for
#   objects the live file does not have, it finds nothing. Only the stack's
#   objects are checked (see "the stack's objects" in docs/policies.md).
# custom:
#   id: live-unapplied
#   severity: deny
#   summary: >-
#     with `--live FILE`: a base's `kubernetes_version` rises only once the
#     live Terraform applied its spec, and by at most one minor from it
#   fix: >-
#     Let the live Terraform apply its spec first: approve its pending plan
#     (status.plan.pending) or wait until tf-controller has reconciled it
#     (Ready True, status.observedGeneration equal to metadata.generation);
#     take `kubectl get terraforms,gitrepositories -A -o yaml` again, then
#     raise `kubernetes_version` one minor from what it applied.
#   specFix: >-
#     Let the cluster apply the Kubernetes version it has first (approve the
#     pending plan with `fluxtf approve`, or wait for tf-controller), then
#     set `cluster.kubernetesVersion` one minor above what the live
#     Terraform applied, in a later change.
package fluxtf.rules.live_unapplied

import data.fluxtf.lib

rule_id := "live-unapplied"

# live Terraforms and GitRepositories by namespace/name
_live_tf := {sprintf("%s/%s", [o.metadata.namespace, o.metadata.name]): o |
	some o in input.live.items
	o.kind == "Terraform"
}

_live_git := {sprintf("%s/%s", [o.metadata.namespace, o.metadata.name]): o |
	some o in input.live.items
	o.kind == "GitRepository"
}

# change: each base Terraform whose live twin has a readable Kubernetes
# minor different from the desired one
change := [{"f": f, "v": v, "o": o, "new": new, "cur": cur, "why": why} |
	input.live
	some f in lib.eks_base_facts
	o := _live_tf[sprintf("%s/%s", [f.ns, f.name])]
	v := lib.fvar(f, "kubernetes_version")
	new := lib.k8s_minor(v.value)
	cur := lib.k8s_minor(_live_var(o, "kubernetes_version"))
	new != cur
	why := unapplied(o)
]

_live_var(o, n) := e.value if {
	some e in o.spec.vars
	e.name == n
}

_ready(o) := c if {
	some c in o.status.conditions
	c.type == "Ready"
}

_observed(o) := object.get(o, ["status", "observedGeneration"], -1)

_pending(o) := p if {
	p := o.status.plan.pending
	p != ""
}

# unapplied(o): why the live Terraform o has not applied its spec, in the
# order a user acts on them; empty when it has.
unapplied(o) := [w | some i in numbers.range(0, 5); w := _why(i, o)]

_why(0, o) := "spec.suspend is true: tf-controller does not reconcile it" if o.spec.suspend == true

_why(1, o) := sprintf("status.observedGeneration is %d, behind metadata.generation %d: tf-controller has not reconciled this spec yet", [_observed(o), o.metadata.generation]) if {
	_observed(o) < o.metadata.generation
}

_why(2, o) := sprintf("status.plan.pending is %q: its plan waits for approval", [_pending(o)])

_why(3, o) := sprintf("its Ready condition is %s (reason %s)", [c.status, object.get(c, "reason", "none")]) if {
	c := _ready(o)
	c.status != "True"
} else := "it has no Ready condition: tf-controller has not reconciled it" if {
	not _ready(o)
}

_why(4, o) := sprintf("its GitRepository %s serves %q, status.lastAttemptedRevision is %q: the new source is not planned yet", [k, art, att]) if {
	ref := object.get(o.spec, "sourceRef", {})
	object.get(ref, "kind", "GitRepository") == "GitRepository"
	k := sprintf("%s/%s", [object.get(ref, "namespace", o.metadata.namespace), ref.name])
	art := _live_git[k].status.artifact.revision
	att := object.get(o.status, "lastAttemptedRevision", "")
	art != att
}

_why(5, o) := sprintf("status.lastAttemptedRevision %q is not status.lastAppliedRevision %q", [att, app]) if {
	not _ready(o).status == "True"
	att := o.status.lastAttemptedRevision
	app := object.get(o.status, "lastAppliedRevision", "")
	att != app
}

# what to do first
_first(o) := sprintf("approve its pending plan %q (fluxtf approve) and let tf-controller apply it", [_pending(o)])

_first(o) := "wait until tf-controller has applied it (Ready True at metadata.generation)" if not _pending(o)

deny contains lib.result(rule_id, c.f.r, lib.var_field(c.v.index), msg) if {
	some c in change
	count(c.why) > 0
	c.new > c.cur # going back to the applied minor is how to withdraw an unapplied raise
	msg := sprintf(
		"Kubernetes 1.%d -> 1.%d, but the live Terraform %s/%s has not applied its own spec (generation %d, Kubernetes 1.%d) yet: %s. The cluster may still run an older minor, so this change could skip one: %s, take kubectl get terraforms,gitrepositories -A -o yaml again, and change kubernetes_version once the live object shows its spec applied",
		[c.cur, c.new, c.o.metadata.namespace, c.o.metadata.name, c.o.metadata.generation, c.cur, concat("; ", c.why), _first(c.o)],
	)
}

deny contains lib.result(rule_id, c.f.r, lib.var_field(c.v.index), msg) if {
	some c in change
	count(c.why) == 0
	c.new > c.cur + 1
	skipped := concat(" and ", [sprintf("1.%d", [m]) | some m in numbers.range(c.cur + 1, c.new - 1)])
	msg := sprintf(
		"the live Terraform %s/%s applied Kubernetes 1.%d (generation %d); 1.%d skips %s, and EKS upgrades one minor at a time: the change that raised it is merged but not applied yet (or never reached the cluster); set kubernetes_version to \"1.%d\" and let it apply first",
		[c.o.metadata.namespace, c.o.metadata.name, c.cur, c.o.metadata.generation, c.new, skipped, c.cur + 1],
	)
}

deny contains lib.result(rule_id, c.f.r, lib.var_field(c.v.index), msg) if {
	some c in change
	count(c.why) == 0
	c.new < c.cur
	msg := sprintf(
		"the live Terraform %s/%s applied Kubernetes 1.%d (generation %d); 1.%d is a downgrade, which EKS cannot do: keep kubernetes_version at \"1.%d\" (or raise it to \"1.%d\")",
		[c.o.metadata.namespace, c.o.metadata.name, c.cur, c.o.metadata.generation, c.new, c.cur, c.cur + 1],
	)
}
