# METADATA
# scope: package
# title: uat and prod keep Terraform state in a real backend
# description: >-
#   A Terraform without `spec.backendConfig` gets tf-controller's own
#   in-cluster backend: its state becomes a Secret `tfstate-default-<name>`
#   in the Terraform's namespace of the management cluster, and that block
#   overrides any `backend "s3"` block of the module
#   (controllers/tf_controller_backend.go; tofu-controller#1238, #1544). The
#   state of uat and production clusters does not belong there: it is lost
#   with the management cluster, readable by whoever reads its Secrets, and
#   keyed by the object's name, so a rename starts from empty state. A stack
#   Terraform (tier `uat` or `prod`) with no `backendConfig`, or an empty one,
#   is denied. An explicit choice is not: `customConfiguration` (such as the
#   `backend "s3"` block fluxtf renders), the Kubernetes backend with an
#   explicit `secretSuffix`, or `disable: true` (the module's own backend).
# custom:
#   id: state-backend
#   severity: deny
#   summary: >-
#     a stack Terraform of tier `uat` or `prod` sets a state backend:
#     `backendConfig` with `customConfiguration`, a `secretSuffix`, or
#     `disable: true`; none (or an empty one) is tf-controller's in-cluster
#     default, `tfstate-default-<name>` in the management cluster
#   fix: >-
#     Give the environment a state backend: `terraform.backend` with type s3
#     and the bucket and region (the uat and prod tier default; set
#     `terraform.backend.s3.bucket` in defaults.yaml), or for a hand-written
#     Terraform a `spec.backendConfig.customConfiguration` with a `backend
#     "s3"` block and a key of its own.
package fluxtf.rules.state_backend

import data.fluxtf.lib

rule_id := "state-backend"

guarded_tiers := {"uat", "prod"}

# default_backend(spec): tf-controller writes its in-cluster default.
default_backend(spec) if not spec.backendConfig

default_backend(spec) if {
	b := spec.backendConfig
	is_object(b)

	# (the backend given, the usual case, first)
	object.get(b, "customConfiguration", "") == ""
	object.get(b, "secretSuffix", "") == ""
	not object.get(b, "disable", false) == true
}

# (A backendConfig with a customConfiguration, every rendered one of uat
# and prod, is not the default: only the others are looked at, and none
# when no Terraform of a guarded tier lacks one,
# lib.tf_custom_backend_missing_tiers.)
_suspects := [] if {
	every t in guarded_tiers {
		not lib.tf_custom_backend_missing_tiers[t]
	}
} else := [f |
	some f in lib.tf_facts
	guarded_tiers[f.x.tier] # (a look-up, cheaper than a call of in)
	object.get(f, ["spec", "backendConfig", "customConfiguration"], "") == ""
	default_backend(object.get(f, "spec", {}))
]

deny contains lib.result(rule_id, f.r, field, msg) if {
	some f in _suspects
	lib.stack_of(f)
	field := backend_field(f.r.obj)
	msg := sprintf(
		"Terraform %q (%s) has no state backend, so tf-controller keeps its state in the Secret tfstate-default-%s of the management cluster; set terraform.backend (type s3, with bucket and region) in the spec, or spec.backendConfig.customConfiguration with a backend \"s3\" block",
		[f.name, f.x.tier, f.name],
	)
}

backend_field(o) := "spec.backendConfig" if {
	"backendConfig" in object.keys(object.get(o, "spec", {}))
} else := "spec"
