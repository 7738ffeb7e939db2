# METADATA
# scope: package
# title: The node OS is supported for the cluster's Kubernetes version
# description: >-
#   The base module knows five node operating systems: `AL2` (traditional,
#   full tooling), `AL2023`, `BOTTLEROCKET` (container-optimised, recommended
#   for production), `DEFAULT` (maps to AL2 and forces launch template updates
#   for deterministic rollback) and `CUSTOM` (an EC2 Image Builder AMI, which
#   needs `custom_ami_id` or `image_builder_pipeline_arn`). Anything else
#   fails at plan time. EKS-optimised AL2 AMIs reached end of support on
#   2025-11-26 and none are published for Kubernetes 1.33 or later, so `AL2`
#   and `DEFAULT` (which is AL2) are refused on a base Terraform from
#   `kubernetes_version` 1.33: its node groups could not be created.
#   Only the jeppesen-eks stack's objects are checked (labelled
#   `fluxtf.io/stack: jeppesen-eks`, or hand-written ones that name the stack:
#   see "the stack's objects" in docs/policies.md), never an application's or
#   another team's.
# custom:
#   id: os-supported
#   severity: deny
#   summary: >-
#     `os` is one of the five; `CUSTOM` names its image; `AL2` and `DEFAULT`
#     are refused from Kubernetes 1.33
#   fix: >-
#     Set `os` to `BOTTLEROCKET` or `AL2023` (AL2 and DEFAULT only below 1.33);
#     with `CUSTOM`, also set `custom_ami_id` or `image_builder_pipeline_arn`.
#   specFix: >-
#     Set `cluster.os` to `BOTTLEROCKET` or `AL2023` in the environment spec
#     (with `CUSTOM`, also `cluster.customImage`) and render.
package fluxtf.rules.os_supported

import data.fluxtf.lib

rule_id := "os-supported"

known := {"AL2", "AL2023", "BOTTLEROCKET", "DEFAULT", "CUSTOM"}

image_vars := ["custom_ami_id", "image_builder_pipeline_arn"]

# base_os: [record, os var] of the base Terraforms whose os is neither
# AL2023 nor BOTTLEROCKET: the others give no finding below.
_oses := {p[1] | some p in lib.eks_base_oses}

# (the bases of the few os values other than those two, lib.eks_bases_by_os)
base_os := [[f.r, {"index": i, "value": os, "field": lib.var_field(i)}] |
	count(_oses - {"AL2023", "BOTTLEROCKET"}) > 0
	some os, fs in lib.eks_bases_by_os
	not os in {"AL2023", "BOTTLEROCKET"}
	some f in fs
	i := f.y.vm.os
]

deny contains lib.result(rule_id, r, v.field, msg) if {
	some [r, v] in base_os
	not v.value in known
	msg := sprintf(
		"Terraform %q sets os to %s, which the base module does not know; set os to %s",
		[lib.name(r.obj), lib.show(v.value), suggestion(v.value)],
	)
}

deny contains lib.result(rule_id, r, v.field, msg) if {
	some [r, v] in base_os
	v.value == "CUSTOM"
	not has_image(r.obj)
	msg := sprintf(
		"Terraform %q sets os to CUSTOM but names no image; set the var custom_ami_id or image_builder_pipeline_arn to the EC2 Image Builder AMI or pipeline",
		[lib.name(r.obj)],
	)
}

deny contains lib.result(rule_id, r, v.field, msg) if {
	some [r, v] in base_os
	v.value in {"AL2", "DEFAULT"}
	k := lib.var(r.obj, "kubernetes_version")
	m := lib.k8s_minor(k.value)
	m >= 33
	msg := sprintf(
		"Terraform %q runs os %s on Kubernetes 1.%d, but there are no AL2 AMIs from 1.33 on%s; set os to BOTTLEROCKET or AL2023",
		[lib.name(r.obj), v.value, m, default_note(v.value)],
	)
}

default_note("DEFAULT") := " (DEFAULT maps to AL2)"

default_note(os) := "" if os != "DEFAULT"

suggestion(v) := sprintf("%q", [upper(v)]) if {
	is_string(v)
	upper(trim_space(v)) in known
} else := "one of AL2023, BOTTLEROCKET, CUSTOM (AL2 and DEFAULT only below 1.33)"

# has_image: an image var has a value, comes from valueFrom, or may come
# from varsFrom (listed in varsKeys, or a varsFrom without varsKeys).
has_image(o) if {
	some n in image_vars
	v := lib.var(o, n)
	v.value != ""
	v.value != null
}

has_image(o) if {
	some n in image_vars
	e := lib.var_entry(o, n).entry
	e.valueFrom
}

has_image(o) if {
	some vf in object.get(o, ["spec", "varsFrom"], [])
	some n in image_vars
	n in object.get(vf, "varsKeys", [])
}

has_image(o) if {
	some vf in object.get(o, ["spec", "varsFrom"], [])
	is_object(vf)
	not vf.varsKeys
}
