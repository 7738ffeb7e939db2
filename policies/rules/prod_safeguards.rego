# METADATA
# scope: package
# title: Production never applies or destroys without a person
# description: >-
#   Production plans wait for a person: the prod tier defaults to manual
#   approval, and an approval is a plan id recorded in Git (`fluxtf
#   approve`). A production Terraform (tier `prod`, from the contract
#   labels) that sets `approvePlan: auto` applies every plan unreviewed, one
#   with `force: true` applies whatever the approval says, and one with
#   `destroyResourcesOnDeletion: true` destroys the cluster or component
#   when the object is deleted, which a rename, a moved folder or a pruned
#   Kustomization does. Each is denied. The rule checks a stack's
#   Terraforms (labelled by fluxtf, or hand-written with the stack's
#   GitRepository as source) and any Terraform labelled `fluxtf.io/tier:
#   prod`; another team's Terraform is not guessed to be production from
#   a `prod` token in its name.
# custom:
#   id: prod-safeguards
#   severity: deny
#   summary: >-
#     a stack's Terraform of tier `prod` (contract labels), or one labelled
#     `fluxtf.io/tier: prod`, sets neither `approvePlan:
#     auto`, `force: true` nor `destroyResourcesOnDeletion: true`
#   fix: >-
#     In the prod spec, remove `terraform.approvePlan: auto` (plans then wait;
#     approve one with `fluxtf approve`) and `terraform.destroyResourcesOnDeletion:
#     true`; in a hand-written Terraform remove `approvePlan: auto`, `force:
#     true` and `destroyResourcesOnDeletion: true`.
package fluxtf.rules.prod_safeguards

import data.fluxtf.lib

rule_id := "prod-safeguards"

# _prod: the production Terraforms of a stack (lib.stack_of: labelled by
# fluxtf, or hand-written with the stack's source; issue 11 item 12), or
# labelled fluxtf.io/tier: prod by hand. Another team's Terraform named
# "prod-vpc" is not one: its tier is only guessed from its name. When
# every Terraform is the stack's (a rendered set), no fact is looked at.
_prod := [f | some f in lib.tf_facts; f.x.tier == "prod"] if {
	count(lib.stack_tf_facts) == count(lib.tf_facts)
} else := [f | some f in lib.tf_facts; f.x.tier == "prod"; _scoped(f)]

_scoped(f) if lib.stack_of(f)

_scoped(f) if lib.label(f.r.obj, lib.label_tier) == "prod"

# (f.spec is read by a ref: undefined, as no value, when spec is not an
# object.) Each rule first looks the value up in lib.tf_spec_values (the
# distinct [tier, field, value] of the Terraforms' specs): only when some
# production Terraform sets it are they read one by one.

deny contains lib.result(rule_id, f.r, "spec.approvePlan", msg) if {
	lib.tf_spec_values[["prod", "approvePlan", "auto"]]
	some f in _prod
	f.spec.approvePlan == "auto"
	msg := sprintf(
		"Production Terraform %q sets approvePlan \"auto\", which applies every plan without review; remove it so plans wait, and approve a plan by its id with fluxtf approve",
		[f.name],
	)
}

deny contains lib.result(rule_id, f.r, "spec.force", msg) if {
	lib.tf_spec_values[["prod", "force", true]]
	some f in _prod
	f.spec.force == true
	msg := sprintf(
		"Production Terraform %q sets force: true, which applies every plan whatever approvePlan says; remove it",
		[f.name],
	)
}

deny contains lib.result(rule_id, f.r, "spec.destroyResourcesOnDeletion", msg) if {
	lib.tf_spec_values[["prod", "destroyResourcesOnDeletion", true]]
	some f in _prod
	f.spec.destroyResourcesOnDeletion == true
	msg := sprintf(
		"Production Terraform %q sets destroyResourcesOnDeletion: true, so deleting or renaming the object destroys what it deployed; remove it (set terraform.destroyResourcesOnDeletion: false)",
		[f.name],
	)
}
