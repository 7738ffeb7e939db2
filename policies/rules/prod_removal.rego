# METADATA
# scope: package
# title: Removing a production Terraform says what it leaves running
# description: >-
#   A production Terraform in the baseline that no object under check
#   deploys any more (no baseline twin: the same stack, account id, region
#   and component, whatever the name; a recorded rename keeps its twin) is
#   a component or a whole target removed from prod. Flux deletes the
#   object, and tf-controller, with `destroyResourcesOnDeletion: false` (the
#   production setting), deletes it without destroying anything: the EKS
#   cluster, its node groups and the components' cloud resources keep
#   running and billing, and their Terraform state stays in its backend,
#   which nothing manages any more. The warning names what is left and
#   where its state is; a removed target is one warning, on its base
#   Terraform, listing its components. Without a baseline the rule finds
#   nothing.
# custom:
#   id: prod-removal
#   severity: warn
#   summary: >-
#     a prod Terraform of the baseline that no object deploys any more (no
#     twin) is warned about, naming what it leaves running (with
#     `destroyResourcesOnDeletion: false`) and its state key; a removed target
#     is one warning on its base Terraform listing its components (baseline)
#   baseline: true
#   fix: >-
#     If the resources must go, destroy them first while the object is
#     still there (plan and approve a destroy, or run `terraform destroy`
#     against the state the warning names), then remove it in a later
#     change. If they moved to other names, record the rename in the spec's
#     `moved` list. If they stay on purpose, say who owns them now.
package fluxtf.rules.prod_removal

import data.fluxtf.lib

rule_id := "prod-removal"

# only the jeppesen-eks stack's Terraforms (the wording is the EKS cluster's)
removed := [b | some b in lib.untwinned_baseline; b.kind == "Terraform"; b.x.tier == "prod"; lib.eks_baseline_tf(b)]

# target_of(b): the deployment's target (stack, account id, region), or
# its key when it has no identity.
target_of(b) := concat("|", array.slice(p, 0, 4)) if {
	p := split(lib.identity(b), "|")
	count(p) == 5
} else := b.key

removed_targets := _fleet.base_targets

# fleet_summary: what the rule reads of the whole fleet (lib.fleet_summaries):
# the targets of the removed clusters, and the [target, component] of the
# other removed objects (a list: sorted into a message, repeats kept).
fleet_summary := {
	"base_targets": {target_of(b) | some b in removed; b.x.base},
	"parts": [[target_of(c), c.x.comp] | some c in removed; not c.x.base],
}

_fleet := s if {
	s := lib.fleet_summaries.prod_removal
} else := fleet_summary

# where(b): "account 333333333333, eu-west-1".
where(b) := sprintf("account %s, %s", [p[2], p[3]]) if {
	p := split(lib.identity(b), "|")
	count(p) == 5
} else := sprintf("target %s", [lib.target(b.r.obj)]) if {
	lib.target(b.r.obj)
} else := "its account"

state(b) := sprintf("its state stays at %s", [k]) if {
	k := lib.state_key(b)
} else := "its state stays in its backend"

# left(b): what deleting the object does with what it deployed.
left(b) := "tf-controller destroys what it deployed as the object is deleted (destroyResourcesOnDeletion: true)" if {
	b.spec.destroyResourcesOnDeletion == true
} else := sprintf("with destroyResourcesOnDeletion false tf-controller leaves what it deployed running and %s, managed by nothing", [state(b)])

warn contains lib.result(rule_id, b.r, "", msg) if {
	lib.has_baseline
	some b in removed
	not b.x.base
	not removed_targets[target_of(b)]
	msg := sprintf(
		"Production Terraform %q (component %s, %s) is removed: %s; destroy its resources first (a destroy plan while the object is still there) and remove it in a later change, or record a rename in the spec's moved list",
		[b.name, b.x.comp, where(b), left(b)],
	)
}

warn contains lib.result(rule_id, b.r, "", msg) if {
	lib.has_baseline
	some b in removed
	b.x.base
	t := target_of(b)
	comps := sort([p[1] | some p in _fleet.parts; p[0] == t])
	msg := sprintf(
		"Production Terraform %q (the EKS cluster, %s) is removed%s: %s, the cluster, its node groups and %s included; destroy them first (a destroy plan while the objects are still there) and remove the target in a later change, or record a rename in the spec's moved list",
		[b.name, where(b), with_list(comps), left(b), components(comps)],
	)
}

with_list(comps) := "" if count(comps) == 0

with_list(comps) := sprintf(" with its components %s", [concat(", ", comps)]) if count(comps) > 0

components(comps) := "the components' resources" if count(comps) > 0

components(comps) := "whatever runs on it" if count(comps) == 0
