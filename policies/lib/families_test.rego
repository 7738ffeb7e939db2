# The EKS rules select their objects by policy family (lib.in_family and
# the eks_* fact lists of stacks.rego), never by the jeppesen-eks name: a
# made-up stack declaring the eks family gets every EKS finding that
# jeppesen-eks gets, one declaring common only, or ocm-client, none.
package fluxtf.lib_families_test

import data.fluxtf.lib
import data.fluxtf.test as t

# eks_rules: the rules of the eks family (their METADATA custom.family).
eks_rules := {
	"al2-end-of-support", "efs-min-nodes", "eks-extended-support", "eks-standard-support",
	"k8s-sequential-upgrade", "karpenter-no-inplace-upgrade", "major-bump-migration",
	"os-supported", "prod-os-bottlerocket", "prod-removal", "runner-reachability",
}

# in_stack(o, stack, fams): o labelled with stack, and annotated with the
# policy families fams unless fams is "" (then the catalogue's defaults
# hold). The GitRepositories keep the jeppesen-eks names, with that prefix
# declared, so that the common family's naming rule finds nothing.
in_stack(o, stack, fams) := with_fams(t.with_labels(o, {"fluxtf.io/stack": stack}), fams)

with_fams(o, "") := o

with_fams(o, fams) := t.with_annotations(o, {"fluxtf.io/policies": fams}) if fams != ""

prefixed(o) := t.with_annotations(o, {"fluxtf.io/source-prefix": "jeppesen-eks"}) if o.kind == "GitRepository"

prefixed(o) := o if o.kind != "GitRepository"

base_with(tier, k8s, os, min) := t.with_var(t.with_var(t.with_var(t.base(tier), "kubernetes_version", k8s), "os", os), "node_groups", {"system": {"instance_types": ["m6i.large"], "max_size": 5, "min_size": min}})

public(o) := t.add_var(o, {"name": "cluster_endpoint_public_access", "value": true})

# Objects that trip every EKS rule that reads no date: AL2 before 1.33
# (al2-end-of-support), AL2 from 1.33 (os-supported), prod not on
# Bottlerocket, EFS with too few nodes, a public endpoint open to all
# (runner-reachability); against the baseline: a Kubernetes minor skipped,
# a Karpenter major in place, a tag major rise without a guide, a prod
# Terraform removed.
current := [
	t.source("dev"), base_with("dev", "1.33", "AL2", 2),
	t.with_ref(t.source("uat"), {"tag": "v5.0.0"}), public(base_with("uat", "1.29", "AL2", 0)), t.efs("uat"), t.karpenter("uat", "1.1.0"),
	t.source("prod"), base_with("prod", "1.29", "AL2023", 2),
]

baseline := [
	t.source("dev"), base_with("dev", "1.33", "AL2", 2),
	t.with_ref(t.source("uat"), {"tag": "v4.2.0"}), public(base_with("uat", "1.27", "AL2", 0)), t.efs("uat"), t.karpenter("uat", "0.37.0"),
	t.source("prod"), base_with("prod", "1.29", "AL2023", 2), t.karpenter("prod", "1.1.0"),
]

objs_of(objs, stack, fams) := [prefixed(in_stack(o, stack, fams)) | some o in objs]

eks_fired(stack, fams) := fired & eks_rules if {
	fired := t.rules_fired with input as t.with_baseline(objs_of(current, stack, fams), objs_of(baseline, stack, fams))
}

test_eks_rules_fire_on_jeppesen_eks if {
	fired := eks_fired("jeppesen-eks", "common,eks")
	want := {
		"al2-end-of-support", "os-supported", "prod-os-bottlerocket", "efs-min-nodes", "runner-reachability",
		"k8s-sequential-upgrade", "karpenter-no-inplace-upgrade", "major-bump-migration", "prod-removal",
	}
	fired == want
}

# the catalogue's families hold when the annotation is absent
test_catalogue_families_without_annotation if {
	eks_fired("jeppesen-eks", "") == eks_fired("jeppesen-eks", "common,eks")
}

test_made_up_stack_declaring_eks_gets_the_eks_rules if {
	eks_fired("acme-cluster", "common,eks") == eks_fired("jeppesen-eks", "common,eks")
	eks_fired("acme-cluster", "eks") == eks_fired("jeppesen-eks", "common,eks")
	eks_fired("acme-cluster", "common, eks") == eks_fired("jeppesen-eks", "common,eks")
}

test_stack_without_eks_gets_no_eks_rule if {
	count(eks_fired("acme-cluster", "common")) == 0
	count(eks_fired("ocm-client", "common,ocm-client")) == 0
	count(eks_fired("ocm-client", "")) == 0
	# a stack no catalogue knows, with no annotation: no family at all
	count(eks_fired("acme-cluster", "")) == 0
	# the annotation is the object's families, even on jeppesen-eks
	count(eks_fired("jeppesen-eks", "common")) == 0
}

# one object of a made-up eks stack among ocm-client objects: the fast
# path is off, the family still selects it
test_eks_family_among_other_stacks if {
	objs := array.concat(t.ocm_env("uat"), [prefixed(in_stack(o, "acme-cluster", "common,eks")) | some o in [t.source("uat"), base_with("uat", "1.29", "AL2", 2)]])
	fired := t.rules_fired with input as t.input_of(objs)
	fired & eks_rules == {"al2-end-of-support"}
}

test_in_family if {
	lib.in_family(t.base("uat"), "eks")
	lib.in_family(t.base("uat"), "common")
	not lib.in_family(t.base("uat"), "ocm-client")
	lib.in_family(in_stack(t.base("uat"), "acme-cluster", "common,eks"), "eks")
	not lib.in_family(in_stack(t.base("uat"), "acme-cluster", "common"), "eks")
	not lib.in_family(in_stack(t.base("uat"), "acme-cluster", ""), "common")
	lib.in_family(t.ocm_app("uat"), "ocm-client")
	not lib.in_family(t.ocm_app("uat"), "eks")
	not lib.in_family(t.without_labels(t.ocm_app("uat"), ["fluxtf.io/stack"]), "eks") with input as t.input_of(t.ocm_env("uat"))
	# unlabelled, the stack membership decides: managed by fluxtf, the
	# jeppesen-eks stack's families (or its annotation's)
	lib.in_family(t.without_labels(t.base("uat"), ["fluxtf.io/stack"]), "eks")
	not lib.in_family(t.without_labels(with_fams(t.base("uat"), "common"), ["fluxtf.io/stack"]), "eks")
	# an application's Terraform of no stack is in no family
	not lib.in_family({"kind": "Terraform", "metadata": {"name": "app"}, "spec": {"path": "./app"}}, "common")
}

test_stack_default_families_from_catalogue if {
	lib.stack_default_families["jeppesen-eks"] == {"common", "eks"}
	lib.stack_default_families["ocm-client"] == {"common", "ocm-client"}
}
